"""Passages on disk, decoded only when asked for.

At 100,000 passages, parsing every passage into Python objects at load time would take seconds and hundreds of
megabytes; a question only ever looks at a dozen. The store maps the saved file read-only (the operating system
pages in only what is read) and decodes, and caches, a passage when the engine reads it.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from rxplain.answers.passages import Passage

CACHE = 4096  # decoded passages kept; a question touches at most a few dozen


class PassageStore(Sequence):
    def __init__(self, data: bytes | mmap.mmap, offsets: np.ndarray) -> None:
        self._data = data
        self._offsets = offsets  # (n + 1,): passage i is data[offsets[i]:offsets[i + 1]]
        self._cache: dict[int, Passage] = {}

    @classmethod
    def from_passages(cls, passages: list[Passage]) -> PassageStore:
        lines = [json.dumps(p.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n" for p in passages]
        offsets = np.concatenate([[0], np.cumsum([len(line) for line in lines])]).astype(np.int64)
        store = cls(b"".join(lines), offsets)
        store._cache = dict(enumerate(passages)) if len(passages) <= CACHE else {}
        return store

    def save(self, directory: Path) -> None:
        (directory / "passages.jsonl").write_bytes(self._data[:])
        np.save(directory / "passage_offsets.npy", self._offsets)

    @classmethod
    def load(cls, directory: Path) -> PassageStore:
        offsets = np.load(directory / "passage_offsets.npy")
        if offsets[-1] == 0:
            return cls(b"", offsets)
        with open(directory / "passages.jsonl", "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # stays valid after the file is closed
        return cls(data, offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        passage = self._cache.get(index)
        if passage is None:
            raw = self._data[self._offsets[index]: self._offsets[index + 1]]
            passage = Passage.from_dict(json.loads(raw))
            if len(self._cache) >= CACHE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[index] = passage
        return passage

    def __iter__(self) -> Iterator[Passage]:
        for i in range(len(self)):
            yield self[i]
