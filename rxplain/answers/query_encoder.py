"""The question side of the dense retrieval: MiniLM fine-tuned to place patients' questions near their answers.

The passages are embedded by the stock all-MiniLM-L6-v2 (``rxplain.embeddings``); questions are embedded by a
copy of it fine-tuned on labelled patient questions (``bench/answers_finetune.py``) so that "tane and tattoos?"
lands near nothing rather than near any passage about skin, and "lips r cracking" near the dryness section. Only
the query side changes, so the saved index and a new pack's passages need nothing new; a new pack's questions are
still read by a general-purpose model, and retraining with its labelled questions tunes it to the pack.

Shipped as one int8 ONNX file (pooling and normalisation inside) run by onnxruntime with the stock tokenizer: no
torch at run time. If the file is missing, the engine embeds questions with the stock model, as before.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("model")
MODEL_FILE = MODEL_DIR / "query-minilm-int8.onnx"
SETTINGS_FILE = MODEL_DIR / "query-minilm.json"
MAX_PIECES = 64  # a question's topic text; longer ones are cut, as the stock embedder cuts at 128


class QueryEncoder:
    """``embed(texts)`` -> unit-length (n, 384) float32 rows, like ``rxplain.embeddings.Embedder``."""

    def __init__(self, model_file: Path = MODEL_FILE, threads: int = 1) -> None:
        from tokenizers import Tokenizer

        from rxplain.embeddings import onnx_session, tokenizer_file

        self._tokenizer = Tokenizer.from_file(str(tokenizer_file()))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_PIECES)
        self._session = onnx_session(model_file, threads)
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> QueryEncoder | None:
        """The shipped encoder, or None (logged by reason only) when it is absent or unreadable.

        One instance per process: the answer engine and the triage's red-flag matcher share it.
        """
        return _shipped()

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self._batch(texts[i: i + batch_size]) for i in range(0, len(texts), batch_size)])

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def _batch(self, texts: list[str]) -> np.ndarray:
        from rxplain.embeddings import padded

        ids, mask = padded(self._tokenizer.encode_batch([t if t.strip() else "[UNK]" for t in texts]))
        with self._lock:
            return np.asarray(self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0],
                              dtype=np.float32)


@lru_cache(maxsize=1)
def _shipped() -> QueryEncoder | None:
    if not MODEL_FILE.exists():
        return None
    try:
        return QueryEncoder()
    except Exception as error:  # noqa: BLE001 - the stock model still embeds questions
        log.warning("answers: query encoder unavailable (%s)", type(error).__name__)
        return None
