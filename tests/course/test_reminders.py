"""Reminders: what is due when, sent once by e-mail from Celery jobs, with time under control (no sleeping).

The last tests send the real job through the real Redis at 127.0.0.1:6379 (skipped when it is not reachable,
required when CI=true).
"""

from __future__ import annotations

import datetime as dt
import smtplib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail

from rxplain.course import schedule, tasks
from rxplain.course.models import CareLink, CheckIn, Course, LabResult, ReminderSent
from rxplain.course.rules import LabVisit
from tests.course.conftest import make_course

START = date(2025, 1, 1)


def at(time_machine, day: date) -> None:
    time_machine.move_to(dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC), tick=False)


def subjects() -> list[str]:
    return sorted(m.subject for m in mail.outbox)


# --- what is due (plain functions) ---------------------------------------------------------------------------------

def test_the_first_check_in_is_due_30_days_after_the_start_and_reminded_3_days_before():
    item = schedule.checkin_due(START, None, 30, 3)
    assert item.due == date(2025, 1, 31) and item.remind_from == date(2025, 1, 28)
    assert item.status(date(2025, 1, 27)) == "upcoming"
    assert item.status(date(2025, 1, 28)) == "due soon"
    assert item.status(date(2025, 2, 1)) == "overdue"


def test_the_next_check_in_is_due_30_days_after_the_last_one():
    assert schedule.checkin_due(START, date(2025, 5, 1), 30, 3).due == date(2025, 5, 31)


def test_a_lab_visit_is_done_when_every_test_has_a_result_in_its_window():
    visits = [LabVisit("baseline", "Baseline", 0, -60, 7), LabVisit("week-4", "Week 4", 28, 21, 42)]
    results = {"tg": [date(2024, 12, 20), date(2025, 1, 27)], "alt": [date(2024, 12, 20)]}
    baseline, week4 = schedule.lab_items(START, results, visits, ["tg", "alt"], {"alt": "ALT"}, 7)
    assert baseline.done
    assert not week4.done and week4.detail == "Still needed: ALT."
    assert week4.due == date(2025, 1, 29) and week4.remind_from == date(2025, 1, 22)


def test_the_prescribers_date_for_the_next_labs_is_scheduled_too():
    items = schedule.lab_items(START, {}, [], ["tg"], {}, 7, prescriber_date=date(2025, 4, 15))
    assert [(i.key, i.due, i.done) for i in items] == [("labs:prescriber", date(2025, 4, 15), False)]
    items = schedule.lab_items(START, {"tg": [date(2025, 4, 10)]}, [], ["tg"], {}, 7, date(2025, 4, 15))
    assert items[0].done


def test_the_pickup_window_is_7_days_from_a_negative_pregnancy_test_and_closes():
    item = schedule.pickup_window(date(2025, 5, 26), 7, 2, date(2025, 5, 27))
    assert item.due == date(2025, 6, 2) and item.remind_from == date(2025, 5, 31)
    assert schedule.pickup_window(date(2025, 5, 26), 7, 2, date(2025, 6, 3)) is None
    assert schedule.pickup_window(None, 7, 2, date(2025, 5, 27)) is None


def test_no_reminder_for_what_is_done_not_yet_due_or_more_than_a_week_overdue():
    due = date(2025, 5, 31)
    item = schedule.DueItem("checkin", "checkin", "Check-in", due, due - timedelta(days=3))
    assert schedule.reminders([item], date(2025, 5, 27)) == []
    assert schedule.reminders([item], date(2025, 5, 28)) == [item]
    assert schedule.reminders([item], date(2025, 6, 7)) == [item]
    assert schedule.reminders([item], date(2025, 6, 8)) == []
    done = schedule.DueItem("checkin", "checkin", "Check-in", due, due - timedelta(days=3), done=True)
    assert schedule.reminders([done], date(2025, 5, 30)) == []


# --- the jobs (eager, as in the embedded default) ----------------------------------------------------------------

@pytest.fixture
def course_in_may(patient, time_machine):
    """Day 150; a check-in on 1 May (next due 31 May); all scheduled labs done."""
    at(time_machine, date(2025, 5, 1))
    course = make_course(patient)
    CheckIn.objects.create(course=course, day=date(2025, 5, 1), phq9_answers=[0] * 9)
    for day in (date(2024, 12, 20), date(2025, 1, 28)):
        for test in ("triglycerides", "total-cholesterol", "ldl-cholesterol", "alt", "ast"):
            LabResult.objects.create(course=course, test=test, day=day, value=Decimal("30"), unit="mg/dL")
    return course


def test_a_check_in_reminder_goes_out_3_days_before_it_is_due(course_in_may, time_machine):
    at(time_machine, date(2025, 5, 27))
    tasks.send_due_reminders()
    assert mail.outbox == []
    at(time_machine, date(2025, 5, 28))
    tasks.send_due_reminders()
    assert subjects() == ["Reminder: Monthly check-in"]
    assert mail.outbox[0].to == ["patient@example.com"]
    assert "Saturday 31 May 2025" in mail.outbox[0].body


def test_a_job_that_runs_twice_sends_once(course_in_may, time_machine):
    at(time_machine, date(2025, 5, 28))
    tasks.send_due_reminders()
    tasks.send_due_reminders()
    at(time_machine, date(2025, 5, 30))
    tasks.remind_course(course_in_may.pk)
    assert subjects() == ["Reminder: Monthly check-in"]
    assert ReminderSent.objects.filter(kind="checkin", due_date=date(2025, 5, 31)).count() == 1


def test_the_next_months_check_in_is_reminded_again(course_in_may, time_machine):
    at(time_machine, date(2025, 5, 28))
    tasks.send_due_reminders()
    CheckIn.objects.create(course=course_in_may, day=date(2025, 5, 31), phq9_answers=[0] * 9)
    at(time_machine, date(2025, 6, 27))
    tasks.send_due_reminders()
    assert subjects() == ["Reminder: Monthly check-in"] * 2


def test_a_failed_send_is_not_recorded_so_the_retry_sends_it(course_in_may, time_machine, monkeypatch):
    at(time_machine, date(2025, 5, 28))
    real_send = tasks.send_mail

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.remind_course.run(course_in_may.pk)  # .run: the body itself, without Celery's eager retry loop
    assert not ReminderSent.objects.exists()
    monkeypatch.setattr(tasks, "send_mail", real_send)
    tasks.remind_course.run(course_in_may.pk)
    assert subjects() == ["Reminder: Monthly check-in"]


def test_jobs_are_acknowledged_late_and_retried_on_mail_errors():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    for task in (tasks.send_due_reminders, tasks.remind_course, tasks.alert_clinicians):
        assert task.acks_late
        assert smtplib.SMTPException in task.autoretry_for


def test_lab_reminders_follow_the_schedule(patient, time_machine):
    at(time_machine, date(2025, 1, 1))
    course = make_course(patient)
    for test in ("triglycerides", "total-cholesterol", "ldl-cholesterol", "alt", "ast"):
        LabResult.objects.create(course=course, test=test, day=date(2024, 12, 15), value=Decimal("30"), unit="mg/dL")
    at(time_machine, date(2025, 1, 21))
    tasks.send_due_reminders()
    assert mail.outbox == []
    at(time_machine, date(2025, 1, 22))  # week 4 is day 28 (29 Jan), reminded 7 days before
    tasks.send_due_reminders()
    assert subjects() == ["Reminder: Blood tests around week 4 (or at the highest dose)"]


def test_pregnancy_test_and_pickup_window_reminders_only_for_patients_who_can_become_pregnant(
        patient, other_patient, time_machine):
    at(time_machine, date(2025, 5, 1))
    for user, can in ((patient, True), (other_patient, False)):
        course = make_course(user, can_become_pregnant=can)
        CheckIn.objects.create(course=course, day=date(2025, 5, 1), pregnancy_test_date=date(2025, 5, 1),
                               pregnancy_test_result="negative" if can else "", phq9_answers=[0] * 9)
    at(time_machine, date(2025, 5, 6))  # the pickup window closes on 8 May; reminded 2 days before
    tasks.send_due_reminders()
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        ("patient@example.com", "Reminder: Pick up your medicine within 7 days of your pregnancy test")]
    at(time_machine, date(2025, 5, 28))  # next test due 31 May, reminded 3 days before
    tasks.send_due_reminders()
    sent = sorted((m.to[0], m.subject) for m in mail.outbox[1:])
    assert sent == [("other_patient@example.com", "Reminder: Monthly check-in"),
                    ("patient@example.com", "Reminder: Monthly check-in"),
                    ("patient@example.com", "Reminder: Monthly pregnancy test")]


def test_no_reminders_for_ended_courses_or_patients_without_e_mail(course_in_may, other_patient, time_machine):
    Course.objects.filter(pk=course_in_may.pk).update(end_date=date(2025, 5, 20))
    make_course(other_patient)
    other_patient.email = ""
    other_patient.save()
    at(time_machine, date(2025, 5, 28))
    assert tasks.send_due_reminders() == 0
    assert mail.outbox == []


def test_reminder_e_mails_carry_no_health_details(course_in_may, time_machine):
    at(time_machine, date(2025, 5, 28))
    tasks.send_due_reminders()
    text = (mail.outbox[0].subject + mail.outbox[0].body).lower()
    for word in ("isotretinoin", "phq", "mg", "pregnan", "mood"):
        assert word not in text


def test_a_crisis_answer_alerts_each_linked_clinician_once(client, patient, clinician, other_clinician, frozen,
                                                          django_capture_on_commit_callbacks, no_triage):
    course = make_course(patient)
    CareLink.objects.create(patient=patient, clinician=clinician)
    client.force_login(patient)
    answers = {f"phq9_{n}": "0" for n in range(1, 9)} | {"phq9_9": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/course/{course.pk}/check-in/", answers)
        client.post(f"/course/{course.pk}/check-in/", answers)  # same day: no second alert
    assert [m.to for m in mail.outbox] == [["clinician@example.com"]]
    assert "needs your attention" in mail.outbox[0].body and "phq" not in mail.outbox[0].body.lower()


# --- through the real Redis ----------------------------------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_app():
    """A Celery app on the real Redis (broker and results), on a queue of its own; the project's app afterwards."""
    import uuid

    from celery import Celery

    from rxplain.celery import app as project_app
    from tests.conftest import require_or_skip

    require_or_skip(redis_reachable(), f"Redis is not reachable at {REDIS_URL}")
    queue = f"course-test-{uuid.uuid4().hex[:8]}"
    # No Django fixup: it closes database connections when a worker starts, and this in-thread worker shares the
    # test's connection (on PostgreSQL that would close the test's own transaction).
    app = Celery("course-redis-test", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False, fixups=[])
    app.conf.update(task_default_queue=queue, task_acks_late=True, task_reject_on_worker_lost=True,
                    broker_connection_retry_on_startup=False, worker_hijack_root_logger=False,
                    result_expires=60, broker_transport_options={"visibility_timeout": 3600})
    try:
        yield app
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        app.close()
        project_app.set_current()
        project_app.set_default()


@pytest.fixture
def shared_connection():
    """The worker thread uses the test's database connection, so it sees the test's rows (as LiveServerTestCase)."""
    from celery.signals import task_prerun
    from django.db import connections

    main = connections["default"]
    main.inc_thread_sharing()

    def use_main(**kwargs):
        connections["default"] = main

    task_prerun.connect(use_main, weak=False)
    try:
        yield
    finally:
        task_prerun.disconnect(use_main)
        main.dec_thread_sharing()


@pytest.mark.redis
def test_through_redis_a_job_sent_twice_sends_one_e_mail(redis_app, shared_connection, course_in_may):
    from celery.contrib.testing.worker import start_worker

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        first = redis_app.send_task("course.remind_course", args=[course_in_may.pk, "2025-05-28"])
        second = redis_app.send_task("course.remind_course", args=[course_in_may.pk, "2025-05-28"])
        assert first.get(timeout=30) == 1
        assert second.get(timeout=30) == 0
    assert subjects() == ["Reminder: Monthly check-in"]


@pytest.mark.redis
def test_through_redis_a_job_taken_by_a_worker_that_dies_is_not_lost(redis_app, shared_connection, course_in_may):
    from celery.contrib.testing.worker import start_worker

    result = redis_app.send_task("course.remind_course", args=[course_in_may.pk, "2025-05-28"])
    # A worker takes the job and dies before acknowledging it (acks_late): the broker must hand it out again.
    with redis_app.connection_for_read() as conn:
        dying = conn.SimpleQueue(redis_app.conf.task_default_queue)
        message = dying.get(timeout=10)
        assert message.headers["task"] == "course.remind_course"
        dying.close()  # closed without ack
    assert mail.outbox == []
    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert result.get(timeout=30) == 1
    assert subjects() == ["Reminder: Monthly check-in"]
