"""Writes to the record, shared by the pages and the JSON API. Each runs in one transaction: all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from rxplain.course import forms, safety
from rxplain.course.models import CareLink, CheckIn, ClinicianInvite, Course, DoseChange, DoseEntry, LabResult
from rxplain.course.rules import CourseRules


@transaction.atomic
def create_course(patient: AbstractBaseUser, form: forms.CourseForm, medicine: str) -> Course:
    course = form.save(commit=False)
    course.patient, course.medicine = patient, medicine
    course.save()
    DoseChange.objects.create(course=course, start_date=course.start_date, mg_per_day=form.cleaned_data["mg_per_day"])
    return course


@transaction.atomic
def log_doses(course: Course, days: list[date], taken: bool) -> int:
    for day in days:
        DoseEntry.objects.update_or_create(course=course, day=day, defaults={"taken": taken})
    return len(days)


@dataclass(frozen=True)
class CheckInOutcome:
    checkin: CheckIn
    crisis: bool  # PHQ-9 item 9 above 0, or the triage said crisis: show the crisis screen first
    urgent: bool  # a positive pregnancy test or an urgent triage verdict
    action: str  # what the triage engine advised, if anything


def save_checkin(course: Course, form: forms.CheckInForm, rules: CourseRules) -> CheckInOutcome:
    record = form.record()
    screen = safety.screen(safety.checkin_text(record["side_effects"], record["notes"], rules), course.medicine)
    with transaction.atomic():
        checkin = CheckIn.objects.create(course=course, day=timezone.localdate(), triage_verdict=screen.verdict,
                                         triage_category=screen.category, **record)
        score = checkin.phq9
        crisis = bool(score and score.crisis) or screen.verdict == "crisis"
        urgent = checkin.pregnancy_test_result == "positive" or screen.verdict == "urgent"
        unsure = screen.verdict == "unscreened" or (form.asks_pregnancy and not checkin.contraception_confirmed)
        if crisis or urgent or unsure or (score and score.total >= rules.phq9_flag_at_least):
            from rxplain.course.tasks import alert_clinicians

            course_id, day = course.pk, checkin.day.isoformat()
            transaction.on_commit(lambda: alert_clinicians.delay(course_id, day))
    return CheckInOutcome(checkin, crisis, urgent, screen.action)


def save_lab(course: Course, form: forms.LabForm) -> LabResult:
    data = form.cleaned_data
    return LabResult.objects.create(course=course, test=data["test"], day=data["day"], value=data["value"],
                                    unit=data["unit"])


class LinkError(Exception):
    pass


@transaction.atomic
def link_clinician(patient: AbstractBaseUser, code: str) -> CareLink:
    """Use a clinician's one-time code. The same plain message for unknown, used and expired codes."""
    invite = ClinicianInvite.objects.select_for_update().filter(code=code).first()
    if invite is None or not invite.usable or invite.clinician_id == patient.pk:
        raise LinkError("That code does not work. Check it, or ask your clinician for a new one.")
    link, _ = CareLink.objects.get_or_create(patient=patient, clinician=invite.clinician)
    invite.used_by, invite.used_at = patient, timezone.now()
    invite.save(update_fields=["used_by", "used_at"])
    return link
