"""The one-page course summary for a visit, as a PDF (fpdf2). The HTML summary page shows the same content."""

from __future__ import annotations

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from rxplain.course import charts
from rxplain.course.records import State
from rxplain.course.schedule import day_text

# fpdf2's core fonts are Latin-1: map the few typographic characters our text uses.
_PLAIN = str.maketrans({"–": "-", "—": "-", "≥": ">=", "≤": "<=", "’": "'", "‘": "'", "“": '"', "”": '"',
                        "…": "...", "×": "x", "•": "-"})


def _t(text: object) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Summary(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 7)
        self.cell(0, 5, _t("Rxplain course summary. Figures are computed from what the patient entered; "
                           "the prescriber decides on any change to treatment."), align="C")


def summary_pdf(state: State, summary: dict) -> bytes:
    """``summary`` is the dict built by views_common.summary_context (the HTML page uses the same)."""
    pdf = _Summary(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_margins(14, 12, 14)
    pdf.add_page()
    pdf.set_title("Course summary")

    def heading(text: str, size: int = 11) -> None:
        pdf.set_font("Helvetica", "B", size)
        pdf.cell(0, 6, _t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 9)

    def line(text: str) -> None:
        pdf.multi_cell(0, 4.5, _t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(rows: list[list[str]], widths: tuple[int, ...]) -> None:
        pdf.set_font("Helvetica", "", 8)
        with pdf.table(col_widths=widths, line_height=4.2, text_align="LEFT", first_row_as_headings=True,
                       padding=0.8) as grid:
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell(_t(value))
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "", 9)

    heading(f"Course summary: {summary['medicine']}", 14)
    line(f"Patient: {summary['patient']}    Printed: {day_text(state.today)}")
    line(" · ".join(f"{k}: {v}" for k, v in summary["facts"]).replace("·", "|"))
    if summary["flags"]:
        heading("Flags for the prescriber")
        for flag in summary["flags"]:
            line(f"[{flag.level.upper()}] {flag.message}")
    heading("Dose")
    table([["Since", "Daily dose", "mg/kg/day"]] + summary["dose_rows"], (30, 30, 30))
    line(charts.dose_chart_text(state))
    pdf.image(io.BytesIO(charts.to_png(charts.dose_figure(state), dpi=110)), w=150)
    if summary["checkin"]:
        heading("Latest check-in")
        for text in summary["checkin"]:
            line(text)
    if summary["lab_rows"]:
        heading("Latest blood tests")
        table([["Test", "Date", "Result", "Flag"]] + summary["lab_rows"], (45, 25, 35, 77))
    if summary["due"]:
        heading("Due next")
        for text in summary["due"]:
            line(text)
    return bytes(pdf.output())
