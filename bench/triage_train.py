"""Train the triage's learned signal (``rxplain/triage/classifier.npz``) and report cross-validated figures.

    .venv/bin/python bench/triage_train.py [--folds 5] [--no-write]

What it does, reproducibly (fixed seeds, deterministic full-batch training):
1. Reads every labelled project set in ``bench/data`` named in ``TRAINING_SETS``: the sets the rules were tuned on
   plus ``messages_train.jsonl`` and ``messages_train2.jsonl``, messages written only to train this model, and
   ``messages_blind2.jsonl`` (an independent held-out set once, measured once, development data since). It never
   reads ``messages_blind7.jsonl``, the current held-out set. This linear signal is the fallback: the triage uses it
   only when the fine-tuned model (``bench/triage_finetune.py``) is absent.
2. Embeds each message exactly as the triage does at run time (normalised text, the semantic signal's window).
3. Chooses the L2 penalty and the thresholds by k-fold cross-validation, nested, so that each outer fold's
   figures come from a model and thresholds chosen without it. Thresholds are set by the false crises they cost
   on harmless messages (see ``thresholds``), not by recall, which the tuned rules make look perfect here.
4. Prints the outer folds' figures for the classifier alone and for the whole triage with it, then fits on all
   the data and writes the weights. The combined figures are optimistic: the rules were tuned on these sets.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from rxplain.triage.flagmatch import FlagMatcher  # noqa: E402
from rxplain.triage.learned import CLASSES, WEIGHTS, LearnedSignal, softmax_fit  # noqa: E402
from rxplain.triage.signal import EMERGENCY, SUICIDE  # noqa: E402
from rxplain.triage.text import prepare  # noqa: E402
from rxplain.triage.verdict import Triage  # noqa: E402

DATA = REPO / "bench" / "data"
TRAINING_SETS = ("messages.jsonl", "messages_dev.jsonl", "messages_holdout.jsonl", "messages_fresh.jsonl",
                 "messages_final.jsonl", "messages_blind.jsonl", "messages_train.jsonl", "messages_blind2.jsonl",
                 "messages_train2.jsonl")
HELD_OUT = "messages_blind7.jsonl"  # never read here: the independent held-out set
KIND_CLASS = {"ok": 0, "hard_negative": 0, "ordinary": 0, "urgent": 1, "suicide": 2, "emergency": 3}
L2_GRID = (3e-5, 1e-4, 3e-4, 1e-3)
HARMLESS_FALSE = 0.01  # false crises the classifier may add on harmless messages the rules did not explain away
URGENT_FALSE = 0.04  # false urgent verdicts the classifier may add on harmless messages (a call to the prescriber)
WINDOW_FALSE = 0.01  # and false crises on long harmless messages read through one window
WINDOW_FLOOR = 0.90  # few long messages are labelled, so the window threshold is never below this
SET_ASIDE_FALSE = 0.02  # and on hard negatives whose crisis words the rules set aside (the rules add their own)
SEED = 20240611


def load_rows() -> list[dict]:
    rows = []
    for name in TRAINING_SETS:
        assert name != HELD_OUT
        path = DATA / name
        if path.exists():
            rows += [dict(json.loads(line), source=name) for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip()]
    return rows


class CachingEmbedder:
    """The real model, each distinct text embedded once: the cross-validation runs every message many times."""

    def __init__(self) -> None:
        from rxplain.embeddings import Embedder

        self._model = Embedder(threads=1)
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self._cache.update(zip(missing, self._model.embed(missing), strict=True))
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def features(triage: Triage, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The run-time vector of each message, whether it has one (empty or unreadable text has none), and whether
    the vector covers the whole message (a long one is read through one window)."""
    x = np.zeros((len(rows), 384), dtype=np.float32)
    has = np.zeros(len(rows), dtype=bool)
    whole = np.ones(len(rows), dtype=bool)
    for i, row in enumerate(rows):
        prepared = prepare(row["text"], triage.lexicon.speller)
        vector, whole[i] = triage.semantic.embed_window(prepared) if prepared.readable else (None, True)
        if vector is not None:
            x[i], has[i] = vector, True
    return x, has, whole


def stratified_folds(kinds: list[str], k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(kinds), dtype=int)
    for kind in sorted(set(kinds)):
        members = np.array([i for i, x in enumerate(kinds) if x == kind])
        rng.shuffle(members)
        fold[members] = np.arange(len(members)) % k
    return fold


def balanced(y: np.ndarray) -> np.ndarray:
    counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
    return 1.0 / np.maximum(counts[y], 1.0)


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    return softmax_fit(x, y, l2, weight=balanced(y), steps=800, seed=SEED)


def predict(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    logits = x @ w + b
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return p / p.sum(axis=1, keepdims=True)


def out_of_fold(x: np.ndarray, y: np.ndarray, kinds: list[str], k: int, l2: float, seed: int) -> np.ndarray:
    fold = stratified_folds(kinds, k, seed)
    p = np.zeros((len(y), len(CLASSES)))
    for f in range(k):
        w, b = fit(x[fold != f], y[fold != f], l2)
        p[fold == f] = predict(w, b, x[fold == f])
    return p


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    # Class-balanced, so the 40% of harmless messages do not decide the penalty alone.
    losses = -np.log(np.clip(p[np.arange(len(y)), y], 1e-9, 1.0))
    return float(np.mean([losses[y == c].mean() for c in range(len(CLASSES)) if np.any(y == c)]))


def choose(x: np.ndarray, y: np.ndarray, kinds: list[str], explained: np.ndarray, whole: np.ndarray, k: int
           ) -> tuple[float, dict]:
    """Penalty by inner cross-validated log loss; thresholds from the inner out-of-fold probabilities."""
    scored = [(log_loss(out_of_fold(x, y, kinds, k, l2, SEED + 1), y), l2) for l2 in L2_GRID]
    l2 = min(scored)[1]
    p = out_of_fold(x, y, kinds, k, l2, SEED + 1)
    return l2, thresholds(p, kinds, explained, whole)


def thresholds(p: np.ndarray, kinds: list[str], explained: np.ndarray, whole: np.ndarray) -> dict[str, float]:
    """Thresholds from out-of-fold crisis probabilities, set by the false alarms they may cost.

    Recall cannot choose them: the rules catch every crisis of the sets they were tuned on, so any threshold
    "reaches" 0.98 there. What the classifier adds is recall on what the rules miss, and what it costs is false
    crises on harmless messages, which are measurable. So ``crisis`` is the lowest threshold at which harmless
    messages without explained-away crisis words stay within ``HARMLESS_FALSE``, and ``crisis_set_aside`` the
    lowest at which hard negatives whose crisis words the rules explained away stay within ``SET_ASIDE_FALSE``.
    ``urgent`` (the classifier alone names the nearest red flag) is the lowest at which harmless messages stay
    within ``URGENT_FALSE``; ``crisis_window`` (a long message read through one window) the lowest at which long
    harmless messages stay within ``WINDOW_FALSE``, and never below ``WINDOW_FLOOR`` (few are labelled).
    """
    crisis = p[:, 2] + p[:, 3]
    kinds_a = np.array(kinds)
    harmless = np.isin(kinds_a, ("ok", "hard_negative", "ordinary"))
    cut = _lowest(crisis[harmless & ~explained], HARMLESS_FALSE)
    aside = _lowest(crisis[harmless & explained], SET_ASIDE_FALSE)
    urgent = _lowest(p[harmless & ~explained, 1], URGENT_FALSE)
    window = max(cut, WINDOW_FLOOR, _lowest(crisis[harmless & ~whole], WINDOW_FALSE))
    return {"crisis": round(cut, 6), "crisis_set_aside": round(max(cut, aside), 6), "urgent": round(urgent, 6),
            "crisis_window": round(window, 6)}


def _lowest(scores: np.ndarray, allowed_rate: float) -> float:
    """The lowest threshold that at most ``allowed_rate`` of these scores reach (ties err toward fewer alarms)."""
    if not len(scores):
        return 1.0
    ordered = np.sort(scores)
    allowed = int(np.floor(allowed_rate * len(ordered)))
    return min(1.0, float(ordered[len(ordered) - allowed - 1]) + 1e-6)


def rule_explained(triage: Triage, rows: list[dict]) -> np.ndarray:
    """Whether the rules set crisis words aside in each message (the pull-back the combiner applies)."""
    out = np.zeros(len(rows), dtype=bool)
    for i, row in enumerate(rows):
        found = triage.lexicon.assess(prepare(row["text"], triage.lexicon.speller))
        out[i] = any(f.level == "set_aside" and f.category in (SUICIDE, EMERGENCY) for f in found) or (
            any(f.level == "urgent" for f in found))
    return out


def report(title: str, rows: list[dict], verdicts: list[str]) -> None:
    counts = Counter((r["label"], v) for r, v in zip(rows, verdicts, strict=True))
    print(f"\n{title}: {len(rows)} messages")
    labels = ("ok", "urgent", "crisis")
    print("  confusion (rows: label, columns: verdict)\n  " + " " * 10 + "".join(f"{p:>9}" for p in labels))
    for gold in labels:
        print(f"  {gold:>10}" + "".join(f"{counts[(gold, p)]:>9}" for p in labels))
    print("  class      recall  precision   n")
    for label in labels:
        gold_n = sum(v for (g, _), v in counts.items() if g == label)
        pred_n = sum(v for (_, p), v in counts.items() if p == label)
        print(f"  {label:>10} {counts[(label, label)] / max(1, gold_n):7.3f} "
              f"{counts[(label, label)] / max(1, pred_n):9.3f} {gold_n:5d}")
    by_kind: dict[str, Counter] = {}
    for row, v in zip(rows, verdicts, strict=True):
        by_kind.setdefault(row["kind"], Counter())[v] += 1
    for kind, want in (("suicide", "crisis"), ("emergency", "crisis"), ("urgent", "urgent"),
                       ("hard_negative", "crisis"), ("ordinary", "crisis")):
        c = by_kind.get(kind, Counter())
        n = sum(c.values())
        name = "recall" if kind in ("suicide", "emergency", "urgent") else "false crisis"
        print(f"  {kind:<13} {name} {c[want] / max(1, n):.3f} ({c[want]}/{n})")


def prepare_data(folds: int) -> tuple[list[dict], Triage, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                       np.ndarray]:
    rows = load_rows()
    triage = Triage(embedder=CachingEmbedder(), learned=False, finetuned=False)
    x, has, whole = features(triage, rows)
    y = np.array([KIND_CLASS[r["kind"]] for r in rows])
    return rows, triage, x, has, y, rule_explained(triage, rows), whole


def cross_validate(folds: int, quiet: bool = False) -> tuple[list[dict], list[str], list[str]]:
    """Outer-fold verdicts of the classifier alone and of the whole triage with it, for every training message."""
    rows, triage, x_all, has, y_all, explained_all, whole_all = prepare_data(folds)
    triage.matcher = FlagMatcher(triage.flags, triage.semantic.embedder)
    kinds = [r["kind"] for r in rows]
    outer = stratified_folds(kinds, folds, SEED)
    alone: list[str] = [""] * len(rows)
    combined: list[str] = [""] * len(rows)
    for f in range(folds):
        train = np.flatnonzero((outer != f) & has)
        l2, cut = choose(x_all[train], y_all[train], [kinds[i] for i in train], explained_all[train],
                         whole_all[train], folds)
        if not quiet:
            print(f"  fold {f}: l2 {l2:g}, thresholds {cut}")
        w, b = fit(x_all[train], y_all[train], l2)
        triage.learned = LearnedSignal(w, b, cut)
        for i in np.flatnonzero(outer == f):
            p = triage.learned.probabilities(x_all[i]) if has[i] else None
            alone[i] = "crisis" if p is not None and p.crisis >= cut["crisis"] else (
                "urgent" if p is not None and p.urgent >= cut["urgent"] else "ok")
            combined[i] = triage.verdict(rows[i]["text"], rows[i].get("history") or ()).verdict
    return rows, alone, combined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="report only; keep the shipped weights")
    args = parser.parse_args()
    rows, alone, combined = cross_validate(args.folds)
    print("training data: " + ", ".join(f"{n} {c}" for n, c in sorted(Counter(r["source"] for r in rows).items())))
    print("\nAll figures below are CROSS-VALIDATED ON TRAINING DATA (outer folds; penalty and thresholds chosen on")
    print("the inner folds). The rules were tuned on most of these messages, so the combined figures are optimistic.")
    report("classifier alone (crisis at the chosen threshold, else argmax of ok/urgent)", rows, alone)
    report("whole triage with the classifier", rows, combined)

    _, _, x, has, y, explained, whole = prepare_data(args.folds)
    kinds = [r["kind"] for r in rows]
    l2, cut = choose(x[has], y[has], [kinds[i] for i in np.flatnonzero(has)], explained[has], whole[has],
                     args.folds)
    w, b = fit(x[has], y[has], l2)
    print(f"\nfinal model: l2 {l2:g}, thresholds {cut}, trained on {int(has.sum())} messages")
    if not args.no_write:
        LearnedSignal(w, b, cut).save(WEIGHTS, l2=np.float64(l2), seed=np.int64(SEED), messages=np.int64(has.sum()))
        print(f"wrote {WEIGHTS.relative_to(REPO)} ({WEIGHTS.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
