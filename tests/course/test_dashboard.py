"""The clinician dashboard: linked patients with flags first, each patient's timeline and charts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from rxplain.course.models import AuditLog, CareLink, CheckIn, DoseEntry, LabResult
from tests.course.conftest import make_course, make_user


def follow(clinician, *users):
    for user in users:
        CareLink.objects.create(patient=user, clinician=clinician)


def recent_checkin(course, **fields):
    return CheckIn.objects.create(course=course, day=date(2025, 5, 25), phq9_answers=fields.pop("phq9", [0] * 9),
                                  **fields)


@pytest.fixture
def cast(clinician, frozen):
    """Five linked patients, one per kind of flag, plus one with none."""
    names = ["calm", "review_lab", "urgent_pregnancy", "crisis_item9", "review_missed"]
    users = {n: make_user(n) for n in names}
    courses = {n: make_course(u, can_become_pregnant=(n == "urgent_pregnancy")) for n, u in users.items()}
    for course in courses.values():
        recent_checkin(course)
    LabResult.objects.create(course=courses["review_lab"], test="alt", day=date(2025, 5, 1), value=Decimal("61"),
                             unit="U/L")
    recent_checkin(courses["urgent_pregnancy"], pregnancy_test_date=date(2025, 5, 24),
                   pregnancy_test_result="positive", contraception_method_1="Implant",
                   contraception_method_2="Male condom", contraception_confirmed=True)
    recent_checkin(courses["crisis_item9"], phq9=[0] * 8 + [1])
    for n in range(31):  # 31 of 150 days: above 20%
        DoseEntry.objects.create(course=courses["review_missed"], day=date(2025, 2, 1) + timedelta(days=n),
                                 taken=False)
    follow(clinician, *users.values())
    return courses


def test_patients_with_the_most_pressing_flags_come_first(client, clinician, cast):
    client.force_login(clinician)
    rows = client.get(reverse("course:dashboard")).context["rows"]
    order = [r["course"].patient.username for r in rows]
    assert order[:2] == ["crisis_item9", "urgent_pregnancy"]
    assert set(order[2:4]) == {"review_lab", "review_missed"}
    assert order[4] == "calm"
    assert rows[4]["flags"] == []


def test_each_flag_rule_shows_on_the_dashboard(client, clinician, cast):
    client.force_login(clinician)
    flags = {r["course"].patient.username: {f.kind for f in r["flags"]}
             for r in client.get(reverse("course:dashboard")).context["rows"]}
    assert flags["crisis_item9"] == {"phq9-item9"}
    assert flags["urgent_pregnancy"] == {"pregnancy"}
    assert flags["review_lab"] == {"lab:alt"}
    assert flags["review_missed"] == {"missed-doses"}


def test_an_overdue_check_in_and_a_phq9_of_10_are_flagged(client, clinician, patient, frozen):
    course = make_course(patient)
    CheckIn.objects.create(course=course, day=date(2025, 4, 20), phq9_answers=[2, 2, 2, 2, 2, 0, 0, 0, 0])
    follow(clinician, patient)
    client.force_login(clinician)
    row = client.get(reverse("course:dashboard")).context["rows"][0]
    assert {f.kind for f in row["flags"]} == {"checkin-overdue"}  # the PHQ-9 of 10 is older than 30 days
    CheckIn.objects.create(course=course, day=date(2025, 5, 29), phq9_answers=[2, 2, 2, 2, 2, 0, 0, 0, 0])
    row = client.get(reverse("course:dashboard")).context["rows"][0]
    assert {f.kind for f in row["flags"]} == {"phq9"}


def test_the_patient_page_has_a_timeline_charts_with_text_alternatives_and_lab_sources(client, clinician, cast):
    course = cast["review_lab"]
    client.force_login(clinician)
    page = client.get(reverse("course:clinic_patient", args=[course.pk])).content.decode()
    assert "Timeline" in page and "Course started" in page and "ALT (liver enzyme): 61 U/L" in page
    assert reverse("course:clinic_chart_dose", args=[course.pk]) in page
    assert 'alt="Cumulative dose 85.7 mg/kg' in page
    assert "<table" in page and "NOT FOUND" in page  # the honest source of the ALT threshold
    svg = client.get(reverse("course:clinic_chart_labs", args=[course.pk])).content.decode()
    assert "ALT (liver enzyme) (U/L)" in svg


def test_the_clinician_sets_the_next_blood_test_date_and_it_is_scheduled(client, clinician, patient, course, linked):
    client.force_login(clinician)
    client.post(reverse("course:clinic_labs_due", args=[course.pk]), {"labs_next_due": "2025-06-20"})
    course.refresh_from_db()
    assert course.labs_next_due == date(2025, 6, 20)
    assert AuditLog.objects.filter(what="set next blood tests").exists()
    client.force_login(patient)
    page = client.get(reverse("course:labs", args=[course.pk])).content.decode()
    assert "Blood tests on the date your prescriber set" in page and "20 Jun 2025" in page


def test_a_clinician_removed_from_the_group_loses_access(client, clinician, course, linked):
    clinician.groups.clear()
    client.force_login(User.objects.get(pk=clinician.pk))
    assert client.get(reverse("course:clinic_patient", args=[course.pk])).status_code == 404
    assert client.get(reverse("course:dashboard")).status_code == 404
