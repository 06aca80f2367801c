"""AnswerEngine: a question in, a short cited answer (or a plain abstention) out.

Pipeline: clean and understand the question (medicine, intent, other medicines or conditions), refuse what our
packs do not cover, retrieve with the hybrid index, score the confidence with a calibrated model, then quote
the best sentences with their citations. Plain Python, no Django.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rxplain.answers import compose as composer
from rxplain.answers.index import DEFAULT_FUSION, Hit, HybridIndex, analyze, passage_search_text, passage_terms_cached
from rxplain.answers.passages import Passage
from rxplain.answers.understand import (
    INTENT_PATTERNS,
    Understander,
    Understanding,
    english_words,
    fold,
    foreign_words,
    mentioned_terms,
    same_name,
)

INDEX_VERSION = 6
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
# Used only when calibration.json is missing; bench/answers_tune.py writes the values fitted on the dev split.
DEFAULT_CALIBRATION = {
    "fusion": dict(DEFAULT_FUSION),
    "confidence": {
        "features": ["dense", "question", "coverage", "known", "medicine", "intent_match"],
        "weights": [6.0, 3.0, 3.0, 2.0, 1.0, 0.5],
        "bias": -6.0,
        "threshold": 0.5,
    },
}


@dataclass
class Answer:
    answer: str
    abstained: bool
    citations: list[composer.Citation] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    intent: str | None = None
    medicine: str | None = None
    score: float = 0.0
    reason: str = ""  # why the engine abstained (or "answered"): for benchmarks and logs, not shown to users
    ranked: list[Passage] = field(default_factory=list, repr=False)  # retrieval order, for evaluation

    def to_dict(self) -> dict[str, Any]:
        """The public shape, as `rxplain ask --json` prints it."""
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "intent": self.intent,
            "medicine": self.medicine,
        }


def fingerprint(passages: list[Passage], medicines: list[dict]) -> str:
    """Identifies the content an index was built from: the same content never needs a rebuild."""
    # the intent patterns are baked into the saved index (passage intents), so changing them needs a rebuild too
    payload = json.dumps(
        {"v": INDEX_VERSION, "i": INTENT_PATTERNS, "p": [p.to_dict() for p in passages], "m": medicines},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def load_calibration(path: Path = CALIBRATION_FILE) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        confidence = data["confidence"]
        if len(confidence["features"]) == len(confidence["weights"]) and isinstance(data["fusion"], dict):
            return data
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return json.loads(json.dumps(DEFAULT_CALIBRATION))


class AnswerEngine:
    def __init__(
        self,
        index: HybridIndex,
        medicines: list[dict],
        covered: list[str],
        defined: dict[str, str],
        fingerprint: str = "",
        embedder: Any = None,
        calibration: dict | None = None,
        query_encoder: Any = True,
    ) -> None:
        self.index = index
        self.medicines = medicines
        self.covered = covered
        self.fingerprint = fingerprint
        self.calibration = calibration or load_calibration()
        self._embedder = embedder
        # Questions are embedded by the fine-tuned query encoder when it is shipped (True: load it on first use;
        # None or False: the stock model, as the passages), or by any object with ``embed(texts)``.
        self._query_encoder = query_encoder
        self.defined = defined
        self.understander = Understander(medicines, covered, index.word_counts.keys(), defined)
        self._named: dict[int, frozenset[str]] = {}  # passage row -> other medicines it names, filled on demand

    # ---- building and loading ---------------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        passages: list[Passage],
        medicines: list[dict],
        progress: bool = True,
        embedder: Any = None,
        vectors: np.ndarray | None = None,
        unit_vectors: np.ndarray | None = None,
    ) -> AnswerEngine:
        """Index the passages (embedding them, with a progress bar on stderr unless progress is False)."""
        embedder = embedder or _default_embedder()
        index = HybridIndex.build(passages, embedder.embed, progress, vectors, unit_vectors)
        covered = sorted(mentioned_terms(passage_search_text(p) for p in passages))
        defined = {n: p.section for p in passages if p.kind == "glossary" for n in (p.section, *p.aliases)}
        return cls(index, medicines, covered, defined, fingerprint(passages, medicines), embedder)

    def save(self, directory: Path | str) -> Path:
        """Write the index into a new build folder, then switch ``current.json`` to it in one atomic rename.

        Readers in other processes never see a half-written index: they follow ``current.json``, which names
        either the old complete build or the new complete one. Builds older than the previous one are removed.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        build = directory / f"build-{self.fingerprint or 'x'}-{time.time_ns()}"
        self.index.save(build)
        manifest = {
            "version": INDEX_VERSION,
            "fingerprint": self.fingerprint,
            "medicines": self.medicines,
            "covered": self.covered,
            "defined": self.defined,
            "passages": len(self.index.passages),
        }
        (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, default=str), "utf-8")
        pointer = directory / f".current-{os.getpid()}.json"
        pointer.write_text(json.dumps({"build": build.name}), encoding="utf-8")
        previous = _current_build(directory)
        os.replace(pointer, directory / "current.json")
        for old in directory.glob("build-*"):
            if old.is_dir() and old.name not in (build.name, previous):
                shutil.rmtree(old, ignore_errors=True)
        return build

    @classmethod
    def load(cls, directory: Path | str, embedder: Any = None, query_encoder: Any = True) -> AnswerEngine:
        directory = Path(directory)
        name = _current_build(directory)
        build = directory / name if name else directory
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("version") != INDEX_VERSION:
            raise ValueError(f"index at {build} has version {manifest.get('version')}; rebuild it")
        index = HybridIndex.load(build)
        medicines, covered = manifest["medicines"], manifest["covered"]
        return cls(index, medicines, covered, manifest["defined"], manifest["fingerprint"], embedder,
                   query_encoder=query_encoder)

    @classmethod
    def load_or_build(
        cls, directory: Path | str, passages: list[Passage], medicines: list[dict], progress: bool = True
    ) -> AnswerEngine:
        """The saved index if it was built from exactly this content, else a fresh build saved over it."""
        try:
            engine = cls.load(directory)
            if engine.fingerprint == fingerprint(passages, medicines):
                return engine
        except (OSError, ValueError, KeyError):
            pass
        engine = cls.build(passages, medicines, progress=progress)
        engine.save(directory)
        return engine

    # ---- answering --------------------------------------------------------------------------------------------

    @property
    def query_encoder(self) -> Any:
        """What embeds questions: the fine-tuned encoder if shipped, else None (the stock model does)."""
        if self._query_encoder is True:
            from rxplain.answers.query_encoder import QueryEncoder

            self._query_encoder = QueryEncoder.load()
        return self._query_encoder or None

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            self._embedder = _default_embedder()
        return self._embedder

    def warm(self) -> None:
        """Pay the one-off costs (model load, English word list) now rather than on the first questions."""
        english_words()
        self.answer("warm up: can I drink alcohol on it?")
        self.answer("warm up: fluorouracil")

    def answer(self, question: str, query_vector: np.ndarray | None = None) -> Answer:
        """Answer from our passages or abstain; never raises on any input."""
        u = self.understander.understand(question)
        refusal = self._refusal(u)
        if refusal:
            return self._abstain(u, refusal)
        encoder = self.query_encoder
        # A caller's vector is the stock model's: usable only where questions are embedded by that model too.
        vector = _usable(query_vector) if encoder is None else None
        if vector is None:
            vector = (encoder or self.embedder).embed([u.topic_text])[0]
        hits = self.index.search(u.topic_text, vector, u.medicine, u.intents, k=10, fusion=self.calibration["fusion"])
        hits = self.about_asked_medicines(u, hits)
        if not hits:
            return self._abstain(u, "no_match")
        ranked = [self.index.passages[h.row] for h in hits]
        confidence = self.confidence(u, hits)
        if confidence < self.calibration["confidence"]["threshold"]:
            return self._abstain(u, "low_score", confidence, ranked)
        weights = {t: self.index.idf(t) for t in analyze(u.topic_text)}
        composed = composer.compose([(self.index.passages[h.row], h.score) for h in hits], weights)
        return Answer(
            answer=composed.markdown,
            abstained=not composed.citations,
            citations=list(composed.citations),
            references=list(composed.references),
            intent=u.intent,
            medicine=u.medicine or ranked[0].medicine,
            score=confidence,
            reason="answered",
            ranked=ranked,
        )

    def _refusal(self, u: Understanding) -> str:
        """Why the question is not ours to answer, before any retrieval ("" when it may be)."""
        if u.empty:
            return "empty"
        # Only a medicine our content never mentions is refused by rule. One it mentions goes to retrieval even when
        # asked about on its own ("how much is sarecycline", "does benzoyl peroxide bleach towels"): the comparison
        # and the glossary answer many such questions, and the calibrated confidence abstains where no passage does
        # ("doxycycline dose for a tooth infection"). Refusing them all by rule was most of the wrong abstentions on
        # the held-out questions (13 of 14 on questions_blind3).
        if any(not self.understander.covers(other) for other in u.other_medicines):
            return "other_medicine"
        if u.conditions and not u.medicine:
            return "other_condition"
        if not u.medicine:
            corrected = self.index.correct(list(u.words))
            unknown = [w for w, c in zip(u.words, corrected, strict=True) if w == c]
            if foreign_words(unknown, self.index.word_counts):
                return "unknown_medicine"  # a name we cannot place, asked without naming our medicine
        return ""

    def about_asked_medicines(self, u: Understanding, hits: list[Hit]) -> list[Hit]:
        """The hits that speak of the other medicines a question asks about without naming ours.

        "What should I do if I forget a dose of adapalene?" must not be answered with what to do about a missed
        dose of isotretinoin: a question about another medicine alone is answered only from what we say of it.
        """
        if u.medicine or not u.other_medicines:
            return hits
        asked = {same_name(m) for m in u.other_medicines}
        return [h for h in hits if asked & self._medicines_named(h.row)]

    def _medicines_named(self, row: int) -> frozenset[str]:
        named = self._named.get(row)
        if named is None:
            text = fold(passage_search_text(self.index.passages[row]))
            named = self._named[row] = frozenset(same_name(m) for m in self.understander.other_medicines_in(text))
        return named

    def features(self, u: Understanding, hits: list[Hit]) -> dict[str, float]:
        """What the confidence model sees: how close the best passage is, in meaning and in words."""
        top = hits[0]
        terms = set(self.index.query_terms(u.topic_text))
        passage_terms = passage_terms_cached(self.index, top.row)
        near_terms = frozenset().union(*(passage_terms_cached(self.index, h.row) for h in hits[:3]))
        idf = {t: self.index.idf(t) for t in terms}
        rarest = max(1e-9, self.index.idf("\x00"))  # the idf of a term no passage has
        coverage = sum(idf[t] for t in terms if t in passage_terms) / sum(idf.values()) if terms else 0.0
        content = [w for w in u.words if len(w) > 2 and not w.isdigit()]
        known = sum(1 for w in content if self.understander.knows(w)) / len(content) if content else 0.0
        return {
            "dense": max(h.dense for h in hits[:3]),
            "question": max(0.0, max(h.question for h in hits[:3])),
            "unit": max(h.unit for h in hits[:3]),
            "coverage": coverage,
            "known": known,
            "medicine": 1.0 if u.medicine else 0.0,
            "intent_match": 1.0 if top.intent else 0.0,
            # the rarest question word that none of the top passages contains: "tattoo" in "tattoo on accutane?"
            "missing": max((idf[t] for t in terms if t not in near_terms), default=0.0) / rarest,
            "unknown": sum(1 for t in terms if t not in self.index.bm25.vocab_dict) / len(terms) if terms else 1.0,
            # the share of the question (by rarity) that none of the top passages speaks of: "keto" and "diet" in
            # "can i do keto on accutane" are most of what is asked, though "accutane" matches everywhere
            "uncovered": sum(idf[t] for t in terms if t not in near_terms) / sum(idf.values()) if terms else 1.0,
            # the same two for the passage we would quote first: its own words, not its neighbours'
            "top_missing": max((idf[t] for t in terms if t not in passage_terms), default=0.0) / rarest,
            "top_uncovered": sum(idf[t] for t in terms if t not in passage_terms) / sum(idf.values()) if terms else 1.0,
            "title": max(h.features.get("title", 0.0) for h in hits[:3]),
            "fused": top.score,
            "margin": top.score - hits[1].score if len(hits) > 1 else top.score,
        }

    def confidence(self, u: Understanding, hits: list[Hit]) -> float:
        features = self.features(u, hits)
        cal = self.calibration["confidence"]
        z = cal["bias"] + sum(w * features.get(name, 0.0) for name, w in zip(cal["features"], cal["weights"], strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def _abstain(
        self, u: Understanding, reason: str, score: float = 0.0, ranked: list[Passage] | None = None
    ) -> Answer:
        return Answer(
            answer=composer.ABSTENTION,
            abstained=True,
            intent=u.intent,
            medicine=u.medicine,
            score=score,
            reason=reason,
            ranked=ranked or [],
        )


def _current_build(directory: Path) -> str | None:
    try:
        return str(json.loads((directory / "current.json").read_text(encoding="utf-8"))["build"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _usable(vector: np.ndarray | None) -> np.ndarray | None:
    """A caller's precomputed query vector, if it is one (384 finite numbers); normalised to unit length."""
    if vector is None:
        return None
    try:
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError):
        return None
    norm = float(np.linalg.norm(v)) if v.size == 384 and np.all(np.isfinite(v)) else 0.0
    return v / norm if norm > 0 else None


def _default_embedder() -> Any:
    from rxplain.embeddings import default_embedder

    return default_embedder()
