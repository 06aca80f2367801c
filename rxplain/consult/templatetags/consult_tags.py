import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from rxplain.consult.render import answer_html, citations_not_in_text, split_references

register = template.Library()
SITE_LINK = re.compile(r'href="(/(?!/)[^"]*)"')


@register.filter
def answer_markdown(text: str) -> SafeString:
    """Render an answer's Markdown to sanitised HTML (for assistant messages only, never patient text)."""
    return answer_html(text)


@register.filter
def answer_body(text: str) -> SafeString:
    """The answer without its reference list, rendered and sanitised."""
    return answer_html(split_references(text)[0])


@register.filter
def with_print_urls(html: SafeString) -> SafeString:
    """Give each site link in sanitised answer HTML its full address for print (shown by the print stylesheet)."""
    from rxplain.consult.summary import absolute

    def add(match: re.Match) -> str:
        return f'{match.group(0)} data-print-url="{absolute(match.group(1))}"'

    return mark_safe(SITE_LINK.sub(add, str(html)))  # safe: only adds an attribute built from an escaped href


@register.filter
def answer_references(text: str) -> list[str]:
    return split_references(text)[1]


@register.filter
def extra_sources(message) -> list[dict]:
    """Citations to list under the answer: those it does not already link inline."""
    return citations_not_in_text(message.text, message.citations)


@register.filter
def minutes_seconds(seconds: int) -> str:
    seconds = max(0, int(seconds or 0))
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def safe_url(url: str) -> str:
    """Citation links come from the answer engine: allow site paths and http(s) only."""
    url = str(url or "")
    if (url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://", "#")):
        return url
    return "#"


@register.filter
def phone_digits(number: str) -> str:
    return "".join(ch for ch in str(number or "") if ch.isdigit() or ch == "+")


@register.filter
def absolute_url(url: str) -> str:
    """The public address of a site path, for print and PDF where a bare path is no use."""
    from rxplain.consult.summary import absolute

    return absolute(str(url or ""))
