"""Compose a cited answer from retrieved passages, or the plain abstention.

The engine never writes medical facts of its own: an answer is sentences copied from our passages, each block
followed by its citation ``[Article › Section](url#anchor)``, then the references those passages cite. Nothing
from the question is ever put into the answer, so nothing a user typed can be echoed back unescaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rxplain.answers.index import analyze
from rxplain.answers.passages import LEANS_BACK as _DANGLING
from rxplain.answers.passages import Passage, quotable_units

ABSTENTION = "I don't have reviewed information on that — a pharmacist or your prescriber can answer it."
MAX_PASSAGES = 3
MAX_BLOCK_WORDS = 75  # a quoted block stays short: the citation takes the reader to the full section
SECOND_PASSAGE_RATIO = 0.9  # a further passage is quoted only when it ranks nearly as well as the first
WHOLE_PASSAGE_WORDS = 100  # a passage up to this long is quoted whole rather than cut into stitched sentences

_SHORT_REPLY = re.compile(r"^(yes|no|not|usually|sometimes|often|rarely|maybe|probably|it depends)\b", re.I)


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

    A short passage is quoted whole: stitched sentences read worse than the few words they save. Otherwise every
    run that fits is scored; a run may not open with a unit that leans on the one before it ("This usually
    passes.", "They may..."), and runs that start and end on paragraph edges read better, so they get a bonus.
    """
    units = _units(passage.text)
    if len(units) <= 1 or _size(units, 0, len(units) - 1) <= max(max_words, WHOLE_PASSAGE_WORDS):
        return units
    scores = []
    for unit in units:
        terms = set(analyze(" ".join(unit)))
        scores.append(sum(weights.get(t, 0.0) for t in terms) / (1 + 0.02 * _words(unit)))
    starts = _paragraph_starts(passage.text, units)
    scale = max(scores) or 1.0
    best: tuple[float, int, int] | None = None
    for start in range(len(units)):
        if start > 0 and _leans_back(units[start]):
            continue
        for end in range(start, len(units)):
            if _size(units, start, end) > max_words:
                break
            edges = starts[start] + (end + 1 == len(units) or starts[end + 1])
            # ties go to the longer, earlier run: more context, and the passage's own order
            score = sum(scores[start: end + 1]) + 0.15 * scale * edges + 0.001 * (end - start) - 0.0001 * start
            if best is None or score > best[0]:
                best = (score, start, end)
    if best is None:  # every unit is too long or leans back: the best one, with the one it leans on
        top = max(range(len(units)), key=lambda i: (scores[i], -i))
        start = top - 1 if top > 0 and _leans_back(units[top]) else top
        return units[start: top + 1]
    return units[best[1]: best[2] + 1]


def _leans_back(unit: list[str]) -> bool:
    """Whether a unit opens with a word that points at the sentence before it (a list item never does)."""
    return bool(_DANGLING.match(unit[0]))


def _paragraph_starts(text: str, units: list[list[str]]) -> list[bool]:
    """Per unit, whether it opens a line of the passage (a paragraph, a list or a list item)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return [any(line.startswith(unit[0]) for line in lines) for unit in units]


def _size(units: list[list[str]], start: int, end: int) -> int:
    return sum(_words(u) for u in units[start: end + 1])


def _escape_label(text: str) -> str:
    return re.sub(r"([\[\]\\*_`<>])", r"\\\1", text)


def _escape_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def citation_markdown(passage: Passage) -> str:
    return f"[{_escape_label(passage.article)} › {_escape_label(passage.section)}]({_escape_url(passage.url)})"


def _render_units(units: list[list[str]]) -> str:
    """Prose sentences run together as one paragraph; a list keeps one "- " item per line, with a blank line
    around it: Python-Markdown (the chat's renderer) reads a list straight after a paragraph line as more of the
    paragraph, which showed a tester "...blood test: - Blood fats (lipids). ... - Liver tests." on one line."""
    paragraphs: list[list[str]] = []
    for unit in units:
        for line in unit:
            if not paragraphs or line.startswith("- ") != paragraphs[-1][-1].startswith("- "):
                paragraphs.append([])
            paragraphs[-1].append(line)
    return "\n\n".join(("\n" if p[0].startswith("- ") else " ").join(p) for p in paragraphs)


def _lead(passage: Passage, units: list[list[str]]) -> str:
    """An FAQ answer that replies to its question ("It can.", "Not always.") is led by that question, in bold:
    the question is reviewed content too, and without it the reply has nothing to lean on."""
    if passage.kind != "faq" or not passage.question or not units:
        return ""
    if not (_leans_back(units[0]) or _SHORT_REPLY.match(units[0][0])):
        return ""
    return f"**{_escape_label(passage.question)}**\n\n"


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
        parts.append(f"{_lead(passage, units)}{_render_units(units)}\n\nSource: {citation_markdown(passage)}")
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
