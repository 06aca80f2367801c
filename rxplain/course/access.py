"""Who may see which course: a patient their own, a clinician their linked patients'. Everyone else gets 404.

404 rather than 403 so that a stranger cannot even learn that a record exists. Every clinician view of a
patient's record writes an AuditLog row.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from rxplain.course.models import AuditLog, Course

CLINICIANS = "Clinicians"


def is_clinician(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_course_is_clinician", None)
    if cached is None:
        cached = user.groups.filter(name=CLINICIANS).exists()
        user._course_is_clinician = cached
    return cached


def own_course(user: AbstractBaseUser | AnonymousUser, pk: int) -> Course:
    """The patient's own course, or 404 (also for clinicians: they use the clinic pages, which are audited)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Course.objects.select_related("patient").get(pk=pk, patient=user)
    except Course.DoesNotExist:
        raise Http404 from None


def followed_courses(clinician: AbstractBaseUser) -> QuerySet[Course]:
    return Course.objects.filter(patient__care_links__clinician=clinician).select_related("patient")


def clinician_course(user: AbstractBaseUser | AnonymousUser, pk: int, what: str) -> Course:
    """A linked patient's course for a clinician, or 404; writes the audit row."""
    if not is_clinician(user):
        raise Http404
    try:
        course = followed_courses(user).get(pk=pk)
    except Course.DoesNotExist:
        raise Http404 from None
    AuditLog.objects.create(clinician=user, patient=course.patient, course=course, what=what[:80])
    return course
