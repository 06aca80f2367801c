"""Reminder jobs (Celery beat): check-in due, blood tests due, pregnancy test due, the pickup window; and alerts to
clinicians when a check-in raises a flag.

Idempotent: each e-mail is preceded, in the same transaction, by a ReminderSent row unique on (kind, course, due
date). A second run finds the row and sends nothing; a failed send rolls the row back, so the retry sends it.
With acks_late (set globally) a job whose worker crashed goes back to the queue instead of being lost.
E-mails carry no health details beyond what is due: mailboxes are not private places.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from rxplain.course import schedule
from rxplain.course.access import CLINICIANS
from rxplain.course.models import CareLink, Course, ReminderSent
from rxplain.course.records import PREFETCH, State

log = logging.getLogger(__name__)
RETRY = {"autoretry_for": (smtplib.SMTPException, OSError), "retry_backoff": True, "max_retries": 8,
         "acks_late": True}


def send_once(course: Course, kind: str, due_date: date, send: Callable[[], object]) -> bool:
    """Send unless a reminder of ``kind`` about ``due_date`` was already sent for ``course``; True if sent now."""
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(kind=kind[:40], course=course, due_date=due_date)
        if not created:
            return False
        send()  # an exception here rolls the row back, so a retry sends it
    return True


def _today(today_iso: str | None) -> date:
    return date.fromisoformat(today_iso) if today_iso else timezone.localdate()


@shared_task(name="course.send_due_reminders", **RETRY)
def send_due_reminders(today_iso: str | None = None) -> int:
    """Beat job: queue one reminder job per active course whose patient has an e-mail address."""
    today = _today(today_iso)
    ids = list(
        Course.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
        .exclude(patient__email="")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        remind_course.delay(pk, today.isoformat())
    return len(ids)


def _reminder_text(item: schedule.DueItem) -> tuple[str, str]:
    url = settings.SITE_URL + reverse("course:start")
    when = "today" if item.due == timezone.localdate() else f"on {item.due:%A} {item.due.day} {item.due:%B %Y}"
    lines = [f"A reminder from Rxplain: {item.label.lower()} — due {when}."]
    if item.detail:
        lines.append(item.detail)
    lines += ["", f"Sign in to see your course: {url}", "",
              "You get this e-mail because you keep a course record on Rxplain."]
    return f"Reminder: {item.label}", "\n".join(lines)


@shared_task(name="course.remind_course", **RETRY)
def remind_course(course_id: int, today_iso: str | None = None) -> int:
    """Send each reminder that is due for one course, once."""
    today = _today(today_iso)
    course = Course.objects.select_related("patient").prefetch_related(*PREFETCH).filter(pk=course_id).first()
    if course is None or not course.patient.email:
        return 0
    sent = 0
    for item in schedule.reminders(State.of(course, today).due, today):
        subject, body = _reminder_text(item)
        if send_once(course, item.key, item.due,
                     lambda s=subject, b=body: send_mail(s, b, None, [course.patient.email])):
            sent += 1
    log.info("course reminders: course=%s sent=%s", course_id, sent)  # ids and counts only
    return sent


@shared_task(name="course.alert_clinicians", **RETRY)
def alert_clinicians(course_id: int, day_iso: str) -> int:
    """Tell each linked clinician that a patient has a new flag (once per clinician, course and day)."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    day = date.fromisoformat(day_iso)
    url = settings.SITE_URL + reverse("course:dashboard")
    sent = 0
    links = CareLink.objects.filter(patient_id=course.patient_id, clinician__groups__name=CLINICIANS)
    for link in links.select_related("clinician"):
        email = link.clinician.email
        if not email:
            continue
        body = (f"A patient you follow on Rxplain has a new check-in that needs your attention.\n\n"
                f"Sign in to see it: {url}\n")
        if send_once(course, f"alert:{link.clinician_id}", day,
                     lambda e=email, b=body: send_mail("Rxplain: a patient needs your attention", b, None, [e])):
            sent += 1
    return sent
