"""Tune the answer engine on the development data and write rxplain/answers/calibration.json.

Development data: bench/data/questions_dev.jsonl, questions.jsonl (the first test set, looked at too often to stay
held out), questions_blind.jsonl (the first independent held-out set, evaluated once, development data since) and
questions_train2.jsonl, questions_train3.jsonl and questions_train4.jsonl (written to train the query encoder),
questions_blind2.jsonl and questions_blind3.jsonl (the second and third held-out sets, each evaluated once): the
list is ``TRAINING_SETS`` of bench/answers_finetune.py. The held-out set is questions_blind4.jsonl, written by
someone who never saw the engine; this script never reads it.

With the fine-tuned query encoder, pass ``--query-vectors`` with the out-of-fold vectors that
bench/answers_finetune.py saves: the encoder has seen every development question, so its own vectors for them are
closer to their answers than a new question's would be, and an abstention threshold fitted on them would be set
too high for real questions.

1. Fusion: weights of the candidate signals (cosines, BM25, ranks, intent, kind, question form) fitted with a
   pairwise logistic loss so that a correct section outranks the wrong ones; the question floor and L2 strength
   are chosen by 2-fold cross-validation inside the training questions.
2. Confidence: a logistic regression over the engine's confidence features, fitted on the questions that reach
   retrieval (label 1 = in scope and the top passage is a correct section, 0 = out of scope). The abstention
   threshold is the highest one that keeps wrong abstention on in-scope training questions at or below
   --max-wrong-abstention.

    .venv/bin/python bench/answers_tune.py [--dry-run] [--cv 5] [--features old|new]

--cv K reports K-fold cross-validated figures of the whole procedure (both steps refitted on each training part,
scored on the held-out part) and writes nothing; --features old restricts both models to the signals of the
previous engine, for a before/after comparison under the same protocol.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answers_eval import ranks, read_jsonl  # noqa: E402
from bench.answers_finetune import HELD_OUT, TRAINING_SETS  # noqa: E402
from rxplain.answers import packs  # noqa: E402
from rxplain.answers.engine import CALIBRATION_FILE, AnswerEngine  # noqa: E402
from rxplain.answers.index import FEATURES as FUSION_FEATURES  # noqa: E402

# The same sets as the query encoder's training (one list, so the two cannot drift apart).
DEVELOPMENT = [ROOT / "bench" / "data" / name for name in TRAINING_SETS]
FEATURES = ["dense", "question", "unit", "coverage", "known", "medicine", "intent_match", "missing", "unknown",
            "uncovered", "title", "fused", "margin", "top_missing", "top_uncovered"]
OLD_FUSION, OLD_CONFIDENCE = list(FUSION_FEATURES[:15]), FEATURES[:13]  # the signals of the previous engine
FLOORS = (0.4, 0.5, 0.6)
rank_of = ranks  # one definition of ranking answers, shared with the evaluation


@dataclasses.dataclass
class Item:
    """One question, with every retrieval candidate's signals at each question floor (None: refused by rule)."""
    q: dict
    u: object
    hits: dict[float, list] | None


def prepare(engine: AnswerEngine, questions: list[dict], vectors: dict[str, np.ndarray] | None = None
            ) -> list[Item]:
    """Every question's candidates; ``vectors`` (topic text -> query vector) replaces the engine's own embedding:
    the out-of-fold vectors of bench/answers_finetune.py, so nothing is fitted on a question the encoder saw."""
    items = []
    embed = (engine.query_encoder or engine.embedder).embed
    for q in questions:
        u = engine.understander.understand(q["question"])
        if engine._refusal(u):
            items.append(Item(q, u, None))
            continue
        vector = vectors[u.topic_text] if vectors and u.topic_text in vectors else embed([u.topic_text])[0]
        hits = {f: engine.about_asked_medicines(u, engine.index.search(
            u.topic_text, vector, u.medicine, u.intents, k=400, fusion={"question_floor": f})) for f in FLOORS}
        items.append(Item(q, u, hits if all(hits.values()) else None))  # no passage left: the engine abstains
    return items


def ranked(item: Item, floor: float, weights: dict[str, float]) -> list:
    """The item's candidates re-scored with the given weights, best first."""
    hits = [dataclasses.replace(h, score=sum(w * h.features.get(n, 0.0) for n, w in weights.items()))
            for h in item.hits[floor]]
    return sorted(hits, key=lambda h: (-h.score, h.row))


def pairs(engine: AnswerEngine, items: list[Item], floor: float, names: list[str]) -> list:
    """Per in-scope question: feature rows of its best-ranked correct candidate and of its best wrong ones."""
    out = []
    for item in items:
        if item.hits is None or not item.q["in_scope"]:
            continue
        hits = item.hits[floor]
        rows = [[h.features[name] for name in names] for h in hits]
        # one positive: the best-ranked correct passage ("slug#faq" labels every FAQ item of the article as
        # correct, most of them about something else); negatives: the wrong passages that rank highest
        good = [i for i, h in enumerate(hits) if engine.index.passages[h.row].label in item.q["answers"]][:1]
        bad = [i for i, h in enumerate(hits) if engine.index.passages[h.row].label not in item.q["answers"]][:10]
        if good and bad:
            out.append((np.array([rows[i] for i in good]), np.array([rows[i] for i in bad])))
    return out


def fit_pairwise(groups: list[tuple[np.ndarray, np.ndarray]], l2: float) -> np.ndarray:
    """Weights w such that w.x ranks a correct passage above the wrong ones: logistic loss on feature differences,
    fitted by Newton's method (13 weights, so the Hessian is tiny)."""
    diffs = np.vstack([(g[:, None, :] - b[None, :, :]).reshape(-1, g.shape[1]) for g, b in groups])
    x = np.vstack([diffs, -diffs])
    y = np.concatenate([np.ones(len(diffs)), np.zeros(len(diffs))])
    w = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) / len(x) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x / len(x) + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def hit_at_1(groups: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray) -> float:
    return float(np.mean([(g @ w).max() > (b @ w).max() for g, b in groups]))


def tune_fusion(engine: AnswerEngine, items: list[Item], names: list[str], quiet: bool = False) -> dict:
    """Choose the question floor and the L2 strength by 2-fold cross-validation, then fit on all the items."""
    best = (-1.0, 0.5, 0.01)
    for floor in FLOORS:
        groups = pairs(engine, items, floor, names)
        halves = (groups[0::2], groups[1::2])
        for l2 in (0.001, 0.01, 0.1):
            cv = np.mean([hit_at_1(halves[1 - i], fit_pairwise(halves[i], l2)) for i in (0, 1)])
            if cv > best[0]:
                best = (float(cv), floor, l2)
    cv, floor, l2 = best
    w = fit_pairwise(pairs(engine, items, floor, names), l2)
    fusion = {"question_floor": floor, "weights": {n: round(float(v), 4) for n, v in zip(names, w, strict=True)}}
    if not quiet:
        print(f"fusion: pairwise logistic over {len(names)} signals; inner 2-fold CV hit@1 {cv:.3f} "
              f"(floor {floor}, l2 {l2})")
        print("        " + ", ".join(f"{k}={v}" for k, v in fusion["weights"].items()))
    return fusion


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.01) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method, the two classes weighted equally, features standardised inside."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    weight = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum()))
    w = np.zeros(z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -30, 30)))
        penalty = l2 * np.r_[w[:-1], 0.0]
        grad = z.T @ ((p - y) * weight) + penalty
        hess = (z * (p * (1 - p) * weight)[:, None]).T @ z + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0.0])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    coef = w[:-1] / std
    return coef, float(w[-1] - (mean / std) @ w[:-1])


def out_of_fold(x: np.ndarray, y: np.ndarray, k: int = 5, seed: int = 0) -> np.ndarray:
    """Each question's confidence from a logistic model fitted without it (on the rows ``y >= 0``)."""
    order = np.random.default_rng(seed).permutation(len(x))
    p = np.zeros(len(x))
    for fold in range(k):
        held = order[fold::k]
        fitted = np.ones(len(x), dtype=bool)
        fitted[held] = False
        fitted &= y >= 0
        w, b = fit_logistic(x[fitted], y[fitted].astype(float))
        p[held] = 1 / (1 + np.exp(-(x[held] @ w + b)))
    return p


def confidence_rows(engine: AnswerEngine, items: list[Item], fusion: dict, names: list[str]):
    """Confidence features, labels (1 right, 0 out of scope, -1 in scope but ranked wrongly) and scope flags."""
    rows, labels, inside = [], [], []
    for item in items:
        if item.hits is None:
            continue
        hits = ranked(item, fusion["question_floor"], fusion["weights"])[:10]
        f = engine.features(item.u, hits)
        rows.append([f[name] for name in names])
        correct = rank_of([engine.index.passages[h.row].label for h in hits], item.q.get("answers", [])) == 1
        labels.append(1 if item.q["in_scope"] and correct else 0 if not item.q["in_scope"] else -1)
        inside.append(item.q["in_scope"])
    return np.array(rows), np.array(labels), np.array(inside, dtype=bool)


def tune_confidence(engine: AnswerEngine, items: list[Item], fusion: dict, max_wrong: float, names: list[str],
                    quiet: bool = False) -> dict:
    x, y, inside = confidence_rows(engine, items, fusion, names)
    train = y >= 0  # in-scope questions ranked wrongly are left out of the fit: they are neither class
    w, b = fit_logistic(x[train], y[train].astype(float))
    # The threshold is read off out-of-fold confidences: a model's confidence in the questions it was fitted on is
    # higher than in new ones, so a threshold set on those abstained wrongly on twice the share asked for in
    # cross-validation (0.060 for 0.03), and on the next held-out set as well (0.061).
    p = out_of_fold(x, y)
    n_in = sum(item.q["in_scope"] for item in items)
    best_t = 0.0
    for t in sorted(set(np.round(p, 4))):
        if int(((p < t) & inside).sum()) / n_in <= max_wrong:
            best_t = float(t)
    if not quiet:
        print(f"confidence: fitted on {int(train.sum())} questions; threshold {best_t:.4f} (out of fold) abstains on "
              f"{int(((p < best_t) & ~inside).sum())}/{int((~inside).sum())} out-of-scope questions that reach "
              f"retrieval, {int(((p < best_t) & inside).sum())}/{n_in} in-scope")
        print("        weights " + ", ".join(f"{n}={v:.2f}" for n, v in zip(names, w, strict=True)) + f", bias={b:.2f}")
    return {"features": names, "weights": [round(float(v), 4) for v in w], "bias": round(float(b), 4),
            "threshold": round(best_t, 4)}


def score(engine: AnswerEngine, items: list[Item], calibration: dict) -> dict[str, float]:
    """hit@1, hit@3, MRR, abstention on out-of-scope and wrong abstention on in-scope questions, as the engine
    would have them with this calibration (rule refusals count as abstentions)."""
    fusion, cal = calibration["fusion"], calibration["confidence"]
    h1 = h3 = rr = wrong = caught = 0.0
    n_in = n_out = 0
    for item in items:
        abstained, labels = True, []
        if item.hits is not None:
            hits = ranked(item, fusion["question_floor"], fusion["weights"])[:10]
            labels = [engine.index.passages[h.row].label for h in hits]
            f = engine.features(item.u, hits)
            z = cal["bias"] + sum(w * f[n] for n, w in zip(cal["features"], cal["weights"], strict=True))
            abstained = 1 / (1 + np.exp(-np.clip(z, -50, 50))) < cal["threshold"]
        if item.q["in_scope"]:
            n_in += 1
            rank = rank_of(labels, item.q["answers"])
            h1 += rank == 1
            h3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0.0
            wrong += abstained
        else:
            n_out += 1
            caught += abstained
    return {"hit@1": h1 / n_in, "hit@3": h3 / n_in, "MRR": rr / n_in, "abstain out": caught / max(1, n_out),
            "wrong abstain": wrong / n_in}


def fit(engine: AnswerEngine, items: list[Item], max_wrong: float, fusion_names: list[str],
        confidence_names: list[str], quiet: bool = False) -> dict:
    fusion = tune_fusion(engine, items, fusion_names, quiet)
    return {"fusion": fusion,
            "confidence": tune_confidence(engine, items, fusion, max_wrong, confidence_names, quiet)}


def cross_validate(engine: AnswerEngine, items: list[Item], k: int, max_wrong: float, fusion_names: list[str],
                   confidence_names: list[str], seed: int = 0) -> dict[str, float]:
    order = np.random.default_rng(seed).permutation(len(items))
    folds = [order[i::k] for i in range(k)]
    totals: dict[str, float] = {}
    for held in folds:
        held_set = set(held.tolist())
        train = [items[i] for i in range(len(items)) if i not in held_set]
        test = [items[i] for i in held]
        figures = score(engine, test, fit(engine, train, max_wrong, fusion_names, confidence_names, quiet=True))
        for name, value in figures.items():
            totals[name] = totals.get(name, 0.0) + value * len(test)
    return {name: value / len(items) for name, value in totals.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the values, do not write calibration.json")
    parser.add_argument("--max-wrong-abstention", type=float, default=0.04)
    parser.add_argument("--cv", type=int, default=0, help="report K-fold cross-validated figures, write nothing")
    parser.add_argument("--seeds", type=int, default=3, help="fold shuffles averaged by --cv")
    parser.add_argument("--features", choices=["old", "new"], default="new")
    parser.add_argument("--query-vectors", type=Path, help="out-of-fold query vectors from answers_finetune.py")
    args = parser.parse_args()
    engine = packs.engine_from_content(progress=True)
    questions = [q for path in DEVELOPMENT for q in read_jsonl(path)]
    vectors = None
    if args.query_vectors:
        with np.load(args.query_vectors, allow_pickle=False) as data:
            vectors = dict(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))
    elif engine.query_encoder is not None:
        print("warning: the shipped query encoder was trained on these questions; pass --query-vectors with its "
              "out-of-fold vectors, or the abstention threshold is fitted on over-confident scores")
    items = prepare(engine, questions, vectors)
    fusion_names = OLD_FUSION if args.features == "old" else list(FUSION_FEATURES)
    confidence_names = OLD_CONFIDENCE if args.features == "old" else FEATURES
    if args.cv:
        runs = [cross_validate(engine, items, args.cv, args.max_wrong_abstention, fusion_names, confidence_names,
                               seed) for seed in range(args.seeds)]
        print(f"{args.cv}-fold CV over {len(items)} development questions ({args.features} signals, "
              f"{args.seeds} shuffles): " + ", ".join(f"{n} {np.mean([r[n] for r in runs]):.3f}" for n in runs[0]))
        return 0
    calibration = {
        "note": "Written by bench/answers_tune.py from the development question sets "
                f"({', '.join(p.name for p in DEVELOPMENT)}; query vectors "
                f"{'out-of-fold from answers_finetune.py' if vectors else 'from the shipped model'}); "
                f"{HELD_OUT} is never read.",
        **fit(engine, items, args.max_wrong_abstention, fusion_names, confidence_names),
    }
    print("fitted on all development data: " + ", ".join(f"{n} {v:.3f}" for n, v in
                                                           score(engine, items, calibration).items()))
    if args.dry_run:
        print(json.dumps(calibration, indent=2))
    else:
        CALIBRATION_FILE.write_text(json.dumps(calibration, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
