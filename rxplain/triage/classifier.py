"""The fine-tuned signal: MiniLM trained end to end to tell ok, urgent, suicide and emergency messages apart.

A linear model on the frozen sentence embedding (``learned.py``) could only draw straight lines in a space built
for topic similarity, where "i'm not suicidal" sits next to "i'm suicidal"; every new labelled set exposed
phrasings it had not seen. Fine-tuning all of MiniLM's layers on the labelled messages lets the model learn what
negation, tense and "asking about" do to the meaning. It is trained offline by ``bench/triage_finetune.py``
(torch is needed there only) and shipped as one int8 ONNX file with pooling and the class head inside, so at run
time it is onnxruntime and the tokenizer we already load: no torch, nothing fetched.

The file sits in ``model/`` beside this module with ``triage-minilm.json`` (classes, thresholds, input size and
how it was trained). If either is missing or unreadable the signal is off and the older signals decide.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rxplain.triage.learned import CLASSES, DEFAULT_THRESHOLDS, Probabilities
from rxplain.triage.semantic import window

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).with_name("model")
MODEL_FILE = MODEL_DIR / "triage-minilm-int8.onnx"
SETTINGS_FILE = MODEL_DIR / "triage-minilm.json"
# Word pieces read per message. Our own ONNX export of MiniLM costs about 4.5 ms for 64 pieces on one core, so a
# message up to about 45 words is read whole within the 10 ms budget; a longer one through its densest window.
MAX_PIECES = 64
WINDOW_WORDS = 44


@dataclass(frozen=True)
class Reading:
    probabilities: Probabilities
    whole: bool  # False when a long message was read through one window


def piece_counter() -> Any:
    """The MiniLM WordPiece tokenizer without padding or truncation, to count and cut by pieces."""
    from tokenizers import Tokenizer

    from rxplain.embeddings import tokenizer_file

    tokenizer = Tokenizer.from_file(str(tokenizer_file()))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def classifier_text(text: str, pieces: Any, max_pieces: int = MAX_PIECES) -> str:
    """What the model reads of a normalised message: all of it when it fits, else its most crisis-dense window.

    Training reads messages through this same function, so the model sees at run time what it saw in training.
    """
    encoding = pieces.encode(text, add_special_tokens=False)
    if len(encoding.ids) <= max_pieces:
        return text
    cut = window(text, WINDOW_WORDS)
    encoding = pieces.encode(cut, add_special_tokens=False)
    if len(encoding.ids) <= max_pieces:
        return cut
    return cut[: encoding.offsets[max_pieces - 1][1]]


class FineTunedSignal:
    """``read(normalised_text)`` -> class probabilities; ``thresholds`` say what they mean (as in learned.py)."""

    name = "fine-tuned"

    def __init__(self, model_file: Path = MODEL_FILE, settings_file: Path = SETTINGS_FILE, threads: int = 1
                 ) -> None:
        from rxplain.embeddings import onnx_session

        settings = json.loads(Path(settings_file).read_text(encoding="utf-8"))
        if tuple(settings["classes"]) != CLASSES:
            raise ValueError("class order differs")
        self.thresholds = {**DEFAULT_THRESHOLDS, **{k: float(v) for k, v in settings["thresholds"].items()}}
        self.max_pieces = int(settings.get("max_pieces", MAX_PIECES))
        self._pieces = piece_counter()
        self._tokenizer = piece_counter()
        self._tokenizer.enable_truncation(max_length=self.max_pieces + 2)
        self._session = onnx_session(model_file, threads)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, model_file: Path = MODEL_FILE, settings_file: Path = SETTINGS_FILE) -> FineTunedSignal | None:
        """The shipped model, or None (logged by reason only) when it is absent or unreadable."""
        try:
            return cls(model_file, settings_file)
        except Exception as error:  # noqa: BLE001 - the rules and the older signals still decide without it
            log.warning("triage: fine-tuned signal unavailable (%s)", type(error).__name__)
            return None

    def read(self, text: str) -> Reading | None:
        """Probabilities for a normalised message (``Prepared.text``); None for empty text."""
        # Most messages fit: their one encoding (with [CLS] and [SEP]) both measures them and feeds the model, so
        # the hot path tokenises once. Only a long message is cut to its window and encoded again.
        encoding = self._pieces.encode(text)
        if len(encoding.ids) - 2 <= self.max_pieces:
            chosen, encodings = text, [encoding]
        else:
            chosen = classifier_text(text, self._pieces, self.max_pieces)
            encodings = self._tokenizer.encode_batch([chosen])
        if not any(c.isalpha() for c in chosen):
            return None  # digits and punctuation alone say nothing; the model's reading of them is noise
        return Reading(self._run(encodings)[0], chosen == text)

    def probabilities(self, texts: list[str]) -> list[Probabilities]:
        """The model's probabilities for texts already cut by ``classifier_text`` (batched for training tools)."""
        return self._run(self._tokenizer.encode_batch(texts))

    def _run(self, encodings: list[Any]) -> list[Probabilities]:
        from rxplain.embeddings import padded

        ids, mask = padded(encodings)
        with self._lock:
            p = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return [Probabilities(*(float(x) for x in row)) for row in p]
