"""Markdown from the content pack to safe HTML: pack links become URLs, citations link to the reference list.

Our own content is still sanitised (nh3) after rendering: the same path will one day render editor input.
"""

from __future__ import annotations

import html
import re
from typing import Protocol

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from rxplain.library.pack import CITE, LINK

ALLOWED_TAGS = {
    "p", "a", "ul", "ol", "li", "strong", "em", "b", "i", "code", "blockquote", "br", "hr", "sup", "sub",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "span", "dfn", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class", "id"}, "span": {"class", "id"}, "th": {"scope"},
                      "td": set(), "sup": {"class"}, "dfn": {"id", "class"}, "abbr": {"title"}}


class Term(Protocol):
    slug: str
    term: str
    definition: str


def article_url(medicine: str, slug: str, anchor: str | None = None) -> str:
    return f"/{medicine}/{slug}/" + (f"#{anchor}" if anchor else "")


def glossary_url(medicine: str, slug: str) -> str:
    return f"/{medicine}/glossary/#{slug}"


def render_markdown(
    text: str, medicine: str, glossary: dict[str, Term] | None = None, inline_terms: bool = False
) -> SafeString:
    """Render pack Markdown. With inline_terms, the first use of each glossary term shows its definition in place."""
    glossary = glossary or {}
    shown: set[str] = set()

    def link(match: re.Match[str]) -> str:
        label, target, anchor = match.group("label"), match.group("target"), match.group("anchor")
        if match.group("kind") == "article":
            return f"[{label}]({article_url(medicine, target, anchor)})"
        term = glossary.get(target)
        url = glossary_url(medicine, target)
        if term is None:
            return f"[{label}]({url})"
        title = html.escape(term.definition, quote=True)
        anchor_html = f'<a class="term" href="{url}" title="{title}">{html.escape(label)}</a>'
        if inline_terms and target not in shown:
            shown.add(target)
            first_sentence = re.split(r"(?<=[.;])\s", term.definition.strip(), maxsplit=1)[0]
            return f'{anchor_html}<span class="term-def"> ({html.escape(_lower_first(first_sentence))})</span>'
        return anchor_html

    def cite(match: re.Match[str]) -> str:
        numbers = re.findall(r"\d+", match.group("nums"))
        links = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in numbers)
        return f'<sup class="cite">[{links}]</sup>'

    source = LINK.sub(link, text)
    source = CITE.sub(cite, source)
    rendered = markdown.markdown(source, extensions=["tables", "sane_lists"])
    return mark_safe(nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES))


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".;")
    if text[:2].isupper():  # an acronym such as "PHQ-9" keeps its capitals
        return text
    return text[:1].lower() + text[1:]


URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]")
DOI = re.compile(r"\bdoi:\s*(10\.\d{4,}/[^\s]+[^\s.,;])", re.IGNORECASE)
PMID = re.compile(r"\bPMID:?\s*(\d+)")


def render_reference(text: str) -> SafeString:
    """A reference line with its DOI, PMID and URL as links (everything else escaped)."""
    escaped = html.escape(text)
    escaped = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    escaped = DOI.sub(lambda m: f'doi:<a href="https://doi.org/{m.group(1)}">{m.group(1)}</a>', escaped)
    escaped = PMID.sub(lambda m: f'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/">{m.group(1)}</a>',
                       escaped)
    return mark_safe(nh3.clean(escaped, tags={"a"}, attributes={"a": {"href"}}))
