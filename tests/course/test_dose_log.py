"""The dose log (quick entry for today, bulk entry for a range) and dose changes move the figures."""

from datetime import date

import pytest
from django.urls import reverse

from rxplain.course.models import DoseEntry
from rxplain.course.views_common import state_of


def figures(course):
    return state_of(course).figures


def test_quick_entry_logs_today_and_a_second_entry_replaces_the_first(client, patient, course):
    client.force_login(patient)
    url = reverse("course:dose_log", args=[course.pk])
    client.post(url, {"action": "today", "taken": "no"})
    assert DoseEntry.objects.get().taken is False and DoseEntry.objects.get().day == date(2025, 5, 30)
    client.post(url, {"action": "today", "taken": "yes"})
    assert DoseEntry.objects.get().taken is True


def test_the_overview_buttons_log_today_and_come_back(client, patient, course):
    client.force_login(patient)
    response = client.post(reverse("course:dose_log", args=[course.pk]),
                           {"action": "today", "taken": "yes", "next": "detail"})
    assert response["Location"] == reverse("course:detail", args=[course.pk])


def test_bulk_entry_of_missed_days_lowers_the_total_and_moves_the_dates(client, patient, course):
    client.force_login(patient)
    before = figures(course)
    client.post(reverse("course:dose_log", args=[course.pk]),
                {"action": "range", "first": "2025-03-01", "last": "2025-03-10", "taken": "no"})
    after = figures(course)
    assert DoseEntry.objects.filter(taken=False).count() == 10
    assert before.cumulative_mg_per_kg - after.cumulative_mg_per_kg == pytest.approx(10 * 40 / 70)
    assert (after.date_low - before.date_low).days == 10


def test_a_dose_change_is_used_from_its_first_day(client, patient, course):
    client.force_login(patient)
    client.post(reverse("course:dose_change", args=[course.pk]), {"start_date": "2025-05-01", "mg_per_day": "80"})
    f = figures(course)
    assert f.current_mg_per_day == 80
    assert f.cumulative_mg == 120 * 40 + 30 * 80  # 1 Jan - 30 Apr at 40 mg, 1-30 May at 80 mg
    assert f.date_low == date(2025, 6, 14)


def test_the_overview_shows_the_figures_and_says_the_prescriber_decides(client, patient, course):
    client.force_login(patient)
    page = client.get(reverse("course:detail", args=[course.pk])).content.decode()
    assert "85.7 mg/kg" in page and "0.57 mg/kg/day" in page
    assert "29 Jul 2025" in page and "20 Sep 2025" in page
    assert "prescriber decides" in page
    assert "alt=\"Cumulative dose 85.7 mg/kg on 30 May 2025" in page


def test_the_dose_chart_is_an_svg_with_text_labels(client, patient, course):
    client.force_login(patient)
    response = client.get(reverse("course:chart_dose", args=[course.pk]))
    assert response["Content-Type"] == "image/svg+xml" and response["Cache-Control"] == "private, no-store"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "Target band 120–150 mg/kg" in svg
