"""What is due and when: check-ins, blood tests, pregnancy tests, the pickup window (plain Python).

The course page, the dashboard and the reminder jobs all read these functions, so a reminder is sent for exactly
what the patient sees as due. ``key`` and ``due`` together identify a reminder (sent once per key and date).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rxplain.course.rules import LabVisit


def day_text(day: date) -> str:
    """'5 Jun 2025': the one date format of course texts (no leading zero, month in words: no US/EU confusion)."""
    return f"{day.day} {day:%b %Y}"


# A reminder is not sent for something more than this many days overdue: it shows on the page and the dashboard.
REMINDER_GRACE_DAYS = 7


@dataclass(frozen=True)
class DueItem:
    kind: str  # "checkin" | "labs" | "pregnancy-test" | "pickup"
    key: str  # unique per course and kind of reminder, e.g. "labs:week-4"
    label: str
    due: date
    remind_from: date
    done: bool = False
    detail: str = ""

    def status(self, today: date) -> str:
        if self.done:
            return "done"
        if today > self.due:
            return "overdue"
        if today >= self.remind_from:
            return "due soon"
        return "upcoming"


def checkin_due(start: date, last_checkin: date | None, interval: int, lead: int) -> DueItem:
    due = (last_checkin or start) + timedelta(days=interval)
    return DueItem("checkin", "checkin", "Monthly check-in", due, due - timedelta(days=lead))


def pregnancy_test_due(start: date, last_test: date | None, interval: int, lead: int) -> DueItem:
    due = (last_test or start) + timedelta(days=interval)
    return DueItem("pregnancy-test", "pregnancy-test", "Monthly pregnancy test", due, due - timedelta(days=lead))


def pickup_window(last_negative_test: date | None, days: int, lead: int, today: date) -> DueItem | None:
    """The window to pick up the medicine after a negative pregnancy test, while it is open."""
    if last_negative_test is None:
        return None
    closes = last_negative_test + timedelta(days=days)
    if today > closes:
        return None
    return DueItem("pickup", "pickup", f"Pick up your medicine within {days} days of your pregnancy test", closes,
                   closes - timedelta(days=lead), detail=f"The window closes on {day_text(closes)}.")


def lab_items(
    start: date,
    results: Mapping[str, Sequence[date]],
    visits: Sequence[LabVisit],
    tests: Sequence[str],
    names: Mapping[str, str],
    lead: int,
    prescriber_date: date | None = None,
) -> list[DueItem]:
    """One item per scheduled visit (done when every test has a result in its window), plus the next date the
    prescriber set, if any (done when every test has a result from a week before that date on)."""
    windows = [(v.id, v.label, start + timedelta(days=v.due_day), start + timedelta(days=v.from_day),
                start + timedelta(days=v.to_day)) for v in visits]
    if prescriber_date:
        windows.append(("prescriber", "Blood tests on the date your prescriber set", prescriber_date,
                        prescriber_date - timedelta(days=7), date.max))
    items = []
    for visit_id, label, due, first, last in windows:
        missing = [t for t in tests if not any(first <= d <= last for d in results.get(t, ()))]
        detail = ("Still needed: " + ", ".join(names.get(t, t) for t in missing) + ".") if missing else ""
        items.append(DueItem("labs", f"labs:{visit_id}", label, due, due - timedelta(days=lead), not missing, detail))
    return items


def reminders(items: Iterable[DueItem], today: date) -> list[DueItem]:
    """Items whose reminder should go out today: not done, inside the lead time, at most a week overdue."""
    return [
        item for item in items
        if not item.done and item.remind_from <= today <= item.due + timedelta(days=REMINDER_GRACE_DAYS)
    ]
