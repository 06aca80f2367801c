"""Answer-engine quality: the labelled questions, then the shared consumer question sets.

Prints hit@1, hit@3, MRR on in-scope questions, abstention precision and recall, and the same figures for plain
BM25 over the same passages (the baseline), side by side. Then abstention on MedicationQA and the MedQuAD acne
subset (read from ../shared/eval/ at run time; skipped with a reason when absent).

    .venv/bin/python bench/answers_eval.py [--split test|dev|both] [--show-misses] [--blind]

The engine's threshold and fusion weights are tuned on the development sets listed in bench/answers_tune.py, and
the query encoder is trained on the same (bench/answers_finetune.py). The held-out set is HELD_OUT below: it is read
only with --blind, which prints aggregate figures and never lists its questions.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rxplain.answers import packs  # noqa: E402
from rxplain.answers.engine import AnswerEngine  # noqa: E402
from rxplain.answers.index import passage_search_text  # noqa: E402

DATA = ROOT / "bench" / "data"
# The independent held-out set: written by someone who never saw the engine, evaluated once with --blind. The
# earlier ones (questions_blind.jsonl, questions_blind2.jsonl, questions_blind3.jsonl) were each evaluated once and
# are development data since.
HELD_OUT = "questions_blind4.jsonl"
SHARED = ROOT.parent / "shared" / "eval"
OUT_OF_SCOPE_TARGET = 0.95  # the out-of-scope abstention target
ISOTRETINOIN_WORDS = ("isotretinoin", "accutane", "absorica", "claravis", "amnesteem", "myorisan", "zenatane")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ranks(labels: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first correct section among distinct sections, or None."""
    seen: list[str] = []
    for label in labels:
        if label not in seen:
            seen.append(label)
            if label in answers:
                return len(seen)
    return None


class Bm25Baseline:
    """Plain BM25 (bm25s defaults, English stop words, no stemming) over the same passage texts."""

    def __init__(self, passages: list) -> None:
        self.passages = passages
        self.retriever = bm25s.BM25()
        texts = [passage_search_text(p) for p in passages]
        tokens = bm25s.tokenize(texts, stopwords="en", return_ids=False, show_progress=False)
        self.retriever.index(tokens, show_progress=False)
        self.threshold = 0.0

    def rank(self, question: str) -> tuple[list[str], float]:
        words = bm25s.tokenize([question], stopwords="en", return_ids=False, show_progress=False)[0]
        words = [w for w in words if w in self.retriever.vocab_dict]
        if not words:
            return [], 0.0
        scores = self.retriever.get_scores(words)
        order = np.argsort(-scores)[:10]
        return [self.passages[i].label for i in order if scores[i] > 0], float(scores[order[0]])

    def calibrate(self, questions: list[dict]) -> None:
        """Threshold on the top BM25 score that best separates in-scope from out-of-scope (dev split only)."""
        scored = [(self.rank(q["question"])[1], q["in_scope"]) for q in questions]
        candidates = sorted({s for s, _ in scored})
        best = max(candidates, key=lambda t: sum((s >= t) == inside for s, inside in scored))
        self.threshold = best

    def calibrate_to_abstain(self, questions: list[dict], share: float) -> None:
        """The lowest threshold at which it abstains on ``share`` of the out-of-scope questions (dev split only).

        BM25's most accurate threshold abstains on few questions, so its low wrong abstention comes from hardly
        abstaining at all; at the engine's out-of-scope target the two can be compared on wrong abstention.
        """
        tops = sorted(self.rank(q["question"])[1] for q in questions if not q["in_scope"])
        self.threshold = tops[min(len(tops) - 1, math.ceil(share * len(tops)) - 1)] + 1e-9


def evaluate(name: str, questions: list[dict], answer_fn) -> dict:
    inside = [q for q in questions if q["in_scope"]]
    outside = [q for q in questions if not q["in_scope"]]
    r1 = r3 = rr = 0.0
    wrong_abstain = abstain_out = 0
    answered_right = 0
    misses = []
    for q in inside:
        labels, abstained = answer_fn(q["question"])
        rank = ranks(labels, q["answers"])
        r1 += rank == 1
        r3 += rank is not None and rank <= 3
        rr += 1 / rank if rank else 0
        wrong_abstain += abstained
        answered_right += (not abstained) and rank == 1
        if rank != 1 or abstained:
            misses.append((q, labels[:3], abstained))
    false_abstain_out = []
    for q in outside:
        labels, abstained = answer_fn(q["question"])
        abstain_out += abstained
        if not abstained:
            false_abstain_out.append((q, labels[:1]))
    total_abstained = wrong_abstain + abstain_out
    n_in, n_out = max(1, len(inside)), max(1, len(outside))
    return {
        "name": name,
        "in": len(inside),
        "out": len(outside),
        "hit@1": r1 / n_in,
        "hit@3": r3 / n_in,
        "MRR": rr / n_in,
        "answered+correct@1": answered_right / n_in,
        "abstain precision": abstain_out / total_abstained if total_abstained else 1.0,
        "abstain recall (out-of-scope)": abstain_out / n_out,
        "wrong abstention (in-scope)": wrong_abstain / n_in,
        "_misses": misses,
        "_answered_out": false_abstain_out,
    }


def print_side_by_side(engine_row: dict, base_row: dict, title: str, matched_row: dict) -> None:
    print(f"\n{title}: {engine_row['in']} in-scope, {engine_row['out']} out-of-scope questions")
    print(f"  {'metric':32s} {'engine':>8s} {'BM25':>8s} {'BM25 at the same out-of-scope target':>38s}")
    for key in ("hit@1", "hit@3", "MRR", "answered+correct@1", "abstain precision", "abstain recall (out-of-scope)",
                "wrong abstention (in-scope)"):
        print(f"  {key:32s} {engine_row[key]:8.3f} {base_row[key]:8.3f} {matched_row[key]:38.3f}")


def engine_fn(engine: AnswerEngine):
    def run(question: str) -> tuple[list[str], bool]:
        answer = engine.answer(question)
        return [p.label for p in answer.ranked], answer.abstained

    return run


def baseline_fn(baseline: Bm25Baseline):
    def run(question: str) -> tuple[list[str], bool]:
        labels, top = baseline.rank(question)
        return labels, top < baseline.threshold or not labels

    return run


def shared_sets(engine: AnswerEngine) -> None:
    print("\nShared consumer questions (../shared/eval/)")
    sources = [
        ("MedicationQA, all", SHARED / "medicationqa" / "medicationqa_all.jsonl", "question"),
        ("MedicationQA, acne-related", SHARED / "medicationqa" / "medicationqa_acne_related.jsonl", "question"),
        ("MedQuAD, acne subset", SHARED / "medquad_acne" / "medquad_acne_related.jsonl", "question"),
    ]
    for title, path, field in sources:
        if not path.exists():
            print(f"  {title}: skipped, {path} not found")
            continue
        rows = read_jsonl(path)
        questions = list(dict.fromkeys(str(r.get(field) or "") for r in rows))
        iso = [q for q in questions if any(w in q.lower() for w in ISOTRETINOIN_WORDS)]
        other = [q for q in questions if q not in iso]
        reasons: Counter[str] = Counter()
        abstained = 0
        for q in other:
            a = engine.answer(q)
            abstained += a.abstained
            reasons[a.reason] += 1
        rate = abstained / len(other) if other else 0.0
        print(f"  {title}: {len(questions)} distinct questions; {len(other)} not about isotretinoin: "
              f"abstained on {abstained} ({rate:.1%}); outcomes {dict(reasons.most_common())}")
        answered_other = [q for q in other if not engine.answer(q).abstained]
        for q in answered_other[:8]:
            a = engine.answer(q)
            print(f"      answered (not isotretinoin): {q[:70]!r} -> {a.citations[0].article} › {a.citations[0].section}")
        for q in iso:
            a = engine.answer(q)
            where = f"{a.citations[0].article} › {a.citations[0].section}" if a.citations else "-"
            print(f"      isotretinoin: {q[:70]!r}: {'abstained' if a.abstained else 'answered'} "
                  f"[{a.reason}, intent {a.intent}] {where}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev", "both"], default="both")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-shared", action="store_true")
    parser.add_argument("--blind", action="store_true", help="evaluate the held-out blind set only (once, at the end)")
    args = parser.parse_args()

    start = time.perf_counter()
    engine = packs.engine_from_content(progress=True)
    print(f"engine: {len(engine.index.passages)} passages, ready in {time.perf_counter() - start:.1f} s")
    baseline = Bm25Baseline(engine.index.passages)
    dev = read_jsonl(DATA / "questions_dev.jsonl")
    baseline.calibrate(dev)  # the baseline gets the same dev-split calibration as the engine
    matched = Bm25Baseline(engine.index.passages)
    matched.calibrate_to_abstain(dev, OUT_OF_SCOPE_TARGET)
    splits = {"dev": dev, "test": read_jsonl(DATA / "questions.jsonl")}
    chosen = ["dev", "test"] if args.split == "both" else [args.split]
    if args.blind:
        splits["blind"] = read_jsonl(DATA / HELD_OUT)
        chosen, args.show_misses = ["blind"], False  # aggregate figures only: its questions stay unseen
    for split in chosen:
        questions = splits[split]
        mine = evaluate("engine", questions, engine_fn(engine))
        base = evaluate("bm25", questions, baseline_fn(baseline))
        at_target = evaluate("bm25 matched", questions, baseline_fn(matched))
        label = {"test": "TEST (old test set, now development data)", "dev": "DEV (used for tuning)",
                 "blind": f"BLIND (held out, bench/data/{HELD_OUT})"}[split]
        print_side_by_side(mine, base, label, at_target)
        if args.show_misses:
            for q, labels, abstained in mine["_misses"]:
                print(f"    miss {q['id']}: {q['question'][:70]!r} want {q['answers'][:2]} got {labels} "
                      f"{'ABSTAINED' if abstained else ''}")
            for q, labels in mine["_answered_out"]:
                print(f"    answered out-of-scope {q['id']}: {q['question'][:70]!r} -> {labels}")
    if not args.no_shared:
        shared_sets(engine)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
