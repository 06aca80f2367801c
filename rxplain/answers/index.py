"""The hybrid passage index: BM25 (bm25s) over stemmed words plus MiniLM sentence embeddings, fused by rank.

Everything the engine needs at question time is saved as numpy arrays and JSON, so a process loads the index in
well under a second and never re-embeds the corpus. FAQ questions get their own vectors: a patient's question is
closest to another question, so matching them is the strongest single signal we have.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import snowballstemmer
from bm25s.stopwords import STOPWORDS_EN
from tqdm import tqdm

from rxplain.answers.passages import Passage
from rxplain.answers.understand import classify_intents, edit_distance, fuzzy_limit, words
from rxplain.answers.vectors import UnitVectors, build_units, embed_all, passage_embed_text

CANDIDATES = 40  # per signal; the fused ranking only ever looks at the union of these
# How the signals are fused. "linear": a weighted sum of the cosine similarities and of BM25 normalised by the
# query's best BM25 score; "rrf": reciprocal-rank fusion. Tuned on the dev split by bench/answers_tune.py, which
# writes the chosen values to calibration.json (these defaults are used only when that file is missing).
DEFAULT_FUSION = {"mode": "linear", "rrf_k": 10.0, "bm25": 0.15, "dense": 1.0, "unit": 1.0, "question": 0.3,
                  "question_floor": 0.55, "intent": 0.0, "article_intent": 0.0, "second_intent": 0.0}
FULL_UNIT_SCAN = 50_000  # below this many sentence vectors, every passage's best sentence is a candidate signal

_STOP = frozenset(w.replace("'", "") for w in STOPWORDS_EN) | {"can", "could", "would", "should", "will", "may", "might", "does", "did", "do",
                                   "am", "im", "ive", "cant", "dont", "wont", "isnt", "didnt", "doesnt", "shouldnt", "get", "got", "take", "taking", "use", "using", "ok",
                                   "okay", "anyone", "know", "please", "hi", "hello", "thanks", "really", "like",
                                   # chat spelling
                                   "u", "ur", "r", "ya", "yo", "lol", "pls", "plz", "idk", "tho", "nah", "gonna",
                                   "wanna", "kinda", "bc", "cuz", "b4", "hey", "guys", "someone"}
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def analyze(text: str) -> list[str]:
    """BM25 terms of a text: folded words without stop words, stemmed ("doses" and "dosing" meet at "dose")."""
    return [stem(w) for w in words(text) if w not in _STOP and (len(w) > 1 or w.isdigit())]


def passage_search_text(p: Passage) -> str:
    # titles twice: a section titled "Alcohol" is about alcohol even where its sentences say "drinking"
    heading = f"{p.article} {p.section} {p.section} {' '.join(p.aliases)}"
    return f"{heading} {p.question} {p.question} {p.text}" if p.question else f"{heading} {p.text}"


@dataclass
class Hit:
    row: int
    score: float
    bm25: float = 0.0
    dense: float = 0.0
    question: float = 0.0
    unit: float = 0.0
    intent: bool = False


@dataclass
class HybridIndex:
    passages: list[Passage]
    vectors: np.ndarray  # (n, 384) passage vectors, unit length
    question_vectors: np.ndarray  # (m, 384) FAQ question vectors
    question_rows: np.ndarray  # (m,) passage row of each FAQ question
    bm25: bm25s.BM25
    units: UnitVectors  # sentence vectors, int8
    word_counts: dict[str, int]  # raw words of the corpus, for spelling correction
    medicine_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    medicines: list[str] = field(default_factory=list)
    section_intents: list[tuple[str, ...]] = field(default_factory=list)
    article_intents: list[tuple[str, ...]] = field(default_factory=list)
    _deletes: dict[str, list[str]] | None = None

    @classmethod
    def build(
        cls,
        passages: list[Passage],
        embed: Callable[[list[str]], np.ndarray],
        progress: bool = True,
        vectors: np.ndarray | None = None,
        unit_vectors: np.ndarray | None = None,
    ) -> HybridIndex:
        """Index passages. ``vectors`` (one per passage) and ``unit_vectors`` (one per unit_texts() entry, in order)
        may be given to skip embedding: the speed benchmark builds 100,000 synthetic passages that way."""
        texts = [passage_search_text(p) for p in tqdm(passages, desc="analyse", disable=not progress, file=sys.stderr)]
        corpus_tokens = [analyze(t) or ["_empty_"] for t in texts]
        bm25 = bm25s.BM25(k1=1.2, b=0.6)
        bm25.index(corpus_tokens, show_progress=False)
        faq_rows = [i for i, p in enumerate(passages) if p.kind == "faq" and p.question]
        if vectors is None:
            vectors = embed_all(embed, [passage_embed_text(p) for p in passages], progress, "embed passages")
        question_vectors = embed_all(embed, [passages[i].question for i in faq_rows], progress, "embed questions")
        units = build_units(passages, embed, progress, unit_vectors)
        counts: Counter[str] = Counter()
        for t in texts:
            counts.update(words(t))
        medicines = sorted({p.medicine for p in passages})
        return cls(
            passages=list(passages),
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            question_vectors=question_vectors,
            question_rows=np.array(faq_rows, dtype=np.int32),
            bm25=bm25,
            units=units,
            word_counts=dict(counts),
            medicine_of=np.array([medicines.index(p.medicine) for p in passages], dtype=np.int32),
            medicines=medicines,
            **_intents(passages),
        )

    # ---- query side -------------------------------------------------------------------------------------------

    def correct(self, terms: list[str]) -> list[str]:
        """Query words missing from our corpus replaced by the nearest corpus word ("pregnet" -> "pregnant")."""
        out = []
        for w in terms:
            if w in self.word_counts or len(w) < 5 or not w.isalpha():
                out.append(w)
                continue
            candidates = {c for d in _deletions(w) for c in self._delete_index().get(d, ())}
            best = sorted(
                (edit_distance(w, c, 2), -self.word_counts.get(c, 0), c) for c in candidates if c[0] == w[0]
            )
            out.append(best[0][2] if best and best[0][0] <= fuzzy_limit(w) else w)
        return out

    def query_terms(self, text: str) -> list[str]:
        """BM25 terms of a question: content words, spelling corrected against our corpus, stemmed."""
        kept = [w for w in words(text) if w not in _STOP and (len(w) > 1 or w.isdigit())]
        return [stem(w) for w in self.correct(kept)]

    def _delete_index(self) -> dict[str, list[str]]:
        # symmetric-delete spelling index (one deletion per side finds typos of up to two edits), built lazily
        if self._deletes is None:
            index: dict[str, list[str]] = {}
            for w in self.word_counts:
                if len(w) >= 4 and w.isalpha():
                    for d in _deletions(w):
                        index.setdefault(d, []).append(w)
            self._deletes = index
        return self._deletes

    def search(
        self,
        text: str,
        vector: np.ndarray | None,
        medicine: str | None = None,
        intents: tuple[str, ...] = (),
        k: int = 10,
        fusion: dict | None = None,
    ) -> list[Hit]:
        """Passages ranked by fusing BM25, passage vectors and FAQ-question vectors, plus the intent signal."""
        f = {**DEFAULT_FUSION, **(fusion or {})}
        n = len(self.passages)
        if n == 0:
            return []
        terms = self.query_terms(text)
        ids = self.bm25.get_tokens_ids(terms) if terms else []
        bm25 = self.bm25.get_scores_from_ids(ids) if ids else np.zeros(n, dtype=np.float32)
        dense = self.vectors @ vector if vector is not None else np.zeros(n, dtype=np.float32)
        question = np.full(n, -1.0, dtype=np.float32)
        if vector is not None and len(self.question_rows):
            question[self.question_rows] = self.question_vectors @ vector
        allowed = None
        if medicine is not None and medicine in self.medicines:
            allowed = self.medicine_of == self.medicines.index(medicine)
            bm25, dense, question = (np.where(allowed, a, -np.inf) for a in (bm25, dense, question))
        unit_all = None
        if vector is not None and len(self.units) <= FULL_UNIT_SCAN:
            unit_all = self.units.scan(vector, n)
            if medicine is not None and medicine in self.medicines:
                unit_all = np.where(allowed, unit_all, -np.inf)
        rank_of: dict[str, dict[int, int]] = {}
        signals = [("bm25", bm25, bool(ids), 0.0), ("dense", dense, vector is not None, -0.5),
                   ("question", question, vector is not None and len(self.question_rows) > 0, -0.5),
                   ("unit", unit_all, unit_all is not None, -0.5)]
        for name, scores, active, floor in signals:
            top = _top(scores, CANDIDATES) if active else []
            rank_of[name] = {int(row): r for r, row in enumerate(top) if scores[row] > floor}
        candidates = set().union(*rank_of.values())
        if unit_all is not None:
            unit_of = {row: float(unit_all[row]) for row in candidates}
        else:
            rows = sorted(candidates)
            unit_of = dict(zip(rows, (float(x) for x in self.units.best(rows, vector)), strict=True)) if rows else {}
        best_bm25 = max((float(bm25[r]) for r in candidates), default=0.0) or 1.0
        primary = intents[0] if intents else None
        hits = []
        for row in candidates:
            if f["mode"] == "rrf":
                score = sum(f[name] / (f["rrf_k"] + ranks[row] + 1) for name, ranks in rank_of.items() if row in ranks)
            else:
                q = max(0.0, float(question[row]) - f["question_floor"])
                score = (f["dense"] * float(dense[row]) + f["unit"] * unit_of[row] + f["question"] * q
                         + f["bm25"] * float(bm25[row]) / best_bm25)
            on_intent = primary is not None and primary in self.section_intents[row]
            score += f["intent"] * on_intent
            score += f["article_intent"] * (primary is not None and primary in self.article_intents[row])
            score += f["second_intent"] * any(i in self.section_intents[row] for i in intents[1:3])
            hits.append(Hit(row, score, float(bm25[row]), float(dense[row]), float(question[row]), unit_of[row],
                            on_intent))
        hits.sort(key=lambda h: (-h.score, h.row))
        return hits[:k]

    def idf(self, term: str) -> float:
        """How rare a stemmed term is in our corpus (unknown terms count as rarest)."""
        n = len(self.passages)
        tid = self.bm25.vocab_dict.get(term)
        if tid is None:
            return float(np.log(1 + n))
        indptr = self.bm25.scores["indptr"]
        df = int(indptr[tid + 1] - indptr[tid])
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    # ---- persistence ------------------------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "vectors.npy", self.vectors)
        np.save(directory / "question_vectors.npy", self.question_vectors)
        np.save(directory / "question_rows.npy", self.question_rows)
        np.save(directory / "medicine_of.npy", self.medicine_of)
        np.save(directory / "unit_codes.npy", self.units.codes)
        np.save(directory / "unit_scales.npy", self.units.scales)
        np.save(directory / "unit_start.npy", self.units.start)
        self.bm25.save(str(directory / "bm25"))
        data = {
            "passages": [p.to_dict() for p in self.passages],
            "medicines": self.medicines,
            "word_counts": self.word_counts,
        }
        (directory / "passages.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> HybridIndex:
        data = json.loads((directory / "passages.json").read_text(encoding="utf-8"))
        passages = [Passage.from_dict(p) for p in data["passages"]]
        bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
        return cls(
            passages=passages,
            vectors=np.load(directory / "vectors.npy"),
            question_vectors=np.load(directory / "question_vectors.npy"),
            question_rows=np.load(directory / "question_rows.npy"),
            bm25=bm25,
            units=UnitVectors(
                codes=np.load(directory / "unit_codes.npy"),
                scales=np.load(directory / "unit_scales.npy"),
                start=np.load(directory / "unit_start.npy"),
            ),
            word_counts=data["word_counts"],
            medicine_of=np.load(directory / "medicine_of.npy"),
            medicines=data["medicines"],
            **_intents(passages),
        )


def _intents(passages: list[Passage]) -> dict[str, list[tuple[str, ...]]]:
    # intents of a passage come from its headings (and FAQ question), the same way a question's intent is found
    by_heading: dict[str, tuple[str, ...]] = {}

    def cached(text: str) -> tuple[str, ...]:
        if text not in by_heading:
            by_heading[text] = tuple(classify_intents(text))
        return by_heading[text]

    return {
        "section_intents": [cached(f"{p.section} {p.question}") for p in passages],
        "article_intents": [cached(p.article) for p in passages],
    }


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
