"""Speed of the course figures (printed, not a test): what the dashboard computes for every linked patient.

Plain Python, no database: for N synthetic 6-month courses (two dose changes, ~10% missed days, monthly check-ins,
labs) it times calc.figures (cumulative dose, projected dates), the flag rules and the due-date schedule, and the
server-side dose chart (matplotlib, SVG). Target: figures + flags + schedule <= 2 ms per patient, so a dashboard
of 100 patients computes in well under a second.

    .venv/bin/python bench/course_figures.py [--patients N] [--charts N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rxplain.course import calc, flags, schedule  # noqa: E402
from rxplain.course.rules import load_rules  # noqa: E402

TODAY = date(2025, 6, 30)


def synthetic(rng: random.Random) -> tuple[calc.CourseInput, list[flags.CheckInFacts], list[flags.LabFacts]]:
    start = TODAY - timedelta(days=rng.randint(20, 180))
    weight = rng.uniform(45, 110)
    doses = (calc.DoseChange(start, round(weight * 0.5)), calc.DoseChange(start + timedelta(days=30), round(weight)))
    days = (TODAY - start).days
    missed = frozenset(start + timedelta(days=d) for d in range(days) if rng.random() < 0.1)
    checkins = [flags.CheckInFacts(start + timedelta(days=d), rng.randint(0, 20), rng.choice([0] * 20 + [1]))
                for d in range(30, days, 30)]
    labs = [flags.LabFacts(test, start + timedelta(days=d), rng.uniform(20, 900))
            for d in (-10, 28) for test in ("triglycerides", "alt", "ast")]
    return calc.CourseInput(start, weight, doses, missed), checkins, labs


def one_patient(rules, course, checkins, labs) -> int:
    f = calc.figures(course, TODAY, rules.target_low, rules.target_high)
    due = schedule.checkin_due(course.start, checkins[-1].day if checkins else None, rules.checkin_interval_days,
                               rules.checkin_lead_days)
    by_test: dict[str, list[date]] = {}
    for lab in labs:
        by_test.setdefault(lab.test, []).append(lab.day)
    items = schedule.lab_items(course.start, by_test, rules.lab_visits, rules.lab_tests, {}, rules.lab_lead_days)
    found = flags.collect(today=TODAY, checkin_due=due.due, recent_days=30, checkins=checkins, labs=labs,
                          lab_rules=rules.labs, days_missed=f.days_missed, days_on_treatment=f.days_on_treatment,
                          phq9_at_least=rules.phq9_flag_at_least, missed_above=rules.missed_fraction_flag_above)
    return len(found) + len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--charts", type=int, default=10, help="dose charts rendered to SVG")
    args = parser.parse_args()
    rules = load_rules(REPO / "content" / "isotretinoin")
    rng = random.Random(6)
    cases = [synthetic(rng) for _ in range(args.patients)]
    times = []
    for case in cases:
        t0 = time.perf_counter()
        one_patient(rules, *case)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"figures + flags + schedule, {args.patients} patients: total {sum(times):.0f} ms, "
          f"p50 {statistics.median(times):.2f} ms, p99 {times[int(0.99 * (len(times) - 1))]:.2f} ms, "
          f"max {times[-1]:.2f} ms per patient")

    from types import SimpleNamespace

    t0 = time.perf_counter()
    from rxplain.course import charts

    print(f"import charts (matplotlib, lazily on first use in a process): {(time.perf_counter() - t0) * 1000:.0f} ms")
    chart_times = []
    for course, _, _ in cases[: args.charts]:
        # dose_figure reads only these attributes of a records.State
        state = SimpleNamespace(input=course, today=TODAY, course=SimpleNamespace(start_date=course.start),
                                figures=calc.figures(course, TODAY, rules.target_low, rules.target_high))
        t0 = time.perf_counter()
        charts.to_svg(charts.dose_figure(state))
        chart_times.append((time.perf_counter() - t0) * 1000)
    print(f"dose chart to SVG: p50 {statistics.median(chart_times):.0f} ms over {args.charts} charts")


if __name__ == "__main__":
    main()
