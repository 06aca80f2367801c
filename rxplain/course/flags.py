"""Flag rules for the clinician dashboard, as plain functions over small fact records (no ORM).

Levels, most pressing first: "crisis" (PHQ-9 item 9 above 0, triage crisis), "urgent" (positive pregnancy test,
birth control not confirmed, triage urgent, a lab above an urgent threshold), "review" (everything a prescriber should look at soon).
Messages are for the clinician; none of them is a dose instruction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rxplain.course.rules import LabRule
from rxplain.course.schedule import day_text
from rxplain.course.units import threshold_exceeded

LEVELS = ("crisis", "urgent", "review")


@dataclass(frozen=True)
class Flag:
    kind: str
    level: str
    message: str
    source: str = ""
    day: date | None = None

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level)


@dataclass(frozen=True)
class CheckInFacts:
    day: date
    phq9_total: int | None = None
    phq9_item9: int | None = None
    pregnancy_result: str = ""  # "" (no test reported) | "negative" | "positive"
    triage: str = ""  # "" | "ok" | "urgent" | "crisis" | "unscreened"
    triage_category: str = ""
    contraception_confirmed: bool | None = None  # None when not asked (cannot become pregnant)


@dataclass(frozen=True)
class LabFacts:
    test: str
    day: date
    canonical: float  # in the lab's canonical unit


def checkin_overdue(due: date, today: date) -> Flag | None:
    if today > due:
        return Flag("checkin-overdue", "review", f"Monthly check-in overdue since {day_text(due)}.", day=due)
    return None


def phq9_flag(checkin: CheckInFacts, at_least: int, source: str = "") -> Flag | None:
    if checkin.phq9_item9 is not None and checkin.phq9_item9 > 0:
        return Flag("phq9-item9", "crisis", "PHQ-9 item 9 (thoughts of death or self-harm) answered above 0; "
                    "the crisis screen was shown.", source, checkin.day)
    if checkin.phq9_total is not None and checkin.phq9_total >= at_least:
        return Flag("phq9", "review", f"PHQ-9 score {checkin.phq9_total} (at or above {at_least}).", source,
                    checkin.day)
    return None


def pregnancy_flag(checkin: CheckInFacts, source: str = "") -> Flag | None:
    if checkin.pregnancy_result == "positive":
        return Flag("pregnancy", "urgent", "Positive pregnancy test reported; the patient was told to stop and "
                    "call the prescriber now.", source, checkin.day)
    return None


def contraception_flag(checkin: CheckInFacts, source: str = "") -> Flag | None:
    if checkin.contraception_confirmed is False:
        return Flag("contraception", "urgent", "The patient did not confirm using both birth-control methods since "
                    "the last check-in.", source, checkin.day)
    return None


def triage_flag(checkin: CheckInFacts) -> Flag | None:
    category = f" ({checkin.triage_category})" if checkin.triage_category else ""
    if checkin.triage == "crisis":
        return Flag("triage", "crisis", f"Check-in answers matched a crisis sign{category}.", day=checkin.day)
    if checkin.triage == "urgent":
        return Flag("triage", "urgent", f"Check-in answers matched a warning sign{category}.", day=checkin.day)
    if checkin.triage == "unscreened":
        return Flag("triage", "review", "Check-in notes could not be screened automatically; please read them.",
                    day=checkin.day)
    return None


def lab_flag(lab: LabFacts, rule: LabRule) -> Flag | None:
    threshold = threshold_exceeded(lab.canonical, rule)
    if threshold is None:
        return None
    return Flag(f"lab:{rule.id}", threshold.level,
                f"{rule.name} {lab.canonical:.0f} {rule.canonical_unit}: {threshold.label}", threshold.source, lab.day)


def missed_dose_flag(days_missed: int, days_on_treatment: int, above: float) -> Flag | None:
    if days_on_treatment and days_missed / days_on_treatment > above:
        share = 100 * days_missed / days_on_treatment
        return Flag("missed-doses", "review",
                    f"{days_missed} of {days_on_treatment} days missed ({share:.0f}%, above {above:.0%}).")
    return None


def latest_per_test(labs: Iterable[LabFacts]) -> list[LabFacts]:
    latest: dict[str, LabFacts] = {}
    for lab in labs:
        if lab.test not in latest or lab.day >= latest[lab.test].day:
            latest[lab.test] = lab
    return list(latest.values())


def sort_flags(flags: Iterable[Flag | None]) -> list[Flag]:
    """Drop empties, keep the most pressing flag of each kind, most pressing first, newest first within a level."""
    best: dict[str, Flag] = {}
    for flag in flags:
        if flag is None:
            continue
        kept = best.get(flag.kind)
        if kept is None or (flag.rank, -_ordinal(flag.day)) < (kept.rank, -_ordinal(kept.day)):
            best[flag.kind] = flag
    return sorted(best.values(), key=lambda f: (f.rank, -_ordinal(f.day)))


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day else 0


def collect(
    *,
    today: date,
    checkin_due: date,
    recent_days: int,
    checkins: Sequence[CheckInFacts],
    labs: Sequence[LabFacts],
    lab_rules: Sequence[LabRule],
    days_missed: int,
    days_on_treatment: int,
    phq9_at_least: int,
    missed_above: float,
    phq9_source: str = "",
    pregnancy_source: str = "",
) -> list[Flag]:
    """Every flag of one course on ``today``. Check-ins count when dated within ``recent_days`` of today."""
    recent = [c for c in checkins if (today - c.day).days <= recent_days]
    rules = {r.id: r for r in lab_rules}
    found: list[Flag | None] = [checkin_overdue(checkin_due, today),
                                missed_dose_flag(days_missed, days_on_treatment, missed_above)]
    for checkin in recent:
        found += [phq9_flag(checkin, phq9_at_least, phq9_source), pregnancy_flag(checkin, pregnancy_source),
                  contraception_flag(checkin, pregnancy_source), triage_flag(checkin)]
    found += [lab_flag(lab, rules[lab.test]) for lab in latest_per_test(labs) if lab.test in rules]
    return sort_flags(found)
