"""The end-of-visit summary: what was asked and what came back, as a page (printable) and as a PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from rxplain.consult.models import ConsultSession, Message
from rxplain.consult.render import answer_text, citations_not_in_text, split_references


@dataclass
class Exchange:
    question: Message
    responses: list[Message] = field(default_factory=list)


def exchanges(visit: ConsultSession) -> list[Exchange]:
    """The transcript as question -> responses (advice, answer or notice), in order."""
    out: list[Exchange] = []
    for message in visit.messages.all():
        if message.role == Message.Role.PATIENT:
            out.append(Exchange(message))
        elif out:
            out[-1].responses.append(message)
    return out


def status_line(visit: ConsultSession) -> str:
    if visit.status == ConsultSession.Status.ENDED_SAFETY:
        return "This visit was ended early so you could get help from a person right away."
    if visit.status == ConsultSession.Status.ENDED_TIME:
        return "This visit ended when its 15 minutes were up."
    return "This visit is still open; this is a summary so far."


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


@lru_cache(maxsize=1)
def _font_dir() -> Path | None:
    # DejaVu Sans covers the typographic quotes, dashes and arrows of the articles; matplotlib ships it.
    try:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        return path if (path / "DejaVuSans.ttf").exists() else None
    except ImportError:
        return None


def _latin1(text: str) -> str:
    replacements = {"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                    "\u203a": ">", "\u2026": "...", "\u2022": "*"}
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf_bytes(visit: ConsultSession) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="Letter")
    pdf.set_title("Rxplain consultation summary")
    pdf.set_author("Rxplain")
    pdf.set_creation_date(timezone.now())
    fonts = _font_dir()
    if fonts:
        pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
        family, clean = "DejaVu", (lambda s: s)
    else:
        family, clean = "Helvetica", _latin1
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def para(text: str, size: int = 11, style: str = "", gap: float = 2) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def cited(label: str, url: str) -> str:
        return f"{label} ({absolute(url)})"

    para("Rxplain \u2014 consultation summary", 16, "B", 3)
    local = timezone.localtime(visit.started_at)
    para(f"Started {local:%B %d, %Y at %H:%M} ({local.tzname()}). {status_line(visit)}", 10)
    if visit.status == ConsultSession.Status.ENDED_SAFETY:
        para("If you are in danger or it is an emergency, call 911. If you are thinking about suicide or hurting "
             "yourself, call or text 988 (Suicide & Crisis Lifeline). Outside the US, call your local emergency number.",
             11, "B", 4)

    for number, exchange in enumerate(exchanges(visit), start=1):
        para(f"Question {number}", 12, "B", 1)
        para(exchange.question.text, 11, "", 3)
        for response in exchange.responses:
            if response.kind == Message.Kind.ANSWER:
                body, references = split_references(response.text)
                para("Answer", 11, "B", 1)
                para(answer_text(body, cited), 11, "", 2)
                extra = citations_not_in_text(response.text, response.citations)
                if extra:
                    para("Sources", 10, "B", 1)
                    for c in extra:
                        label = f"{c.get('article', '')} \u203a {c.get('section', '')}"
                        para("\u2022 " + cited(label, c.get("url", "")), 9, "", 1)
                if references:
                    para("References", 9, "B", 1)
                    for n, reference in enumerate(references, start=1):
                        para(f"{n}. {reference}", 8, "", 0.5)
                    pdf.ln(1.5)
            elif response.kind == Message.Kind.URGENT_ADVICE:
                para(f"Important: {response.text}", 11, "B", 2)
            elif response.kind == Message.Kind.SAFETY_STOP:
                para(response.text, 11, "B", 2)
            else:
                para(response.text, 11, "", 2)
        pdf.ln(3)

    para("Rxplain gives general information, not medical advice. Always follow your prescriber's advice. "
         f"Printed {timezone.localtime():%Y-%m-%d %H:%M}.", 8, "", 0)
    return bytes(pdf.output())


def pdf_filename(visit: ConsultSession) -> str:
    return f"rxplain-consultation-{visit.started_at:%Y-%m-%d}-{str(visit.public_id)[:8]}.pdf"

