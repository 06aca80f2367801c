"""What the patient's and the clinician's course pages share: context builders and the chart/summary responses.

The two sides differ only in how they get the course (own_course vs clinician_course, which audits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.utils import timezone

from rxplain.course import charts
from rxplain.course.models import Course
from rxplain.course.pdf import summary_pdf
from rxplain.course.records import PREFETCH, State
from rxplain.course.safety import SEVERITY
from rxplain.course.schedule import day_text


def state_of(course: Course) -> State:
    course = Course.objects.select_related("patient").prefetch_related(*PREFETCH).get(pk=course.pk)
    return State.of(course, timezone.localdate())


def patient_name(course: Course) -> str:
    user = course.patient
    return user.get_full_name() or user.get_username()


def dose_rows(state: State) -> list[list[str]]:
    weight = float(state.course.weight_kg)
    return [[day_text(d.start_date), f"{float(d.mg_per_day):g} mg", f"{float(d.mg_per_day) / weight:.2f}"]
            for d in state.course.dose_changes.all()]


def side_effect_summary(state: State, checkin) -> list[tuple[str, str]]:
    labels = {s.id: s.label for s in state.rules.side_effects}
    return [(labels.get(k, k), SEVERITY.get(int(v), str(v))) for k, v in checkin.side_effects.items() if int(v)]


def course_context(state: State) -> dict:
    checkins = [{"checkin": c, "phq9": c.phq9, "side_effects": side_effect_summary(state, c)}
                for c in state.checkins]
    return {
        "course": state.course,
        "state": state,
        "rules": state.rules,
        "f": state.figures,
        "due": [(item, item.status(state.today)) for item in state.due],
        "flags": state.flags,
        "checkins": checkins,
        "lab_rows": state.lab_rows(),
        "dose_rows": dose_rows(state),
        "missed_days": sorted((e.day for e in state.course.dose_entries.all() if not e.taken), reverse=True),
        "dose_chart_text": charts.dose_chart_text(state),
        "lab_chart_text": charts.lab_chart_text(state),
        "today": state.today,
        # what the patient must see first: the crisis lines, or the positive-test instruction
        "show_crisis": any(f.level == "crisis" for f in state.flags),
        "show_pregnancy": any(f.kind == "pregnancy" for f in state.flags),
    }


@dataclass(frozen=True)
class Event:
    day: date
    kind: str
    text: str
    level: str = ""


def timeline(state: State) -> list[Event]:
    """The course as dated events, newest first (the clinician's timeline)."""
    events = [Event(state.course.start_date, "start", "Course started")]
    weight = float(state.course.weight_kg)
    for change in state.course.dose_changes.all():
        events.append(Event(change.start_date, "dose", f"Daily dose {float(change.mg_per_day):g} mg "
                            f"({float(change.mg_per_day) / weight:.2f} mg/kg/day)"))
    for day in (e.day for e in state.course.dose_entries.all() if not e.taken):
        events.append(Event(day, "missed", "Dose missed"))
    for c in state.checkins:
        parts = []
        if c.phq9:
            parts.append(f"PHQ-9 {c.phq9.total} ({c.phq9.band})" + ("; item 9 above 0" if c.phq9.crisis else ""))
        effects = side_effect_summary(state, c)
        if effects:
            parts.append("side effects: " + ", ".join(f"{name} ({sev})" for name, sev in effects))
        if c.pregnancy_test_result:
            parts.append(f"pregnancy test {c.pregnancy_test_result} ({c.pregnancy_test_date.day} {c.pregnancy_test_date:%b})")
        if c.triage_verdict in {"urgent", "crisis", "unscreened"}:
            parts.append(f"triage: {c.triage_verdict}")
        level = "crisis" if (c.phq9 and c.phq9.crisis) or c.triage_verdict == "crisis" else (
            "urgent" if c.pregnancy_test_result == "positive" or c.triage_verdict == "urgent" else "")
        events.append(Event(c.day, "checkin", "Check-in: " + ("; ".join(parts) or "no problems reported"), level))
    for row in state.lab_rows():
        lab = row["lab"]
        flag = row["flag"]
        events.append(Event(lab.day, "lab", f"{row['name']}: {float(lab.value):g} {lab.unit}" + (
            f" (flagged: above {flag.above:g} {row['canonical_unit']})" if flag else ""),
            flag.level if flag else ""))
    return sorted(events, key=lambda e: e.day, reverse=True)


def summary_context(state: State) -> dict:
    course, f = state.course, state.figures
    latest = state.checkins[0] if state.checkins else None
    checkin_lines: list[str] = []
    if latest:
        checkin_lines.append(f"Date: {day_text(latest.day)}")
        if latest.phq9:
            checkin_lines.append(f"PHQ-9: {latest.phq9.total} of 27 ({latest.phq9.band})"
                                 + ("; item 9 above 0 - crisis screen shown" if latest.phq9.crisis else ""))
        effects = side_effect_summary(state, latest)
        checkin_lines.append("Side effects: " + (", ".join(f"{n} ({s})" for n, s in effects) or "none reported"))
        if latest.pregnancy_test_result:
            checkin_lines.append(f"Pregnancy test {day_text(latest.pregnancy_test_date)}: {latest.pregnancy_test_result}; "
                                 f"birth control: {latest.contraception_method_1}"
                                 + (f" + {latest.contraception_method_2}" if latest.contraception_method_2 else "")
                                 + (" (confirmed)" if latest.contraception_confirmed else " (NOT confirmed)"))
    latest_labs: dict[str, dict] = {}
    for row in state.lab_rows():
        latest_labs.setdefault(row["lab"].test, row)
    lab_rows = [[row["name"], day_text(row['lab'].day), f"{float(row['lab'].value):g} {row['lab'].unit}",
                 row["flag"].label if row["flag"] else "within range"] for row in latest_labs.values()]
    facts = [
        ("Started", day_text(course.start_date)),
        ("Day", str(f.days_on_treatment)),
        ("Weight", f"{float(course.weight_kg):g} kg"),
        ("Brand", course.brand or "not given"),
        ("Current dose", f"{f.current_mg_per_day:g} mg/day ({f.mg_per_kg_per_day:.2f} mg/kg/day)"),
        ("Cumulative", f"{f.cumulative_mg_per_kg:.1f} mg/kg ({f.progress_low_pct:.0f}% of {f.target_low:g})"),
        ("Missed doses", f"{f.days_missed} of {f.days_on_treatment} days"),
        (f"Reach {f.target_low:g}", day_text(f.date_low) if f.date_low else "n/a"),
        (f"Reach {f.target_high:g}", day_text(f.date_high) if f.date_high else "n/a"),
    ]
    if course.end_date:
        facts.append(("Ended", day_text(course.end_date)))
    return {
        "medicine": state.rules.name,
        "patient": patient_name(course),
        "facts": facts,
        "flags": state.flags,
        "dose_rows": dose_rows(state),
        "checkin": checkin_lines,
        "lab_rows": lab_rows,
        "due": [f"{item.label}: {day_text(item.due)} ({item.status(state.today)})" for item in state.due
                if not item.done],
    }


def svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"  # health data: never in a shared cache
    return response


def dose_chart_response(course: Course) -> HttpResponse:
    return svg_response(charts.to_svg(charts.dose_figure(state_of(course))))


def lab_chart_response(course: Course) -> HttpResponse:
    return svg_response(charts.to_svg(charts.lab_figure(state_of(course))))


def pdf_response(course: Course) -> HttpResponse:
    state = state_of(course)
    response = HttpResponse(summary_pdf(state, summary_context(state)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="course-summary-{state.today:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

