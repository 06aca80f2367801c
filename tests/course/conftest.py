"""The named cast for course tests: patient, other_patient, clinician, other_clinician, stranger.

Time is frozen at TODAY (30 May 2025, day 150 of a course that started on 1 Jan 2025) unless a test moves it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User

from rxplain.course.access import CLINICIANS
from rxplain.course.models import CareLink, Course, DoseChange
from rxplain.course.rules import rules_for

START = dt.date(2025, 1, 1)
TODAY = dt.date(2025, 5, 30)  # day 150 of a course started on START
PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2025, 5, 30, 12, 0, tzinfo=dt.UTC), tick=False)
    return time_machine


@pytest.fixture
def rules():
    return rules_for("isotretinoin")


def make_user(username: str, *, clinician: bool = False) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD)
    if clinician:
        user.groups.add(Group.objects.get(name=CLINICIANS))
    return user


@pytest.fixture
def patient(db):
    return make_user("patient")


@pytest.fixture
def other_patient(db):
    return make_user("other_patient")


@pytest.fixture
def clinician(db):
    return make_user("clinician", clinician=True)


@pytest.fixture
def other_clinician(db):
    return make_user("other_clinician", clinician=True)


@pytest.fixture
def stranger(db):
    """Signed in, but with no course, no role and no link to anyone."""
    return make_user("stranger")


def make_course(user: User, *, weight: str = "70", mg: str = "40", start: dt.date = START,
                can_become_pregnant: bool = False) -> Course:
    course = Course.objects.create(patient=user, start_date=start, weight_kg=Decimal(weight),
                                   can_become_pregnant=can_become_pregnant, brand="Absorica")
    DoseChange.objects.create(course=course, start_date=start, mg_per_day=Decimal(mg))
    return course


@pytest.fixture
def course(patient, frozen):
    return make_course(patient)


@pytest.fixture
def other_course(other_patient, frozen):
    return make_course(other_patient)


@pytest.fixture
def linked(patient, clinician):
    return CareLink.objects.create(patient=patient, clinician=clinician)


@pytest.fixture
def no_triage(monkeypatch):
    """Check-ins screened as 'ok' without the triage engine (tests that are not about triage)."""
    from rxplain.course import safety

    monkeypatch.setattr(safety, "screen", lambda text, medicine: safety.Screen("ok"))
