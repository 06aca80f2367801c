"""Tune the answer engine on the DEV split only, and write rxplain/answers/calibration.json.

1. Fusion: weights of the candidate signals (cosines, BM25, ranks, intent, kind) fitted with a pairwise logistic
   loss so that a correct section outranks the wrong ones; the question floor and L2 strength are chosen by 2-fold
   cross-validation on dev, then the weights are refitted on all of dev.
2. Confidence: a logistic regression over the engine's confidence features, fitted on the dev questions that
   reach retrieval (label 1 = in scope and the top passage is a correct section, 0 = out of scope). The abstention
   threshold is the highest one that keeps wrong abstention on in-scope dev questions at or below
   --max-wrong-abstention, which maximises abstention on out-of-scope questions under that constraint.

    .venv/bin/python bench/answers_tune.py [--dry-run]

The held-out test set (bench/data/questions.jsonl) is never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.answers_eval import ranks, read_jsonl  # noqa: E402
from rxplain.answers import packs  # noqa: E402
from rxplain.answers.engine import CALIBRATION_FILE, AnswerEngine  # noqa: E402
from rxplain.answers.index import FEATURES as FUSION_FEATURES  # noqa: E402

DEV = ROOT / "bench" / "data" / "questions_dev.jsonl"
FEATURES = ["dense", "question", "unit", "coverage", "known", "medicine", "intent_match", "missing", "unknown",
            "uncovered", "title", "fused", "margin"]


# One definition of reading the sets and ranking answers, shared with the evaluation.
rank_of = ranks


def prepare(engine: AnswerEngine, questions: list[dict]) -> list[tuple[dict, object, np.ndarray | None]]:
    """Understanding and query vector per question that passes the scope rules (the rest never reach retrieval)."""
    prepared = []
    for q in questions:
        u = engine.understander.understand(q["question"])
        if engine._refusal(u):
            prepared.append((q, u, None))
            continue
        prepared.append((q, u, engine.embedder.embed([u.topic_text])[0]))
    return prepared


def ranking_score(engine: AnswerEngine, prepared: list, fusion: dict) -> tuple[float, float]:
    h1 = mrr = 0.0
    inside = [p for p in prepared if p[0]["in_scope"]]
    for q, u, vector in inside:
        if vector is None:
            continue
        hits = engine.index.search(u.topic_text, vector, u.medicine, u.intents, k=10, fusion=fusion)
        rank = rank_of([engine.index.passages[h.row].label for h in hits], q["answers"])
        h1 += rank == 1
        mrr += 1 / rank if rank else 0
    return h1 / len(inside), mrr / len(inside)


def pairs(engine: AnswerEngine, prepared: list, floor: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per in-scope question: feature rows of its correct candidates and of its best-ranked wrong ones."""
    out = []
    for q, u, vector in prepared:
        if vector is None or not q["in_scope"]:
            continue
        hits = engine.index.search(u.topic_text, vector, u.medicine, u.intents, k=200,
                                   fusion={"question_floor": floor})
        rows = [[h.features[name] for name in FUSION_FEATURES] for h in hits]
        # one positive: the best-ranked correct passage ("slug#faq" labels every FAQ item of the article as
        # correct, most of them about something else); negatives: the wrong passages that rank highest
        good = [i for i, h in enumerate(hits) if engine.index.passages[h.row].label in q["answers"]][:1]
        bad = [i for i, h in enumerate(hits) if engine.index.passages[h.row].label not in q["answers"]][:10]
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


def tune_fusion(engine: AnswerEngine, prepared: list) -> dict:
    """Choose the question floor and the L2 strength by 2-fold cross-validation on dev, then fit on all of dev."""
    best = (-1.0, 0.5, 0.01)
    for floor in (0.4, 0.5, 0.6):
        groups = pairs(engine, prepared, floor)
        halves = (groups[0::2], groups[1::2])
        for l2 in (0.001, 0.01, 0.1):
            cv = np.mean([hit_at_1(halves[1 - i], fit_pairwise(halves[i], l2)) for i in (0, 1)])
            if cv > best[0]:
                best = (float(cv), floor, l2)
    cv, floor, l2 = best
    w = fit_pairwise(pairs(engine, prepared, floor), l2)
    fusion = {"question_floor": floor,
              "weights": {n: round(float(v), 4) for n, v in zip(FUSION_FEATURES, w, strict=True)}}
    h1, mrr = ranking_score(engine, prepared, fusion)
    print(f"fusion: pairwise logistic over {len(FUSION_FEATURES)} signals; 2-fold CV on dev hit@1 {cv:.3f} "
          f"(floor {floor}, l2 {l2}); refit on all dev: hit@1 {h1:.3f}, MRR {mrr:.3f}")
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


def tune_confidence(engine: AnswerEngine, prepared: list, fusion: dict, max_wrong: float) -> dict:
    rows, labels, inside_flags = [], [], []
    for q, u, vector in prepared:
        if vector is None:
            continue
        hits = engine.index.search(u.topic_text, vector, u.medicine, u.intents, k=10, fusion=fusion)
        if not hits:
            continue
        f = engine.features(u, hits)
        rows.append([f[name] for name in FEATURES])
        correct = rank_of([engine.index.passages[h.row].label for h in hits], q.get("answers", [])) == 1
        labels.append(1 if q["in_scope"] and correct else 0 if not q["in_scope"] else -1)
        inside_flags.append(q["in_scope"])
    x = np.array(rows)
    y = np.array(labels)
    train = y >= 0  # in-scope questions ranked wrongly are left out of the fit: they are neither class
    w, b = fit_logistic(x[train], y[train].astype(float))
    p = 1 / (1 + np.exp(-(x @ w + b)))
    inside = np.array(inside_flags)
    n_in = int(sum(q[0]["in_scope"] for q in prepared))
    candidates = sorted(set(np.round(p, 4)))
    best_t = 0.0
    for t in candidates:
        wrong = int(((p < t) & inside).sum())
        if wrong / n_in <= max_wrong:
            best_t = float(t)
    out_reached = int((~inside).sum())
    caught = int(((p < best_t) & ~inside).sum())
    print(f"confidence: fitted on {int(train.sum())} dev questions; threshold {best_t:.4f} abstains on "
          f"{caught}/{out_reached} out-of-scope questions that reach retrieval, "
          f"{int(((p < best_t) & inside).sum())}/{n_in} in-scope")
    print("        weights " + ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, w, strict=True)) + f", bias={b:.2f}")
    return {"features": FEATURES, "weights": [round(float(v), 4) for v in w], "bias": round(float(b), 4),
            "threshold": round(best_t, 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the values, do not write calibration.json")
    parser.add_argument("--max-wrong-abstention", type=float, default=0.03)
    args = parser.parse_args()
    engine = packs.engine_from_content(progress=True)
    prepared = prepare(engine, read_jsonl(DEV))
    fusion = tune_fusion(engine, prepared)
    confidence = tune_confidence(engine, prepared, fusion, args.max_wrong_abstention)
    calibration = {
        "note": "Written by bench/answers_tune.py from bench/data/questions_dev.jsonl (dev split only).",
        "fusion": fusion,
        "confidence": confidence,
    }
    if args.dry_run:
        print(json.dumps(calibration, indent=2))
    else:
        CALIBRATION_FILE.write_text(json.dumps(calibration, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
