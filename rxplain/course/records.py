"""From stored records to computed figures: the one place that turns ORM rows into calc/flags/schedule inputs.

Views, the API, the PDF, the dashboard and the reminder jobs all call ``State.of(course, today)``, so each figure
is computed one way everywhere. Prefetch ``PREFETCH`` when building many states (the dashboard).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from rxplain.course import calc, flags, schedule, units
from rxplain.course.models import CheckIn, Course, LabResult
from rxplain.course.rules import CourseRules, rules_for

PREFETCH = ("dose_changes", "dose_entries", "checkins", "labs")


def course_input(course: Course) -> calc.CourseInput:
    return calc.CourseInput(
        start=course.start_date,
        weight_kg=float(course.weight_kg),
        doses=tuple(calc.DoseChange(d.start_date, float(d.mg_per_day)) for d in course.dose_changes.all()),
        missed=frozenset(e.day for e in course.dose_entries.all() if not e.taken),
        end=course.end_date,
    )


def canonical(lab: LabResult, rules: CourseRules) -> float | None:
    try:
        return units.to_canonical(float(lab.value), lab.unit, rules.lab(lab.test))
    except (KeyError, units.UnitError):
        return None  # a lab the pack no longer lists: shown as entered, not flagged


def checkin_facts(checkin: CheckIn) -> flags.CheckInFacts:
    result = checkin.phq9
    return flags.CheckInFacts(
        day=checkin.day,
        phq9_total=result.total if result else None,
        phq9_item9=result.item9 if result else None,
        pregnancy_result=checkin.pregnancy_test_result,
        triage=checkin.triage_verdict,
        triage_category=checkin.triage_category,
        contraception_confirmed=checkin.contraception_confirmed if checkin.contraception_method_1 else None,
    )


@dataclass
class State:
    course: Course
    today: date
    rules: CourseRules

    @classmethod
    def of(cls, course: Course, today: date) -> State:
        return cls(course, today, rules_for(course.medicine))

    @cached_property
    def input(self) -> calc.CourseInput:
        return course_input(self.course)

    @cached_property
    def figures(self) -> calc.Figures:
        return calc.figures(self.input, self.today, self.rules.target_low, self.rules.target_high)

    @cached_property
    def checkins(self) -> list[CheckIn]:
        return sorted(self.course.checkins.all(), key=lambda c: (c.day, c.pk), reverse=True)

    @cached_property
    def labs(self) -> list[LabResult]:
        return sorted(self.course.labs.all(), key=lambda lab: (lab.day, lab.test), reverse=True)

    @cached_property
    def lab_facts(self) -> list[flags.LabFacts]:
        out = []
        for lab in self.labs:
            value = canonical(lab, self.rules)
            if value is not None:
                out.append(flags.LabFacts(lab.test, lab.day, value))
        return out

    @property
    def active(self) -> bool:
        return self.course.end_date is None or self.course.end_date >= self.today

    @property
    def last_checkin(self) -> date | None:
        return self.checkins[0].day if self.checkins else None

    @cached_property
    def last_pregnancy_test(self) -> tuple[date, str] | None:
        tests = [(c.pregnancy_test_date, c.pregnancy_test_result) for c in self.checkins
                 if c.pregnancy_test_date and c.pregnancy_test_result]
        return max(tests) if tests else None

    @cached_property
    def due(self) -> list[schedule.DueItem]:
        """Everything due for this course, soonest first (only while the course is active)."""
        if not self.active:
            return []
        r, start = self.rules, self.course.start_date
        items = [self.checkin_due]
        by_test: dict[str, list[date]] = defaultdict(list)
        for lab in self.labs:
            by_test[lab.test].append(lab.day)
        items += schedule.lab_items(start, by_test, r.lab_visits, r.lab_tests, {lab.id: lab.name for lab in r.labs},
                                    r.lab_lead_days, self.course.labs_next_due)
        if r.asks_pregnancy(self.course.can_become_pregnant):
            last = self.last_pregnancy_test
            items.append(schedule.pregnancy_test_due(start, last[0] if last else None,
                                                     r.pregnancy_test_interval_days, r.pregnancy_test_lead_days))
            negative = last[0] if last and last[1] == "negative" else None
            pickup = schedule.pickup_window(negative, r.pickup_window_days, r.pickup_lead_days, self.today)
            if pickup:
                items.append(pickup)
        return sorted(items, key=lambda i: (i.done, i.due))

    @property
    def checkin_due(self) -> schedule.DueItem:
        r = self.rules
        return schedule.checkin_due(self.course.start_date, self.last_checkin, r.checkin_interval_days,
                                    r.checkin_lead_days)

    @cached_property
    def flags(self) -> list[flags.Flag]:
        r, fig = self.rules, self.figures
        return flags.collect(
            today=self.today,
            checkin_due=self.checkin_due.due if self.active else date.max,
            recent_days=r.checkin_interval_days,
            checkins=[checkin_facts(c) for c in self.checkins],
            labs=self.lab_facts,
            lab_rules=r.labs,
            days_missed=fig.days_missed,
            days_on_treatment=fig.days_on_treatment,
            phq9_at_least=r.phq9_flag_at_least,
            missed_above=r.missed_fraction_flag_above,
            phq9_source=r.phq9_source,
            pregnancy_source=r.pregnancy_source,
        )

    def lab_rows(self) -> list[dict]:
        """Lab results for tables: as entered, in the canonical unit, and the flag with its source."""
        rows = []
        for lab in self.labs:
            try:
                rule = self.rules.lab(lab.test)
            except KeyError:
                rule = None
            value = canonical(lab, self.rules)
            threshold = units.threshold_exceeded(value, rule) if rule and value is not None else None
            rows.append({
                "lab": lab, "name": rule.name if rule else lab.test, "canonical": value,
                "canonical_unit": rule.canonical_unit if rule else lab.unit, "flag": threshold,
            })
        return rows
