"""Split published articles, FAQ answers and glossary definitions into passages for the answer engine.

A passage is the unit the engine retrieves and quotes: a few sentences that keep the article, the section anchor
and the title they came from, so that every quoted sentence can be cited back to its page. Plain Python, no Django.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from rxplain.library.pack import CITE, Article, GlossaryTerm

# A passage should be quotable in a short answer and still carry enough words for retrieval to find it.
TARGET_WORDS = 90
MAX_WORDS = 140

GLOSSARY_SLUG = "glossary"
GLOSSARY_TITLE = "Glossary"

_LINK = re.compile(r"!?\[(?P<label>[^\]]*)\]\((?P<target>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"<[^>]{0,200}>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`+)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SUBHEADING = re.compile(r"^\s*#{3,6}\s+(?P<title>.+?)\s*(?:\{#[^}]*\})?\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Words that make a sentence lean on the one before it: such a sentence never opens a quoted block on its own.
LEANS_BACK = re.compile(
    r"^[\"'“‘(]?(it|its|this|that|these|those|they|them|their|he|she|such|both|so|but|and|or|also|then|"
    r"still|yet|even so|because|however|otherwise|instead|if so|in that case|as a result|for this reason|"
    r"the same|other|another)\b",
    re.I,
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|vs|etc|approx|Dr|Mr|Mrs|Ms|No|St|mg|kg)\.$", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    id: str
    url: str
    medicine: str
    article: str
    article_slug: str
    section: str
    anchor: str
    text: str
    kind: str  # "section" | "faq" | "glossary"
    question: str = ""  # the FAQ question, for kind == "faq"
    references: tuple[str, ...] = ()  # texts of the references the passage cites
    aliases: tuple[str, ...] = ()  # other names of a glossary term: searchable, never quoted

    @property
    def label(self) -> str:
        """``article-slug#anchor`` (``glossary#term-slug`` for glossary terms): what the labelled set names."""
        return f"{self.article_slug}#{self.anchor}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["references"] = list(self.references)
        data["aliases"] = list(self.aliases)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        fields = dict(data)
        fields["references"] = tuple(fields.get("references") or ())
        fields["aliases"] = tuple(fields.get("aliases") or ())
        return cls(**fields)


def cited_numbers(text: str) -> list[int]:
    """Reference numbers cited inline as [1], [1, 2] or [1–3], in order of first appearance."""
    numbers: list[int] = []
    for match in CITE.finditer(text):
        for part in re.split(r"\s*,\s*", match.group("nums")):
            bounds = [int(b) for b in re.split(r"\s*[–-]\s*", part) if b]
            span = range(bounds[0], bounds[-1] + 1) if len(bounds) == 2 and bounds[1] - bounds[0] < 50 else bounds
            numbers.extend(n for n in span if n not in numbers)
    return numbers


def plain_text(markdown: str) -> str:
    """Markdown of our pages as plain text: links become their label, citations and emphasis disappear.

    Line structure is kept (one paragraph or list item per line) so sentences never run across list items.
    """
    lines: list[str] = []
    source = markdown.replace("\r\n", "\n").split("\n")
    header: list[str] = []
    for index, raw in enumerate(source):
        if _TABLE_RULE.match(raw) and "-" in raw:
            continue
        if _is_table_row(raw):
            cells = [_inline(cell) for cell in raw.strip().strip("|").split("|")]
            following = source[index + 1] if index + 1 < len(source) else ""
            if _TABLE_RULE.match(following) and "-" in following:
                header = cells  # the header row labels the cells of the rows below; it is no unit itself
                continue
            # a row reads as "Header: cell; Header: cell" so that a quoted row keeps its meaning
            parts = [f"{h}: {c}" if h else c for h, c in zip(header + [""] * len(cells), cells, strict=False) if c]
            if lines and lines[-1] != "":
                lines.append("")
            lines.extend(["- " + "; ".join(parts), ""])
            continue
        header = [] if not raw.strip() else header
        sub = _SUBHEADING.match(raw)
        line = sub.group("title") if sub else raw
        line = line.strip()
        if line.startswith(">"):
            line = line.lstrip("> ")
        is_item = bool(_BULLET.match(line))
        line = _BULLET.sub("", line)
        line = _inline(line)
        if not line:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        if is_item or sub:
            # list items and sub-headings are units of their own; items keep a "- " marker for blocks and display
            if lines and lines[-1] != "":
                lines.append("")
            lines.extend([f"- {line}" if is_item else line, ""])
        elif lines and lines[-1] != "":
            lines[-1] = f"{lines[-1]} {line}"  # a paragraph wrapped over several source lines
        else:
            lines.append(line)
    return "\n".join(line for line in lines if line)


def _is_table_row(raw: str) -> bool:
    return raw.strip().startswith("|") and raw.count("|") >= 2


def _inline(line: str) -> str:
    """Inline markdown to plain text: link labels kept, citations, tags and emphasis removed."""
    line = _LINK.sub(lambda m: m.group("label"), line)
    line = CITE.sub("", line)
    line = _TAG.sub("", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _UNDERSCORE.sub(r"\1", line)
    line = html.unescape(line)
    line = _SPACES.sub(" ", line).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", line)  # "text [1]." leaves "text ." behind


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain-text passage; each line (paragraph or list item) is split on its own."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pieces = _SENTENCE_END.split(line)
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATION.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"  # "e.g. Accutane" is not a sentence boundary
            else:
                merged.append(piece)
        out.extend(p.strip() for p in merged if p.strip())
    return out


def blocks(text: str) -> list[list[str]]:
    """Lines grouped so that a list stays with the sentence that introduces it ("... if you have:")."""
    out: list[list[str]] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line.startswith("- ") and out and (out[-1][-1].startswith("- ") or out[-1][-1].rstrip().endswith(":")):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def quotable_units(text: str, max_words: int = 75) -> list[list[str]]:
    """Units a passage can be quoted by, in order: single sentences, or a short list with the sentence that
    introduces it (a list too long to quote whole gives one unit per item)."""
    units: list[list[str]] = []
    for block in blocks(text):
        if len(block) > 1 and sum(len(line.split()) for line in block) <= max_words:
            units.append(block)
        elif len(block) > 1:
            units.extend([line] for line in block)
        else:
            units.extend([s] for s in split_sentences(block[0]))
    return units


def _chunks(text: str) -> list[str]:
    """Group blocks into passages of about TARGET_WORDS words, never cutting a sentence or a list."""
    units: list[list[str]] = []
    for block in blocks(text):
        size = sum(len(line.split()) for line in block)
        if len(block) == 1 and size > MAX_WORDS:
            units.extend([s] for s in split_sentences(block[0]))
        elif size > MAX_WORDS:
            units.extend([line] for line in block)  # a long list or table: its items, in order
        else:
            units.append(block)
    chunks: list[list[str]] = []
    words = 0
    for unit in units:
        size = sum(len(line.split()) for line in unit)
        fits = words + size <= TARGET_WORDS + 20 and not (words >= TARGET_WORDS * 0.6 and size > 40)
        # a paragraph that opens "It is also worth knowing..." must not open a passage of its own
        fits = fits or (bool(LEANS_BACK.match(unit[0])) and words + size <= MAX_WORDS)
        # an introduction ("A few habits can help a lot.") stays with what it introduces, even past the target
        if chunks and (fits or words < 35):
            chunks[-1].extend(unit)
            words += size
        else:
            chunks.append(list(unit))
            words = size
    # a short tail reads better with the chunk before it than alone
    if len(chunks) > 1 and sum(len(u.split()) for u in chunks[-1]) < 25:
        tail = chunks.pop()
        chunks[-1].extend(tail)
    return ["\n".join(c) for c in chunks]


def _references(article: Article, markdown: str) -> tuple[str, ...]:
    by_number = {r.number: r.text for r in article.references}
    return tuple(by_number[n] for n in cited_numbers(markdown) if n in by_number)


def article_url(base_url: str, medicine_slug: str, article_slug: str, anchor: str = "") -> str:
    """``{hub}/{article}/#anchor`` where the hub is ``/{medicine}``.

    ``base_url`` may be the site root ("" or "https://example.org") or the hub itself ("/isotretinoin/"): the
    medicine segment is added only when it is not already there.
    """
    base = base_url.rstrip("/")
    hub = base if base.split("/")[-1] == medicine_slug else f"{base}/{medicine_slug}"
    url = f"{hub}/{article_slug}/"
    return f"{url}#{anchor}" if anchor else url


def passages_from_articles(
    medicine: dict, articles: Iterable[Article], glossary: Iterable[GlossaryTerm], base_url: str = ""
) -> list[Passage]:
    """Every passage of one medicine's published content: article sections, FAQ answers, glossary definitions.

    URLs are ``/{medicine}/{article}/#anchor`` and ``/{medicine}/glossary/#{term-slug}``; ``base_url`` (the site
    root or the hub URL, see article_url) is put in front; "" keeps them site-relative.
    """
    med = str(medicine.get("slug") or medicine.get("generic") or "medicine")
    passages: list[Passage] = []
    for article in articles:
        for section in article.sections:
            text = plain_text(section.markdown)
            if not text:
                continue
            url = article_url(base_url, med, article.slug, section.anchor)
            # each chunk cites what its own sentences cite; the section's citations cover an uncited chunk
            raw_chunks = _raw_chunks(section.markdown)
            for n, chunk in enumerate(_chunks(text)):
                refs = _chunk_references(article, chunk, raw_chunks) or _references(article, section.markdown)
                passages.append(
                    Passage(
                        id=f"{med}:{article.slug}#{section.anchor}:{n}",
                        url=url,
                        medicine=med,
                        article=article.title,
                        article_slug=article.slug,
                        section=section.title,
                        anchor=section.anchor,
                        text=chunk,
                        kind="section",
                        references=refs,
                    )
                )
        for n, item in enumerate(article.faq):
            answer = plain_text(item.answer)
            if not answer:
                continue
            passages.append(
                Passage(
                    id=f"{med}:{article.slug}#faq:{n}",
                    url=article_url(base_url, med, article.slug, "faq"),
                    medicine=med,
                    article=article.title,
                    article_slug=article.slug,
                    section=plain_text(item.question),
                    anchor="faq",
                    text=answer,
                    kind="faq",
                    question=plain_text(item.question),
                    references=_references(article, item.answer),
                )
            )
    for term in glossary:
        definition = plain_text(term.definition)
        if not definition:
            continue
        passages.append(
            Passage(
                id=f"{med}:{GLOSSARY_SLUG}#{term.slug}",
                url=article_url(base_url, med, GLOSSARY_SLUG, term.slug),
                medicine=med,
                article=GLOSSARY_TITLE,
                article_slug=GLOSSARY_SLUG,
                section=term.term,
                anchor=term.slug,
                text=definition,
                kind="glossary",
                question="",
                references=(),
                aliases=tuple(str(a) for a in term.aliases),
            )
        )
    return passages


def _raw_chunks(markdown: str) -> list[tuple[str, str]]:
    """(plain, markdown) per source line, to find which citations belong to which chunk."""
    pairs = []
    for raw in markdown.split("\n"):
        plain = plain_text(raw)
        if plain:
            pairs.append((plain, raw))
    return pairs


def _chunk_references(article: Article, chunk: str, raw_lines: list[tuple[str, str]]) -> tuple[str, ...]:
    cited = [raw for plain, raw in raw_lines if plain and plain in chunk]
    return _references(article, "\n".join(cited))
