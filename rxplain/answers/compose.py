"""Compose a cited answer from retrieved passages, or the plain abstention.

The engine never writes medical facts of its own: an answer is sentences copied from our passages, each block
followed by its citation ``[Article › Section](url#anchor)``, then the references those passages cite. Nothing
from the question is ever put into the answer, so nothing a user typed can be echoed back unescaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rxplain.answers.index import analyze
from rxplain.answers.passages import Passage, quotable_units

ABSTENTION = "I don't have reviewed information on that — a pharmacist or your prescriber can answer it."
MAX_PASSAGES = 3
MAX_BLOCK_WORDS = 75  # a quoted block stays short: the citation takes the reader to the full section
SECOND_PASSAGE_RATIO = 0.9  # a further passage is quoted only when it ranks nearly as well as the first
_DANGLING = re.compile(r"^(it|this|that|these|those|they|so|but|also|then|even so|because|however)\b", re.I)


@dataclass(frozen=True)
class Citation:
    url: str
    article: str
    section: str

    def to_dict(self) -> dict:
        return {"url": self.url, "article": self.article, "section": self.section}


@dataclass(frozen=True)
class Composed:
    markdown: str
    citations: tuple[Citation, ...]
    references: tuple[str, ...]


def select(ranked: list[tuple[Passage, float]], max_passages: int = MAX_PASSAGES) -> list[Passage]:
    """The best passage, plus up to two more that score close to it and come from other sections."""
    if not ranked:
        return []
    top = ranked[0][1]
    chosen: list[Passage] = [ranked[0][0]]
    for passage, score in ranked[1:]:
        if len(chosen) >= max_passages or score < SECOND_PASSAGE_RATIO * top:
            break
        if all(passage.label != c.label and passage.text != c.text for c in chosen):
            chosen.append(passage)
    return chosen


def _units(text: str) -> list[list[str]]:
    return quotable_units(text, MAX_BLOCK_WORDS)


def _words(unit: list[str]) -> int:
    return sum(len(line.split()) for line in unit)


def best_sentences(passage: Passage, weights: dict[str, float], max_words: int = MAX_BLOCK_WORDS) -> list[list[str]]:
    """A contiguous run of the passage's units that best matches the question's terms, within max_words.

    Short passages are quoted whole. Contiguous, so that "This is because..." keeps the sentence it explains.
    """
    units = _units(passage.text)
    if sum(_words(u) for u in units) <= max_words or len(units) <= 1:
        return units
    scores = []
    for unit in units:
        terms = set(analyze(" ".join(unit)))
        scores.append(sum(weights.get(t, 0.0) for t in terms) / (1 + 0.02 * _words(unit)))
    best = max(range(len(units)), key=lambda i: (scores[i], -i))
    start = end = best
    # a unit that leans on the one before ("It is rare...") brings that one along
    while start > 0 and _DANGLING.match(units[start][0]) and _size(units, start - 1, end) <= max_words * 1.6:
        start -= 1
    while True:
        options = []
        if end + 1 < len(units) and _size(units, start, end + 1) <= max_words:
            options.append((scores[end + 1] + 0.01, start, end + 1))
        if start > 0 and _size(units, start - 1, end) <= max_words and not _DANGLING.match(units[start][0]):
            options.append((scores[start - 1], start - 1, end))
        if not options:
            break
        _, start, end = max(options)
    return units[start: end + 1]


def _size(units: list[list[str]], start: int, end: int) -> int:
    return sum(_words(u) for u in units[start: end + 1])


def _escape_label(text: str) -> str:
    return re.sub(r"([\[\]\\*_`<>])", r"\\\1", text)


def _escape_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def citation_markdown(passage: Passage) -> str:
    return f"[{_escape_label(passage.article)} › {_escape_label(passage.section)}]({_escape_url(passage.url)})"


def _render_units(units: list[list[str]]) -> str:
    lines: list[str] = []
    prose: list[str] = []
    for unit in units:
        if len(unit) == 1 and not unit[0].startswith("- "):
            prose.append(unit[0])
            continue
        if prose:
            lines.append(" ".join(prose))
            prose = []
        lines.extend(unit)
    if prose:
        lines.append(" ".join(prose))
    return "\n".join(lines)


def compose(ranked: list[tuple[Passage, float]], weights: dict[str, float]) -> Composed:
    """Quote the selected passages (their best sentences), cite each, and list the references behind them."""
    chosen = select(ranked)
    parts: list[str] = []
    citations: list[Citation] = []
    references: list[str] = []
    for passage in chosen:
        units = best_sentences(passage, weights)
        if not units:
            continue
        parts.append(f"{_render_units(units)}\n\nSource: {citation_markdown(passage)}")
        citation = Citation(url=passage.url, article=passage.article, section=passage.section)
        if citation not in citations:
            citations.append(citation)
        references.extend(r for r in passage.references if r not in references)
    if not parts:
        return abstention()
    text = "\n\n".join(parts)
    if references:
        text += "\n\nReferences:\n" + "\n".join(f"{n}. {ref}" for n, ref in enumerate(references, 1))
    return Composed(markdown=text, citations=tuple(citations), references=tuple(references))


def abstention() -> Composed:
    return Composed(markdown=ABSTENTION, citations=(), references=())
