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
