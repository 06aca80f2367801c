"""Answers are Markdown from reviewed content; they are rendered and then sanitised (nh3), never trusted as is.

Patient text is never passed through here: templates escape it.
"""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def answer_html(text: str) -> SafeString:
    html = markdown.markdown(text or "", output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)
    return mark_safe(clean)  # safe: sanitised by nh3 just above


def answer_text(text: str, link=lambda label, url: label) -> str:
    """Plain text for the PDF: each link becomes link(label, url); bold marks and headings are dropped."""
    plain = LINK.sub(lambda m: link(m.group(1).replace("\\", ""), m.group(2)), text or "")
    plain = re.sub(r"(\*\*|__)(.+?)\1", r"\2", plain)
    plain = re.sub(r"(?m)^#{1,6}\s*", "", plain)
    plain = re.sub(r"(?m)^- ", "\u2022 ", plain)
    return plain.strip()


REFERENCES = re.compile(r"\n\s*References:\s*\n", re.IGNORECASE)
NUMBERED = re.compile(r"^\s*\d+\.\s+")


def split_references(text: str) -> tuple[str, list[str]]:
    """An answer ends with the references behind its passages; they are shown apart, in smaller print."""
    parts = REFERENCES.split(text or "", maxsplit=1)
    if len(parts) == 1:
        return text or "", []
    refs = [NUMBERED.sub("", line).strip() for line in parts[1].splitlines() if line.strip()]
    return parts[0].rstrip(), refs


def citations_not_in_text(text: str, citations: list[dict]) -> list[dict]:
    """The cited sections not already linked inside the answer (the engine usually links each one inline)."""
    return [c for c in citations or [] if f"]({c.get('url', '')})" not in (text or "")]
