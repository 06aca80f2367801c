"""Which red flag an urgent-sounding message is about, by embedding similarity to each flag's own words.

The learned classifier says how likely a message describes a medicine's warning sign ("urgent"), but not which
one, and a verdict needs a flag for its advice. The pack already says what each flag looks like: its ``sign`` and
its ``phrases``. They are embedded once at load (with the same MiniLM as the message), and a message is mapped to
the flag whose nearest text is closest. Nothing here is specific to isotretinoin: a second medicine's pack works
without code. Only flags of level "urgent" take part: an emergency flag is the crisis path's business.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rxplain.triage.redflags import RedFlag

log = logging.getLogger(__name__)

# Below this cosine similarity to every text of every flag, the message is about none of them (no urgent verdict
# from the classifier alone). Low on purpose: the classifier's probability, not this, decides whether it is urgent.
MIN_SIMILARITY = 0.20


@dataclass(frozen=True)
class Match:
    flag: RedFlag
    similarity: float


class FlagMatcher:
    """``nearest(vector, medicine)``: the urgent red flag whose sign or phrases are closest to the vector."""

    def __init__(self, flags: Sequence[RedFlag], embedder: Any) -> None:
        self._flags = [f for f in flags if f.level == "urgent"]
        texts: list[str] = []
        owners: list[int] = []
        for index, flag in enumerate(self._flags):
            # "*" (any one word) means nothing to the model: it is dropped from the phrase.
            for text in dict.fromkeys(" ".join(w for w in t.split() if w != "*") for t in (flag.sign.lower(),
                                                                                         *flag.phrases)):
                if text:
                    texts.append(text)
                    owners.append(index)
        self._owners = np.asarray(owners, dtype=np.int64)
        if texts:
            vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
            norms = np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)
            self._vectors = vectors / norms
        else:
            self._vectors = np.zeros((0, 384), dtype=np.float32)

    def nearest(self, vector: Any, medicine: str | None = None) -> Match | None:
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if not len(self._owners) or vector.shape[0] != self._vectors.shape[1]:
            return None
        similarity = self._vectors @ vector
        if medicine is not None and any(f.medicine == medicine for f in self._flags):
            allowed = np.array([self._flags[o].medicine == medicine for o in self._owners])
            similarity = np.where(allowed, similarity, -1.0)
        best = int(np.argmax(similarity))
        if similarity[best] < MIN_SIMILARITY:
            return None
        return Match(self._flags[int(self._owners[best])], float(similarity[best]))
