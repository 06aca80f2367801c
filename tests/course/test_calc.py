"""Dose arithmetic against hand-worked examples (rxplain/course/calc.py)."""

from datetime import date, timedelta

import pytest

from rxplain.course import calc

START = date(2025, 1, 1)
DAY_150 = date(2025, 5, 30)  # 1 Jan .. 30 May inclusive = 150 days


def course(weight=70.0, doses=((START, 40.0),), missed=(), end=None):
    return calc.CourseInput(START, weight, tuple(calc.DoseChange(d, mg) for d, mg in doses), frozenset(missed), end)


def test_day_150_is_30_may():
    assert len(calc.daily_mg(course(), DAY_150)) == 150


def test_70_kg_at_40_mg_a_day_for_150_days_is_85_7_mg_per_kg():
    # 40 mg x 150 days = 6000 mg; 6000 / 70 kg = 85.714
    f = calc.figures(course(), DAY_150, 120, 150)
    assert f.cumulative_mg == 6000
    assert round(f.cumulative_mg_per_kg, 1) == 85.7
    assert f.mg_per_kg_per_day == pytest.approx(40 / 70)
    assert round(f.progress_low_pct) == 71  # 85.7 / 120
    assert f.band == "below"


def test_missed_doses_lower_the_cumulative_dose():
    # 10 missed days: 140 x 40 = 5600 mg / 70 = 80.0 mg/kg
    missed = [START + timedelta(days=n) for n in range(10, 20)]
    f = calc.figures(course(missed=missed), DAY_150, 120, 150)
    assert f.cumulative_mg == 5600
    assert f.cumulative_mg_per_kg == pytest.approx(80.0)
    assert f.days_missed == 10
    assert f.missed_fraction == pytest.approx(10 / 150)


def test_a_dose_change_mid_course_counts_each_dose_for_its_own_days():
    # 60 kg: 30 mg for 1-30 Jan (30 days) = 900 mg, then 60 mg from 31 Jan to 31 Mar (60 days) = 3600 mg
    # 4500 mg / 60 kg = 75 mg/kg; the current dose is 60 mg = 1.0 mg/kg/day
    c = course(weight=60, doses=((START, 30), (date(2025, 1, 31), 60)))
    f = calc.figures(c, date(2025, 3, 31), 120, 150)
    assert f.days_on_treatment == 90
    assert f.cumulative_mg == 4500
    assert f.cumulative_mg_per_kg == pytest.approx(75.0)
    assert f.current_mg_per_day == 60
    assert f.mg_per_kg_per_day == pytest.approx(1.0)


def test_dose_on_uses_the_latest_change_started_on_or_before_the_day():
    doses = (calc.DoseChange(date(2025, 2, 1), 60), calc.DoseChange(START, 30))  # any order
    assert calc.dose_on(doses, date(2024, 12, 31)) == 0
    assert calc.dose_on(doses, START) == 30
    assert calc.dose_on(doses, date(2025, 1, 31)) == 30
    assert calc.dose_on(doses, date(2025, 2, 1)) == 60


def test_projected_dates_at_the_current_dose():
    # 6000 mg so far; 120 mg/kg x 70 kg = 8400 mg: 2400 mg more / 40 = 60 days -> 29 Jul 2025
    # 150 mg/kg = 10500 mg: 4500 mg more / 40 = 112.5 -> 113 days -> 20 Sep 2025
    f = calc.figures(course(), DAY_150, 120, 150)
    assert f.date_low == date(2025, 7, 29)
    assert f.date_high == date(2025, 9, 20)
    assert not f.low_reached


def test_missed_doses_move_the_projected_dates_later():
    missed = [START + timedelta(days=n) for n in range(10, 20)]  # 5600 mg: 2800 more / 40 = 70 days
    f = calc.figures(course(missed=missed), DAY_150, 120, 150)
    assert f.date_low == date(2025, 8, 8)
    assert f.date_low - calc.figures(course(), DAY_150, 120, 150).date_low == timedelta(days=10)


def test_a_dose_change_moves_the_projected_dates():
    # From day 121 (1 May) 80 mg: 120 x 40 + 30 x 80 = 7200 mg; 1200 more / 80 = 15 days -> 14 Jun
    c = course(doses=((START, 40), (date(2025, 5, 1), 80)))
    assert calc.figures(c, DAY_150, 120, 150).date_low == date(2025, 6, 14)


def test_a_reached_target_reports_the_day_it_was_reached():
    # 80 mg/day at 70 kg: 8400 mg reached after 105 days -> 15 Apr 2025
    c = course(doses=((START, 80),))
    f = calc.figures(c, date(2025, 4, 30), 120, 150)
    assert f.low_reached and f.date_low == date(2025, 4, 15)
    assert f.band == "within"


def test_above_the_band():
    c = course(doses=((START, 80),))
    f = calc.figures(c, date(2025, 6, 30), 120, 150)  # 181 days x 80 / 70 = 206.9
    assert f.band == "above" and f.high_reached


def test_an_ended_course_stops_counting_and_has_no_projection():
    c = course(end=date(2025, 3, 31))
    f = calc.figures(c, DAY_150, 120, 150)
    assert f.days_on_treatment == 90
    assert f.cumulative_mg == 3600
    assert f.date_low is None and f.date_high is None


def test_a_course_that_starts_later_projects_from_its_first_day():
    # 8400 mg / 40 = 210 days from 1 Jan: day 210 is 29 Jul
    f = calc.figures(course(), date(2024, 12, 20), 120, 150)
    assert f.days_on_treatment == 0 and f.cumulative_mg == 0
    assert f.date_low == START + timedelta(days=209)


def test_cumulative_series_ends_at_the_cumulative_dose():
    series = calc.cumulative_series(course(), DAY_150)
    assert series[0] == (START, pytest.approx(40 / 70))
    assert series[-1] == (DAY_150, pytest.approx(6000 / 70))


def test_projection_series_climbs_at_the_current_daily_dose():
    series = calc.projection_series(course(), DAY_150, DAY_150 + timedelta(days=60))
    assert series[0][1] == pytest.approx(6000 / 70)
    assert series[-1] == (date(2025, 7, 29), pytest.approx(120.0))


def test_mg_per_kg_refuses_a_weight_of_zero():
    with pytest.raises(ValueError):
        calc.mg_per_kg(40, 0)
