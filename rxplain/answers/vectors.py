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
