"""Dose arithmetic for a treatment course, as plain functions over dataclasses (no ORM, no Django).

Conventions, stated once:
- A course day counts from the start date up to and including ``as_of`` (today's dose counts), or up to the end
  date if the course has ended. 150 days from 1 Jan are 1 Jan .. 30 May.
- A day without a log entry counts as taken at the prescribed dose; a day logged as missed adds nothing.
- Cumulative dose is in mg per kg of the current body weight (what prescribers compare with the 120-150 band).
- Projections assume the current daily dose is taken every day from tomorrow on.
Figures are only ever shown with "your prescriber decides": nothing here suggests a dose.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class DoseChange:
    """The prescribed daily dose from ``start`` on (until the next change)."""

    start: date
    mg_per_day: float


@dataclass(frozen=True)
class CourseInput:
    start: date
    weight_kg: float
    doses: tuple[DoseChange, ...]
    missed: frozenset[date] = field(default_factory=frozenset)
    end: date | None = None


@dataclass(frozen=True)
class Figures:
    as_of: date
    days_on_treatment: int
    days_missed: int
    current_mg_per_day: float
    mg_per_kg_per_day: float
    cumulative_mg: float
    cumulative_mg_per_kg: float
    target_low: float
    target_high: float
    progress_low_pct: float  # share of the low end of the band reached (may exceed 100)
    progress_high_pct: float
    band: str  # "below" | "within" | "above"
    date_low: date | None  # when the low end was (or, at the current dose, will be) reached
    date_high: date | None
    low_reached: bool
    high_reached: bool

    @property
    def missed_fraction(self) -> float:
        return self.days_missed / self.days_on_treatment if self.days_on_treatment else 0.0


def mg_per_kg(mg: float, weight_kg: float) -> float:
    if weight_kg <= 0:
        raise ValueError("weight must be above 0 kg")
    return mg / weight_kg


def dose_on(doses: Sequence[DoseChange], day: date) -> float:
    """The prescribed daily dose (mg) on ``day``: the latest change that started on or before it; 0 before any."""
    current = 0.0
    for change in sorted(doses, key=lambda d: d.start):
        if change.start <= day:
            current = change.mg_per_day
        else:
            break
    return current


def last_day(course: CourseInput, as_of: date) -> date:
    """The last course day counted: ``as_of`` or the end date, whichever is earlier."""
    return min(as_of, course.end) if course.end else as_of


def _days(first: date, last: date) -> Iterable[date]:
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


def daily_mg(course: CourseInput, as_of: date) -> list[tuple[date, float]]:
    """(day, mg taken) for each course day through ``as_of``; missed days are 0."""
    return [
        (day, 0.0 if day in course.missed else dose_on(course.doses, day))
        for day in _days(course.start, last_day(course, as_of))
    ]


def cumulative_series(course: CourseInput, as_of: date) -> list[tuple[date, float]]:
    """(day, cumulative mg/kg at the end of that day), for charts."""
    total, out = 0.0, []
    for day, mg in daily_mg(course, as_of):
        total += mg
        out.append((day, total / course.weight_kg))
    return out


def cumulative_mg(course: CourseInput, as_of: date) -> float:
    return sum(mg for _, mg in daily_mg(course, as_of))


def projected_date(course: CourseInput, as_of: date, target_mg_per_kg: float) -> date | None:
    """The day the cumulative dose reaches ``target_mg_per_kg``.

    The past day it was reached if it already was; otherwise the future day at the current dose (taken every day
    after ``as_of``). None when it cannot be reached: the course has ended, or no dose is prescribed.
    """
    for day, value in cumulative_series(course, as_of):
        if value >= target_mg_per_kg - 1e-9:
            return day
    end = last_day(course, as_of)
    if course.end and course.end <= as_of:
        return None
    dose = dose_on(course.doses, max(end, course.start))
    if dose <= 0:
        return None
    remaining_mg = target_mg_per_kg * course.weight_kg - cumulative_mg(course, as_of)
    start_from = max(end, course.start - timedelta(days=1))  # a course not yet started counts from its start
    return start_from + timedelta(days=math.ceil(remaining_mg / dose - 1e-9))


def figures(course: CourseInput, as_of: date, target_low: float, target_high: float) -> Figures:
    """Every derived figure of a course on ``as_of``."""
    days = daily_mg(course, as_of)
    total = sum(mg for _, mg in days)
    cumulative = total / course.weight_kg
    current = dose_on(course.doses, max(last_day(course, as_of), course.start))
    band = "below" if cumulative < target_low else ("within" if cumulative <= target_high else "above")
    return Figures(
        as_of=as_of,
        days_on_treatment=len(days),
        days_missed=sum(1 for day, _ in days if day in course.missed),
        current_mg_per_day=current,
        mg_per_kg_per_day=mg_per_kg(current, course.weight_kg),
        cumulative_mg=total,
        cumulative_mg_per_kg=cumulative,
        target_low=target_low,
        target_high=target_high,
        progress_low_pct=100 * cumulative / target_low,
        progress_high_pct=100 * cumulative / target_high,
        band=band,
        date_low=projected_date(course, as_of, target_low),
        date_high=projected_date(course, as_of, target_high),
        low_reached=cumulative >= target_low - 1e-9,
        high_reached=cumulative >= target_high - 1e-9,
    )


def projection_series(course: CourseInput, as_of: date, until: date) -> list[tuple[date, float]]:
    """Cumulative mg/kg from ``as_of`` to ``until`` if the current dose is taken every day (for the chart)."""
    end = last_day(course, as_of)
    if (course.end and course.end <= as_of) or until <= end:
        return []
    value = cumulative_mg(course, as_of) / course.weight_kg
    step = dose_on(course.doses, max(end, course.start)) / course.weight_kg
    start = max(end, course.start)
    return [(start + timedelta(days=n), value + n * step) for n in range((until - start).days + 1)]
