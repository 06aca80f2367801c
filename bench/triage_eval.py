"""Quality figures for the safety triage (printed, not a test).

Runs ``rxplain.triage.verdict`` on
- the project's labelled sets in ``bench/data/`` (``--dev`` adds the tuning set ``messages_dev.jsonl``). Each of
  ``messages.jsonl``, ``messages_holdout.jsonl``, ``messages_fresh.jsonl``, ``messages_final.jsonl`` was written as
  a held-out set after the rules, measured once, and then used for tuning, in that order; ``messages_blind.jsonl``
  was written after them, and ``messages_blind2.jsonl`` was an independent held-out set, measured once and
  development data since. Expect near-perfect scores on all of these: the rules were tuned on them and the
  learned classifier (``bench/triage_train.py``) is trained on them, so they say little about new phrasings;
  ``messages_blind3.jsonl`` was the next independent held-out set (measured once), and ``messages_train4.jsonl``
  was written to train the fine-tuned classifier;
- the cross-validated figures of the whole triage with the fine-tuned classifier, when ``var/triage-oof.npz``
  exists (``bench/triage_finetune.py --oof``): each message read by a model trained without it. Optimistic all the
  same: the thresholds were chosen on these readings and the rules were tuned on many of these messages;
  ``messages_blind4.jsonl``, ``messages_blind5.jsonl`` and ``messages_blind6.jsonl`` were the held-out sets of the
  first fine-tuned models (each measured once), training data since, with ``messages_train6.jsonl`` and the
  messages in other languages of ``messages_train7.jsonl``; ``messages_blind7.jsonl`` was the held-out set of the
  third fine-tuned model (measured once), trained on since with ``messages_train8.jsonl``. The list of these sets
  is ``TRAINING_SETS`` in ``bench/triage_finetune.py``. ``messages_blind8.jsonl`` to ``messages_blind10.jsonl``
  (``MEASURED``) were held-out sets of the fourth session, each measured once (rules were tuned on the misses of
  the first two), not yet trained on;
- ``HELD_OUT`` of ``bench/triage_finetune.py`` (``messages_blind11.jsonl``) when it exists: the independent held-out
  set written without seeing the rules or the classifiers, measured once. It is never used for training or tuning (anyone tuning the triage runs with
  ``--skip-held-out``);
- the crisis data in ``../shared/eval/`` (read at run time, never copied): hand-labelled tweets that all contain
  "suicidal", and 500 Reddit users rated on the Columbia scale (user-level labels).
Prints per-class recall and precision, the confusion matrix, recall per kind, and the false-crisis rate on hard
negatives and on ordinary questions. ``--show`` lists the project's misread messages (our own text only).

    .venv/bin/python bench/triage_eval.py [--dev] [--show] [--skip-shared] [--oof FILE] [--limit N]
        [--held-out FILE | --skip-held-out]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
csv.field_size_limit(sys.maxsize)

import numpy as np  # noqa: E402

from bench.triage_finetune import HELD_OUT, MEASURED, TRAINING_SETS  # noqa: E402 - one list, shared with the training
from rxplain.triage import verdict  # noqa: E402
from rxplain.triage.text import prepare  # noqa: E402
from rxplain.triage.verdict import Triage  # noqa: E402

LABELS = ("ok", "urgent", "crisis")
SHARED = REPO.parent / "shared" / "eval"


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def confusion(pairs: list[tuple[str, str]]) -> None:
    counts = Counter(pairs)
    print("  confusion (rows: label, columns: verdict)")
    print("  " + " " * 10 + "".join(f"{p:>9}" for p in LABELS))
    for gold in LABELS:
        print(f"  {gold:>10}" + "".join(f"{counts[(gold, p)]:>9}" for p in LABELS))
    print("  class      recall  precision   n")
    for label in LABELS:
        tp = counts[(label, label)]
        gold_n = sum(v for (g, _), v in counts.items() if g == label)
        pred_n = sum(v for (_, p), v in counts.items() if p == label)
        recall = tp / gold_n if gold_n else float("nan")
        precision = tp / pred_n if pred_n else float("nan")
        print(f"  {label:>10} {recall:7.3f} {precision:9.3f} {gold_n:5d}")


def project_set(path: Path, show: bool, title: str = "") -> None:
    rows = load_jsonl(path)
    name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    print(f"\n== {name}{title}: {len(rows)} messages")
    pairs, by_kind, wrong, category_right = [], defaultdict(Counter), [], Counter()
    for row in rows:
        result = verdict(row["text"], row.get("history") or ())
        pairs.append((row["label"], result.verdict))
        by_kind[row["kind"]][result.verdict] += 1
        if result.verdict != row["label"]:
            wrong.append((row, result))
        elif row["label"] != "ok":
            category_right[row["label"], result.category == row.get("category")] += 1
    confusion(pairs)
    print("  kind            n   crisis  urgent      ok")
    for kind in ("suicide", "emergency", "urgent", "hard_negative", "ordinary"):
        c = by_kind[kind]
        n = sum(c.values())
        if n:
            print(f"  {kind:<13} {n:4d} " + "".join(f"{c[v] / n:8.3f}" for v in ("crisis", "urgent", "ok")))
    for label in ("crisis", "urgent"):
        right = category_right[label, True]
        total = right + category_right[label, False]
        if total:
            print(f"  right category among correct {label} verdicts: {right}/{total}")
    for kind in ("suicide", "emergency"):
        c = by_kind[kind]
        print(f"  {kind} recall (crisis): {c['crisis'] / max(1, sum(c.values())):.3f}")
    c = by_kind["urgent"]
    print(f"  urgent recall (urgent): {c['urgent'] / max(1, sum(c.values())):.3f}; "
          f"flagged (urgent or crisis): {(c['urgent'] + c['crisis']) / max(1, sum(c.values())):.3f}")
    for kind in ("hard_negative", "ordinary"):
        c = by_kind[kind]
        n = max(1, sum(c.values()))
        print(f"  false crisis on {kind}: {c['crisis'] / n:.3f} ({c['crisis']}/{sum(c.values())}); "
              f"any flag: {(c['crisis'] + c['urgent']) / n:.3f}")
    if show:
        for row, result in wrong:
            print(f"  MISS {row['id']} {row['label']}->{result.verdict} [{row['kind']}] {row['text'][:110]!r} "
                  f"| {'; '.join(result.evidence)[:120]}")


class OutOfFold:
    """The fine-tuned signal replayed from out-of-fold probabilities: each message read by a model trained without
    it (saved by ``bench/triage_finetune.py --oof``), with the shipped thresholds."""

    def __init__(self, path: Path, rows: list[dict], speller) -> None:
        from rxplain.triage.classifier import FineTunedSignal, Reading, classifier_text, piece_counter
        from rxplain.triage.learned import Probabilities

        with np.load(path, allow_pickle=False) as data:
            by_id = dict(zip((str(i) for i in data["ids"]), data["p"], strict=True))
        pieces = piece_counter()
        self.readings = {}
        for row in rows:
            text = prepare(row["text"], speller).text
            p = by_id[row["id"]]
            self.readings[text] = Reading(Probabilities(*(float(x) for x in p)), classifier_text(text, pieces) == text)
        shipped = FineTunedSignal.load()
        self.thresholds = shipped.thresholds if shipped else {}

    def read(self, text: str):
        return self.readings.get(text)


def cross_validated(oof: Path) -> None:
    """The whole triage, each message read by a fine-tuned classifier trained without it."""
    sys.path.insert(0, str(REPO / "bench"))
    import triage_finetune

    rows = triage_finetune.load_rows()
    lexicon = Triage(semantic=False, learned=False, finetuned=False)
    engine = Triage(semantic=False, learned=False, finetuned=OutOfFold(oof, rows, lexicon.lexicon.speller))
    print(f"\n== CROSS-VALIDATED ON TRAINING DATA ({oof.name}): whole triage, each message read by a fine-tuned "
          "model trained without it; thresholds chosen on these same out-of-fold readings, and the rules were tuned "
          "on many of these messages, so optimistic")
    combined = [engine.verdict(row["text"]).verdict for row in rows]
    pairs = [(row["label"], v) for row, v in zip(rows, combined, strict=True)]
    confusion(pairs)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for row, v in zip(rows, combined, strict=True):
        by_kind[row["kind"]][v] += 1
    for kind, want in (("suicide", "crisis"), ("emergency", "crisis"), ("urgent", "urgent")):
        c = by_kind[kind]
        print(f"  {kind} recall ({want}): {c[want] / max(1, sum(c.values())):.3f} ({c[want]}/{sum(c.values())})")
    for kind in ("hard_negative", "ordinary"):
        c = by_kind[kind]
        print(f"  false crisis on {kind}: {c['crisis'] / max(1, sum(c.values())):.3f} ({c['crisis']}/{sum(c.values())})")


def binary(name: str, items: list[tuple[bool, bool]], extra: str = "") -> None:
    tp = sum(1 for g, p in items if g and p)
    fp = sum(1 for g, p in items if not g and p)
    fn = sum(1 for g, p in items if g and not p)
    tn = len(items) - tp - fp - fn
    recall = tp / max(1, tp + fn)
    precision = tp / max(1, tp + fp)
    print(f"  {name}: n={len(items)} crisis recall {recall:.3f}, precision {precision:.3f}, "
          f"false crisis on not-crisis {fp / max(1, fp + tn):.3f}  [tp {tp} fp {fp} fn {fn} tn {tn}]{extra}")


def shared_rows(path: Path, limit: int | None) -> list[dict] | None:
    """Rows of a shared evaluation CSV, or None (with a printed reason) where ../shared is absent."""
    if not path.exists():
        print(f"\n== {path}: absent, skipped")
        return None
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[:limit]


def twitter(limit: int | None) -> None:
    rows = shared_rows(SHARED / "crisis_twitter_suicidal" / "crisis_balanced_2000.csv", limit)
    if rows is None:
        return
    print(f"\n== shared twitter 'suicidal' tweets (balanced): {len(rows)}")
    items, shown = [], Counter()
    for row in rows:
        result = verdict(row["text"])
        items.append((row["label"] == "crisis", result.verdict == "crisis"))
        shown[row["label"], result.verdict] += 1
    binary("verdict crisis", items)
    print("  verdicts by label: " + ", ".join(f"{g}->{p}: {n}" for (g, p), n in sorted(shown.items())))


def cssrs(limit: int | None) -> None:
    rows = shared_rows(SHARED / "crisis_cssrs_reddit500" / "cssrs_users_500.csv", limit)
    if rows is None:
        return
    print(f"\n== shared C-SSRS Reddit users: {len(rows)} (a user is crisis when any post is; earlier posts as history)")
    items, per_label, posts, started = [], defaultdict(Counter), 0, time.perf_counter()
    for row in rows:
        try:
            texts = [str(p) for p in ast.literal_eval(row["posts"])]
        except (ValueError, SyntaxError):
            texts = [row["posts"]]
        crisis = False
        for index, text in enumerate(texts):
            posts += 1
            if verdict(text, texts[max(0, index - 3):index]).verdict == "crisis":
                crisis = True
                break
        items.append((row["binary_label"] == "crisis", crisis))
        per_label[row["cssrs_label"]][crisis] += 1
    binary("user crisis", items, f"  ({posts} posts read in {time.perf_counter() - started:.0f} s)")
    for label in ("Supportive", "Indicator", "Ideation", "Behavior", "Attempt"):
        c = per_label[label]
        if c:
            print(f"  {label:<10} n={sum(c.values()):3d} flagged crisis {c[True] / sum(c.values()):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also run the tuning set")
    parser.add_argument("--show", action="store_true", help="list misread messages of the project's sets")
    parser.add_argument("--skip-shared", action="store_true")
    parser.add_argument("--oof", type=Path, default=REPO / "var" / "triage-oof.npz",
                        help="out-of-fold probabilities from bench/triage_finetune.py --oof (read if it exists)")
    parser.add_argument("--held-out", type=Path, default=REPO / "bench" / "data" / HELD_OUT,
                        help="the independent held-out set (read only if it exists)")
    parser.add_argument("--skip-held-out", action="store_true",
                        help="do not read the held-out set (for anyone tuning the triage: it must stay unseen)")
    parser.add_argument("--limit", type=int, default=None, help="rows per shared set")
    args = parser.parse_args()
    verdict("warm up")
    if args.dev:
        project_set(REPO / "bench" / "data" / "messages_dev.jsonl", args.show)
    for name in (*(n for n in TRAINING_SETS if n != "messages_dev.jsonl"), *MEASURED):
        path = REPO / "bench" / "data" / name
        if path.exists():
            # These sets shaped the rules and trained the classifier: their figures show fit, not generalisation.
            project_set(path, args.show, " - development data (rules tuned and classifier trained on it)")
    if args.oof.exists():
        cross_validated(args.oof)
    else:
        print(f"\n== cross-validated figures: {args.oof} absent (python bench/triage_finetune.py --oof {args.oof})")
    if args.skip_held_out:
        print("\n== independent held-out set: skipped (--skip-held-out)")
    elif args.held_out.exists():
        # Figures only, never the misread messages: whoever reads this output must not learn the set's wording.
        project_set(args.held_out, False, " - independent held-out set (written without seeing the rules)")
    else:
        print(f"\n== independent held-out set {args.held_out.name}: absent, skipped")
    if not args.skip_shared:
        twitter(args.limit)
        cssrs(args.limit)


if __name__ == "__main__":
    main()
