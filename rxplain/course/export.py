"""CSV export of everything a patient has stored: one row per recorded value (long format, spreadsheet-safe)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser

from rxplain.course.models import CareLink, Course

HEADER = ["record", "course", "date", "item", "value", "unit"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> str:
    """Free text that a spreadsheet would run as a formula is prefixed with a quote (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def rows(user: AbstractBaseUser) -> Iterator[list[object]]:
    yield ["account", "", "", "username", user.get_username(), ""]
    yield ["account", "", "", "email", user.email, ""]
    for link in CareLink.objects.filter(patient=user).select_related("clinician"):
        yield ["clinician link", "", link.created_at.date(), "clinician", link.clinician.get_username(), ""]
    courses = Course.objects.filter(patient=user).prefetch_related("dose_changes", "dose_entries", "checkins", "labs")
    for course in courses:
        c = course.pk
        yield ["course", c, course.start_date, "medicine", course.medicine, ""]
        yield ["course", c, course.start_date, "start date", course.start_date, ""]
        yield ["course", c, course.end_date or "", "end date", course.end_date or "", ""]
        yield ["course", c, "", "weight", course.weight_kg, "kg"]
        yield ["course", c, "", "brand", course.brand, ""]
        yield ["course", c, "", "can become pregnant", "yes" if course.can_become_pregnant else "no", ""]
        for d in course.dose_changes.all():
            yield ["dose change", c, d.start_date, "daily dose", d.mg_per_day, "mg"]
            if d.note:
                yield ["dose change", c, d.start_date, "note", d.note, ""]
        for e in course.dose_entries.all():
            yield ["dose log", c, e.day, "dose", "taken" if e.taken else "missed", ""]
        for ch in course.checkins.all():
            for key, severity in ch.side_effects.items():
                yield ["check-in", c, ch.day, f"side effect: {key}", severity, "0-3"]
            for n, answer in enumerate(ch.phq9_answers, start=1):
                yield ["check-in", c, ch.day, f"PHQ-9 item {n}", answer, "0-3"]
            if ch.phq9:
                yield ["check-in", c, ch.day, "PHQ-9 total", ch.phq9.total, "0-27"]
            for item, value in (("birth control 1", ch.contraception_method_1),
                                ("birth control 2", ch.contraception_method_2),
                                ("pregnancy test date", ch.pregnancy_test_date),
                                ("pregnancy test result", ch.pregnancy_test_result), ("notes", ch.notes)):
                if value:
                    yield ["check-in", c, ch.day, item, value, ""]
            if ch.contraception_method_1:
                yield ["check-in", c, ch.day, "birth control confirmed", "yes" if ch.contraception_confirmed else "no",
                       ""]
        for lab in course.labs.all():
            yield ["lab", c, lab.day, lab.test, lab.value, lab.unit]


def to_csv(user: AbstractBaseUser) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows(user):
        writer.writerow([_safe(v) for v in row])
    return buffer.getvalue()
