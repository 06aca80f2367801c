"""The learned signal: a small softmax classifier over the MiniLM embedding the semantic signal already computes.

Hand-written rules and prototypes fit the sets they were tuned on and then miss new phrasings (each new labelled
set showed it). A linear model over the sentence embedding learns from every labelled message at once instead of
from the few that prompted a rule, so it degrades more gracefully on wording nobody wrote a rule for. It costs one
384x4 matrix product on a vector that is already there: no extra embedding, well under 0.1 ms.

The weights and the decision thresholds live in ``classifier.npz`` next to this file, written by
``bench/triage_train.py`` (fixed seed, thresholds chosen by cross-validation; see that script for how). The file
holds numbers only, so loading it runs no code (``allow_pickle=False``). If it is missing or malformed the signal
is off and the rules still decide: the triage never fails for want of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).with_name("classifier.npz")
# The classes, in the order of the weight matrix's columns. "emergency" and "suicide" together are a crisis.
CLASSES = ("ok", "urgent", "suicide", "emergency")
# Thresholds used when the file does not carry its own (it always does when written by the training script).
# "urgent": the classifier alone names a red flag (the nearest by the pack's words) at this probability;
# "crisis_window": a long message read through one window is a crisis on the classifier alone at this probability.
# Above 1 means off.
DEFAULT_THRESHOLDS = {"crisis": 0.5, "crisis_set_aside": 0.9, "urgent": 1.01, "crisis_window": 1.01}


@dataclass(frozen=True)
class Probabilities:
    ok: float
    urgent: float
    suicide: float
    emergency: float

    @property
    def crisis(self) -> float:
        return self.suicide + self.emergency

    @property
    def crisis_category(self) -> str:
        return "suicide" if self.suicide >= self.emergency else "emergency"


class LearnedSignal:
    """``probabilities(vector)`` for one L2-normalised MiniLM vector; the thresholds say what they mean."""

    name = "learned"

    def __init__(self, weights: np.ndarray, bias: np.ndarray, thresholds: dict[str, float] | None = None) -> None:
        weights = np.asarray(weights, dtype=np.float32)
        bias = np.asarray(bias, dtype=np.float32).reshape(-1)
        if weights.ndim != 2 or weights.shape[1] != len(CLASSES) or bias.shape != (len(CLASSES),):
            raise ValueError(f"weights must be (dimensions, {len(CLASSES)}) with a bias of {len(CLASSES)}")
        self.weights = weights
        self.bias = bias
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}

    @classmethod
    def load(cls, path: str | Path = WEIGHTS) -> LearnedSignal | None:
        """The trained signal, or None (logged by reason only) when the file is absent or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as data:
                names = [str(n) for n in data["threshold_names"]]
                values = [float(v) for v in data["threshold_values"]]
                signal = cls(data["weights"], data["bias"], dict(zip(names, values, strict=True)))
                if tuple(str(c) for c in data["classes"]) != CLASSES:
                    raise ValueError("class order differs")
                return signal
        except (OSError, KeyError, ValueError) as error:
            log.warning("triage: learned signal unavailable (%s)", type(error).__name__)
            return None

    def save(self, path: str | Path, **extra: Any) -> None:
        names = sorted(self.thresholds)
        np.savez_compressed(
            path, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32),
            classes=np.array(CLASSES), threshold_names=np.array(names),
            threshold_values=np.array([self.thresholds[n] for n in names], dtype=np.float64), **extra)

    def probabilities(self, vector: Any) -> Probabilities | None:
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vector.shape[0] != self.weights.shape[0] or not np.all(np.isfinite(vector)):
            return None  # a vector from another model: no opinion rather than a wrong one
        logits = vector @ self.weights + self.bias
        exp = np.exp(logits - logits.max())
        p = exp / exp.sum()
        return Probabilities(*(float(x) for x in p))


def softmax_fit(x: np.ndarray, y: np.ndarray, l2: float, weight: np.ndarray | None = None, steps: int = 600,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent with Nesterov momentum (numpy only).

    ``weight`` per sample lets the training script balance classes; ``l2`` is the penalty on the weights (not the
    bias). The problem is convex, so the seed only fixes the (tiny) initial weights and the result is reproducible.
    """
    rng = np.random.default_rng(seed)
    n, d = x.shape
    k = len(CLASSES)
    onehot = np.eye(k)[y]
    sample = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64)
    sample = sample / sample.sum()
    w = rng.normal(0, 1e-3, (d, k))
    b = np.zeros(k)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    # The embedding rows have unit length, so the loss is smooth with a constant below 1 + l2: a step of 1 is safe.
    lr, momentum = 1.0 / (1.0 + l2), 0.9
    for _ in range(steps):
        lw, lb = w + momentum * vw, b + momentum * vb
        logits = x @ lw + lb
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sample[:, None]
        gw = x.T @ g + l2 * lw
        gb = g.sum(axis=0)
        vw = momentum * vw - lr * gw
        vb = momentum * vb - lr * gb
        w, b = w + vw, b + vb
    return w.astype(np.float32), b.astype(np.float32)
