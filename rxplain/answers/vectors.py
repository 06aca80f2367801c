"""Embedding side of the index: what text each vector stands for, batching with a progress bar, sentence vectors.

Besides one vector per passage, every quotable unit of a passage (a sentence, or a list item) gets its own vector.
A patient asking about "ringing in my ears" matches one line of a long warning list far better than the list as a
whole, and a question our content does not cover ("can I get a tattoo?") matches no single sentence well: the
best sentence similarity is both a ranking signal and the strongest input to the abstention model. Sentence vectors
are stored as int8 with a per-row scale (a quarter of float32) and only ever compared for candidate passages, so
they stay cheap at 100,000 passages.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from rxplain.answers.passages import Passage, quotable_units

EMBED_BATCH = 64
DIMENSIONS = 384
MAX_UNITS = 8  # per passage: a longer passage has its shortest neighbouring units merged


def passage_embed_text(p: Passage) -> str:
    if p.kind == "faq":
        return f"{p.question} {p.text}"
    if p.kind == "glossary":
        also = f" ({', '.join(p.aliases)})" if p.aliases else ""
        return f"{p.section}{also}: {p.text}"
    return f"{p.article} — {p.section}. {p.text}"


def unit_texts(p: Passage) -> list[str]:
    """One text per quotable unit, led by its heading so that "Ask your prescriber." still says about what."""
    units = [" ".join(u).removeprefix("- ") for u in quotable_units(p.text)] or [p.text]
    while len(units) > MAX_UNITS:
        i = min(range(len(units) - 1), key=lambda j: len(units[j]) + len(units[j + 1]))
        units[i: i + 2] = [f"{units[i]} {units[i + 1]}"]
    lead = p.question if p.kind == "faq" else p.section
    return [f"{lead}: {u}" for u in units]


def embed_all(
    embed: Callable[[list[str]], np.ndarray], texts: list[str], progress: bool, desc: str
) -> np.ndarray:
    """Embed texts in length-sorted batches (little padding) with a progress bar on stderr; rows keep their order."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    bar = tqdm(total=len(texts), desc=desc, unit="text", disable=not progress or not texts, file=sys.stderr)
    for start in range(0, len(order), EMBED_BATCH):
        rows = order[start: start + EMBED_BATCH]
        out[rows] = embed([texts[i] for i in rows])
        bar.update(len(rows))
    bar.close()
    return out


@dataclass
class UnitVectors:
    codes: np.ndarray  # (u, 384) int8
    scales: np.ndarray  # (u,) float32: row = codes * scale
    start: np.ndarray  # (n + 1,) int64: units of passage i are rows start[i]:start[i + 1]

    @classmethod
    def from_float(cls, vectors: np.ndarray, counts: list[int]) -> UnitVectors:
        scales = np.abs(vectors).max(axis=1) / 127.0 if len(vectors) else np.zeros(0, dtype=np.float32)
        scales = np.where(scales > 0, scales, 1.0).astype(np.float32)
        codes = np.round(vectors / scales[:, None]).astype(np.int8)
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(codes=codes, scales=scales, start=start)

    def __len__(self) -> int:
        return len(self.codes)

    def best(self, rows: list[int], query: np.ndarray) -> np.ndarray:
        """For each passage row, the highest similarity of the query to any of its units."""
        if not rows:
            return np.zeros(0, dtype=np.float32)
        spans = [np.arange(self.start[r], self.start[r + 1]) for r in rows]
        flat = np.concatenate(spans)
        sims = (self.codes[flat].astype(np.float32) @ query) * self.scales[flat]
        bounds = np.cumsum([0] + [len(s) for s in spans])
        return np.array([sims[a:b].max() if b > a else -1.0 for a, b in zip(bounds[:-1], bounds[1:], strict=True)],
                        dtype=np.float32)

    def scan(self, query: np.ndarray, passages: int) -> np.ndarray:
        """Best unit similarity of every passage (a full scan: used only while the index is small)."""
        sims = (self.codes.astype(np.float32) @ query) * self.scales
        out = np.full(passages, -1.0, dtype=np.float32)
        owner = np.repeat(np.arange(passages), np.diff(self.start))
        np.maximum.at(out, owner, sims)
        return out


def build_units(
    passages: list[Passage],
    embed: Callable[[list[str]], np.ndarray],
    progress: bool,
    vectors: np.ndarray | None = None,
) -> UnitVectors:
    texts_per = [unit_texts(p) for p in passages]
    if vectors is None:
        vectors = embed_all(embed, [t for texts in texts_per for t in texts], progress, "embed sentences")
    return UnitVectors.from_float(vectors, [len(t) for t in texts_per])


EXACT_LIMIT = 20_000  # up to this many passages the dense scan is exact float32
PROJECTED_DIMS = 128


@dataclass
class DenseVectors:
    """Passage vectors, searchable by cosine similarity.

    Small corpora keep exact float32 rows. Large ones keep a 128-dimension PCA projection (float32) for the scan
    and int8 full vectors to rescore the candidates exactly: a third of the memory traffic of a float32 scan, and
    the candidates' scores stay within about 0.01 of the exact cosine.
    """

    full: np.ndarray | None = None  # (n, 384) float32, small corpora
    codes: np.ndarray | None = None  # (n, 384) int8, large corpora
    scales: np.ndarray | None = None  # (n,)
    basis: np.ndarray | None = None  # (384, d) principal directions
    projected: np.ndarray | None = None  # (n, d) float32

    @classmethod
    def from_float(cls, vectors: np.ndarray, exact_limit: int = EXACT_LIMIT) -> DenseVectors:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(vectors) <= exact_limit:
            return cls(full=vectors)
        sample = vectors[np.random.default_rng(0).choice(len(vectors), size=min(len(vectors), 20_000),
                                                         replace=False)]
        _, _, vt = np.linalg.svd(sample - sample.mean(axis=0), full_matrices=False)
        basis = np.ascontiguousarray(vt[:PROJECTED_DIMS].T, dtype=np.float32)
        units = UnitVectors.from_float(vectors, [1] * len(vectors))
        return cls(codes=units.codes, scales=units.scales, basis=basis,
                   projected=np.ascontiguousarray(vectors @ basis, dtype=np.float32))

    def __len__(self) -> int:
        return len(self.full) if self.full is not None else len(self.codes)  # type: ignore[arg-type]

    def score(self, rows: list[int], query: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query to the given rows."""
        if self.full is not None:
            return self.full[rows] @ query
        return (self.codes[rows].astype(np.float32) @ query) * self.scales[rows]  # type: ignore[index]

    def top(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k rows most similar to the query (among allowed rows), best first, with their scores."""
        if self.full is not None:
            approx = self.full @ query
        else:
            approx = self.projected @ (self.basis.T @ query)  # type: ignore[union-attr,operator]
            k_scan = min(len(approx), k * 3)  # the projection only shortlists: rescore exactly below
        if allowed is not None:
            approx = np.where(allowed, approx, -np.inf)
        if self.full is not None:
            rows = top_rows(approx, k)
            return [(int(r), float(approx[r])) for r in rows if np.isfinite(approx[r])]
        shortlist = [int(r) for r in top_rows(approx, k_scan) if np.isfinite(approx[r])]
        exact = self.score(shortlist, query)
        order = np.argsort(-exact, kind="stable")[:k]
        return [(shortlist[i], float(exact[i])) for i in order]

    def arrays(self) -> dict[str, np.ndarray]:
        names = ("full", "codes", "scales", "basis", "projected")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]
