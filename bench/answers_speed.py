"""Answer-engine speed: index build and load time, p50/p99 latency of one question, peak memory.

Two corpora: the shipped pack (content/*), and a synthetic 100,000-passage corpus generated here from the pack's
own sentences (real pack passages plus synthetic ones made of 2-6 sentences drawn at random, under random article
and section titles). Each measurement runs in a fresh child process pinned to one core with one thread, so peak
memory (ru_maxrss) is that of a process serving questions, not of the benchmark.

Synthetic passages are not embedded with the model by default (that alone would take about an hour at the
measured rate): each sentence reuses the vector of the pack sentence it was drawn from, and a passage's vector is
the normalised mean of its sentence vectors. Latency and memory depend on the shapes, not on the values. The
printed 100k build time therefore excludes embedding; the embedding time at the measured throughput is printed
next to it. ``--embed`` embeds everything for real instead.

    .venv/bin/python bench/answers_speed.py [--passages 100000] [--questions 300] [--embed]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"


def single_core() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questions(n: int) -> list[str]:
    rows = []
    for name in ("questions_dev.jsonl", "questions.jsonl"):
        path = DATA / name
        if path.exists():
            rows += [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    random.Random(7).shuffle(rows)
    return (rows * (n // max(1, len(rows)) + 1))[:n]


def synthetic(n: int, embed: bool) -> tuple[list, list[dict], object, object, float]:
    """(passages, medicines, passage vectors, unit vectors, embedding rate in texts/s) for an n-passage corpus."""
    import numpy as np

    from rxplain.answers import packs
    from rxplain.answers.engine import AnswerEngine
    from rxplain.answers.passages import Passage, quotable_units
    from rxplain.answers.vectors import unit_texts
    from rxplain.embeddings import default_embedder

    pack = packs.read_packs()
    real = packs.passages_of(pack)
    medicines = [packs.medicine_of(p) for p in pack]
    sentences = sorted({" ".join(u) for p in real for u in quotable_units(p.text)})
    titles = sorted({p.section for p in real if p.kind == "section"})
    articles = sorted({p.article for p in real})
    rng = random.Random(42)
    out = list(real)
    for i in range(n - len(real)):
        picked = rng.sample(sentences, rng.randint(2, 6))
        slug = f"synthetic-{i // 8}"
        anchor = f"part-{i % 8}"
        out.append(Passage(
            id=f"isotretinoin:{slug}#{anchor}:0", url=f"/isotretinoin/{slug}/#{anchor}", medicine="isotretinoin",
            article=f"{rng.choice(articles)} ({i // 8})", article_slug=slug, section=rng.choice(titles),
            anchor=anchor, text="\n".join(picked), kind="section",
        ))
    embedder = default_embedder()
    embedder.embed(["load the model before timing it"])
    sample = [f"{titles[0]}: {s}" for s in sentences[:256]]
    start = time.perf_counter()
    embedder.embed(sample)
    rate = len(sample) / (time.perf_counter() - start)
    if embed:
        return out, medicines, None, None, rate
    engine = AnswerEngine.build(real, medicines, progress=False)  # real vectors for the real pack's sentences
    by_sentence = {}
    for p in real:
        rows = range(engine.index.units.start[real.index(p)], engine.index.units.start[real.index(p) + 1])
        for text, row in zip(unit_texts(p), rows, strict=True):
            sentence = text.split(": ", 1)[1]
            by_sentence.setdefault(sentence, engine.index.units.codes[row].astype(np.float32)
                                   * engine.index.units.scales[row])
    dim = 384
    fallback = np.ones(dim, dtype=np.float32) / np.sqrt(dim)
    unit_rows, passage_rows = [], []
    for p in out:
        vecs = [by_sentence.get(t.split(": ", 1)[1].removeprefix("- "), by_sentence.get(t.split(": ", 1)[1], fallback))
                for t in unit_texts(p)]
        unit_rows.extend(vecs)
        mean = np.mean(vecs, axis=0)
        passage_rows.append(mean / max(1e-9, float(np.linalg.norm(mean))))
    return out, medicines, np.array(passage_rows, dtype=np.float32), np.array(unit_rows, dtype=np.float32), rate


def child_build(kind: str, directory: str, n: int, embed: bool) -> dict:
    single_core()
    from rxplain.answers import packs
    from rxplain.answers.engine import AnswerEngine

    if kind == "pack":
        pack = packs.read_packs()
        passages, medicines = packs.passages_of(pack), [packs.medicine_of(p) for p in pack]
        start = time.perf_counter()
        engine = AnswerEngine.build(passages, medicines, progress=True)
        seconds, extra = time.perf_counter() - start, {}
    else:
        passages, medicines, vectors, units, rate = synthetic(n, embed)
        start = time.perf_counter()
        engine = AnswerEngine.build(passages, medicines, progress=True, vectors=vectors, unit_vectors=units)
        seconds = time.perf_counter() - start
        texts = len(passages) + len(engine.index.units)
        extra = {"embed_rate": rate, "texts_to_embed": texts, "embedded": embed}
    engine.save(directory)
    return {"build_s": seconds, "passages": len(passages), "sentences": len(engine.index.units),
            "build_peak_mb": peak_mb(), **extra}


def child_query(directory: str, n: int) -> dict:
    single_core()
    import numpy as np

    from rxplain.answers.engine import AnswerEngine
    from rxplain.answers.query_encoder import QueryEncoder
    from rxplain.embeddings import default_embedder

    # The model that embeds questions (the fine-tuned query encoder, else the stock model) is loaded once per
    # process, before any question; a serving process does not load the stock model when the encoder is shipped.
    encoder = QueryEncoder.load() or default_embedder()
    encoder.embed(["warm up the model"])
    base = peak_mb()
    start = time.perf_counter()
    engine = AnswerEngine.load(directory, embedder=None if isinstance(encoder, QueryEncoder) else encoder,
                               query_encoder=encoder)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    engine.warm()  # one-off costs a server pays once at start-up (English word list, first calls)
    warm_s = time.perf_counter() - start
    asked = questions(n)
    times = []
    for q in asked:
        t = time.perf_counter()
        engine.answer(q)
        times.append((time.perf_counter() - t) * 1000)
    return {"load_s": load_s, "warm_s": warm_s, "p50_ms": float(np.percentile(times, 50)), "p99_ms": float(np.percentile(times, 99)),
            "max_ms": max(times), "questions": len(times), "peak_mb": peak_mb(), "model_and_runtime_mb": base}


def run_child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"child {args} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--embed", action="store_true", help="embed the synthetic corpus with the model (slow)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "query":
            result = child_query(rest[0], int(rest[1]))
        else:
            result = child_build(kind, rest[0], int(rest[1]), rest[2] == "1")
        print(json.dumps(result))
        return 0
    print("answer engine speed (one core, one thread; each figure from a fresh process)")
    with tempfile.TemporaryDirectory() as tmp:
        for kind, n in (("pack", 0), ("synthetic", args.passages)):
            directory = str(Path(tmp) / kind)
            built = run_child(["--child", kind, directory, str(n), "1" if args.embed else "0"])
            served = run_child(["--child", "query", directory, str(args.questions)])
            label = "shipped pack" if kind == "pack" else f"synthetic corpus, {built['passages']:,} passages"
            print(f"\n{label}: {built['passages']:,} passages, {built['sentences']:,} sentence vectors")
            line = f"  build {built['build_s']:.1f} s"
            if kind != "pack" and not built["embedded"]:
                eta = built["texts_to_embed"] / built["embed_rate"] / 60
                line += (f" with precomputed vectors (embedding its {built['texts_to_embed']:,} texts would add "
                         f"~{eta:.0f} min at the measured {built['embed_rate']:.0f} texts/s)")
            print(line + f"; build peak memory {built['build_peak_mb']:.0f} MB")
            print(f"  load {served['load_s'] * 1000:.0f} ms (then warm-up {served['warm_s'] * 1000:.0f} ms, once per process)")
            print(f"  one question ({served['questions']} asked): p50 {served['p50_ms']:.1f} ms, "
                  f"p99 {served['p99_ms']:.1f} ms, max {served['max_ms']:.1f} ms")
            print(f"  peak memory while serving {served['peak_mb']:.0f} MB "
                  f"(of which model and runtime before loading the index {served['model_and_runtime_mb']:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
