from django import template
from django.utils.safestring import SafeString

from rxplain.consult.render import answer_html

register = template.Library()


@register.filter
def answer_markdown(text: str) -> SafeString:
    """Render an answer's Markdown to sanitised HTML (for assistant messages only, never patient text)."""
    return answer_html(text)


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
