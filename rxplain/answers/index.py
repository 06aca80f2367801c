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
from rxplain.answers.store import PassageStore
from rxplain.answers.understand import (
    INTENTS,
    classify_intents,
    edit_distance,
    fuzzy_limit,
    question_form,
    warning_heading,
    words,
)
from rxplain.answers.vectors import (
    DenseVectors,
    UnitVectors,
    build_units,
    embed_all,
    passage_embed_text,
    top_rows,
)

CANDIDATES = 40  # per signal; the fused ranking only ever looks at the union of these
# How the signals are fused. "linear": a weighted sum of the cosine similarities and of BM25 normalised by the
# query's best BM25 score; "rrf": reciprocal-rank fusion. Tuned on the dev split by bench/answers_tune.py, which
# writes the chosen values to calibration.json (these defaults are used only when that file is missing).
DEFAULT_FUSION = {"question_floor": 0.5, "weights": {"dense": 1.0, "unit": 2.0, "question": 0.3, "bm25": 0.1,
                                                     "intent": 0.05}}
# Signals of each candidate passage that the fusion weighs (see candidate_features).
FEATURES = ("dense", "unit", "question", "bm25", "rrf_dense", "rrf_unit", "rrf_question", "rrf_bm25", "intent",
            "article_intent", "second_intent", "faq", "glossary", "title", "title_match",
            # question form x passage kind, warning signs for severe symptoms, and the section's best sentence
            "glossary_define", "glossary_advice", "faq_advice", "warning_urgent", "section_unit", "section_dense")
KINDS = ("section", "faq", "glossary")
RRF_K = 10
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
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class HybridIndex:
    passages: PassageStore
    vectors: DenseVectors  # one per passage, unit length
    question_vectors: np.ndarray  # (m, 384) FAQ question vectors
    question_rows: np.ndarray  # (m,) passage row of each FAQ question
    bm25: bm25s.BM25
    units: UnitVectors  # sentence vectors, int8
    word_counts: dict[str, int]  # raw words of the corpus, for spelling correction
    medicine_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    kind_of: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))  # index into KINDS
    medicines: list[str] = field(default_factory=list)
    section_intents: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # bit i: INTENTS[i]
    article_intents: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    _deletes: dict[str, list[str]] | None = None
    _terms: dict[int, frozenset[str]] = field(default_factory=dict)
    _heads: dict[int, tuple[frozenset[str], str, bool]] = field(default_factory=dict)  # terms, section, warning

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
            passages=PassageStore.from_passages(list(passages)),
            vectors=DenseVectors.from_float(vectors),
            question_vectors=question_vectors,
            question_rows=np.array(faq_rows, dtype=np.int32),
            bm25=bm25,
            units=units,
            word_counts=dict(counts),
            medicine_of=np.array([medicines.index(p.medicine) for p in passages], dtype=np.int32),
            kind_of=np.array([KINDS.index(p.kind) if p.kind in KINDS else 0 for p in passages], dtype=np.int8),
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
        allowed = None
        if len(self.medicines) > 1 and medicine in self.medicines:
            allowed = self.medicine_of == self.medicines.index(medicine)
        terms = self.query_terms(text)
        ids = self.bm25.get_tokens_ids(terms) if terms else []
        bm25 = self.bm25.get_scores_from_ids(ids) if ids else np.zeros(n, dtype=np.float32)
        if allowed is not None:
            bm25 = np.where(allowed, bm25, -np.inf)
        lists: dict[str, list[tuple[int, float]]] = {
            "bm25": [(int(r), float(bm25[r])) for r in top_rows(bm25, CANDIDATES) if bm25[r] > 0] if ids else []
        }
        question_of: dict[int, float] = {}
        unit_all = None
        if vector is not None:
            lists["dense"] = [(r, s) for r, s in self.vectors.top(vector, CANDIDATES, allowed) if s > -0.5]
            if len(self.question_rows):
                sims = self.question_vectors @ vector
                if allowed is not None:
                    sims = np.where(allowed[self.question_rows], sims, -np.inf)
                question_of = {int(r): float(x) for r, x in zip(self.question_rows, sims, strict=True)}
                lists["question"] = [(int(self.question_rows[i]), float(sims[i]))
                                     for i in top_rows(sims, CANDIDATES) if sims[i] > -0.5]
            if len(self.units) <= FULL_UNIT_SCAN:
                unit_all = self.units.scan(vector, n)
                if allowed is not None:
                    unit_all = np.where(allowed, unit_all, -np.inf)
                lists["unit"] = [(int(r), float(unit_all[r])) for r in top_rows(unit_all, CANDIDATES)
                                 if unit_all[r] > -0.5]
        rank_of = {name: {row: rank for rank, (row, _) in enumerate(items)} for name, items in lists.items()}
        candidates = sorted(set().union(*rank_of.values()))
        if vector is None or not candidates:
            dense_of = unit_of = dict.fromkeys(candidates, 0.0)
        else:
            dense_of = dict(zip(candidates, (float(x) for x in self.vectors.score(candidates, vector)), strict=True))
            units = unit_all[candidates] if unit_all is not None else self.units.best(candidates, vector)
            unit_of = dict(zip(candidates, (float(x) for x in units), strict=True))
        best_bm25 = max((float(bm25[r]) for r in candidates), default=0.0) or 1.0
        primary = _bit(intents[0]) if intents else 0
        others = sum(_bit(i) for i in intents[1:3])
        # the question's words weighed by rarity: a heading that shares "tests" matters more than one sharing "blood"
        term_idf = {t: self.idf(t) for t in set(terms)}
        total_idf = sum(term_idf.values()) or 1.0
        floor = float(f.get("question_floor", 0.5))
        weights = f.get("weights") or DEFAULT_FUSION["weights"]
        form = question_form(text)
        heads = {row: self._head(row) for row in candidates}
        # a section split into several passages is judged by its best sentence and best passage too
        best_of: dict[str, tuple[float, float]] = {}
        for row in candidates:
            if self.kind_of[row] == 0:
                unit, dense = best_of.get(heads[row][1], (-1.0, -1.0))
                best_of[heads[row][1]] = (max(unit, unit_of[row]), max(dense, dense_of[row]))
        hits = []
        for row in candidates:
            x = {
                "dense": dense_of[row],
                "unit": unit_of[row],
                "question": max(0.0, question_of.get(row, -1.0) - floor),
                "bm25": float(bm25[row]) / best_bm25 if np.isfinite(bm25[row]) else 0.0,
                "intent": float(bool(primary & self.section_intents[row])),
                "article_intent": float(bool(primary & self.article_intents[row])),
                "second_intent": float(bool(others & self.section_intents[row])),
                "faq": float(self.kind_of[row] == 1),
                "glossary": float(self.kind_of[row] == 2),
            }
            x["title"], x["title_match"] = self._heading_overlap(heads[row][0], term_idf, total_idf)
            x["glossary_define"] = x["glossary"] * form["define"]
            x["glossary_advice"] = x["glossary"] * form["advice"]
            x["faq_advice"] = x["faq"] * form["advice"]
            x["warning_urgent"] = float(heads[row][2]) * form["urgent"]
            section_unit, section_dense = best_of.get(heads[row][1], (unit_of[row], dense_of[row]))
            x["section_unit"], x["section_dense"] = section_unit, section_dense
            for name in ("dense", "unit", "question", "bm25"):
                rank = rank_of.get(name, {}).get(row)
                x[f"rrf_{name}"] = 0.0 if rank is None else 1.0 / (RRF_K + rank + 1)
            score = sum(weights.get(name, 0.0) * value for name, value in x.items())
            hits.append(Hit(row, score, float(bm25[row]), dense_of[row], question_of.get(row, -1.0), unit_of[row],
                            bool(x["intent"]), x))
        hits.sort(key=lambda h: (-h.score, h.row))
        return hits[:k]

    def _head(self, row: int) -> tuple[frozenset[str], str, bool]:
        """Heading terms of a passage (section title, FAQ question, glossary names), its section label and
        whether the heading announces warning signs; cached."""
        head = self._heads.get(row)
        if head is None:
            p = self.passages[row]
            heading = f"{p.section} {p.question}"
            head = (frozenset(analyze(f"{heading} {' '.join(p.aliases)}")), p.label, warning_heading(heading))
            if len(self._heads) > 20000:
                self._heads.clear()
            self._heads[row] = head
        return head

    def _heading_overlap(self, head: frozenset[str], term_idf: dict[str, float], total_idf: float
                         ) -> tuple[float, float]:
        """How much of the question a passage's heading (section title, FAQ question, glossary term) covers, and
        how much of the heading the question covers, both weighted by rarity. A patient's words often repeat the
        FAQ question or section title that answers them ("Do I need blood tests" ~ "Will I need blood tests
        every month?"), which tells it from a passage that merely shares a word ("Can I donate blood ...?")."""
        if not head or not term_idf:
            return 0.0, 0.0
        shared = sum(w for t, w in term_idf.items() if t in head)
        head_idf = sum(term_idf.get(t) or self.idf(t) for t in head)
        return shared / total_idf, shared / head_idf if head_idf else 0.0

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
        for name, array in self.vectors.arrays().items():
            np.save(directory / f"dense_{name}.npy", array)
        np.save(directory / "question_vectors.npy", self.question_vectors)
        np.save(directory / "question_rows.npy", self.question_rows)
        np.save(directory / "medicine_of.npy", self.medicine_of)
        np.save(directory / "kind_of.npy", self.kind_of)
        np.save(directory / "unit_codes.npy", self.units.codes)
        np.save(directory / "unit_scales.npy", self.units.scales)
        np.save(directory / "unit_start.npy", self.units.start)
        np.save(directory / "section_intents.npy", self.section_intents)
        np.save(directory / "article_intents.npy", self.article_intents)
        self.bm25.save(str(directory / "bm25"))
        self.passages.save(directory)
        data = {"medicines": self.medicines, "word_counts": self.word_counts}
        (directory / "words.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> HybridIndex:
        data = json.loads((directory / "words.json").read_text(encoding="utf-8"))
        passages = PassageStore.load(directory)
        bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
        return cls(
            passages=passages,
            vectors=DenseVectors(**{
                f.stem.removeprefix("dense_"): np.load(f) for f in directory.glob("dense_*.npy")
            }),
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
            kind_of=np.load(directory / "kind_of.npy"),
            medicines=data["medicines"],
            section_intents=np.load(directory / "section_intents.npy"),
            article_intents=np.load(directory / "article_intents.npy"),
        )


def _bit(intent: str) -> int:
    return 1 << INTENTS.index(intent) if intent in INTENTS else 0


def _intents(passages: list[Passage]) -> dict[str, np.ndarray]:
    # intents of a passage come from its headings (and FAQ question), the same way a question's intent is found
    by_heading: dict[str, int] = {}

    def mask(text: str) -> int:
        if text not in by_heading:
            by_heading[text] = sum(_bit(i) for i in classify_intents(text))
        return by_heading[text]

    return {
        "section_intents": np.array([mask(f"{p.section} {p.question}") for p in passages], dtype=np.int32),
        "article_intents": np.array([mask(p.article) for p in passages], dtype=np.int32),
    }


def passage_terms_cached(index: HybridIndex, row: int) -> frozenset[str]:
    """BM25 terms of one passage (headings included), cached: confidence and composition ask for them often."""
    terms = index._terms.get(row)
    if terms is None:
        terms = frozenset(analyze(passage_search_text(index.passages[row])))
        if len(index._terms) > 20000:
            index._terms.clear()
        index._terms[row] = terms
    return terms


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
