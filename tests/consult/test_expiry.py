"""A visit lasts 15 minutes; time is moved with time-machine, never slept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rxplain.consult.models import ConsultSession
from tests.consult.helpers import page, send, start_visit

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_a_visit_lasts_15_minutes(patient, clock):
    visit = start_visit(patient)
    assert visit.started_at == START
    assert visit.expires_at == START + dt.timedelta(minutes=15)


def test_the_clock_shows_the_time_left(patient, clock):
    visit = start_visit(patient)
    clock.shift(dt.timedelta(minutes=10, seconds=30))
    html = page(patient, visit).content.decode()
    assert 'data-seconds-left="270"' in html and ">4:30<" in html
    assert 'datetime="2026-03-02T10:15:00+00:00"' in html


def test_a_message_a_second_before_the_end_is_answered(patient, clock):
    visit = start_visit(patient)
    clock.shift(dt.timedelta(minutes=14, seconds=59))
    send(patient, visit, "Why are my lips so dry?")
    assert list(visit.messages.values_list("kind", flat=True)) == ["question", "answer"]


def test_it_closes_the_visit_at_15_minutes(patient, clock):
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry?")
    clock.shift(dt.timedelta(minutes=15))
    response = send(patient, visit, "one more question")
    summary = reverse("consult:summary", kwargs={"visit_id": visit.public_id})
    assert response.status_code == 302 and response["Location"] == summary
    visit.refresh_from_db()
    assert visit.status == ConsultSession.Status.ENDED_TIME
    assert visit.ended_at == visit.expires_at
    assert visit.messages.count() == 2


def test_after_the_end_the_chat_page_shows_the_summary(patient, clock):
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry?")
    clock.shift(dt.timedelta(minutes=16))
    response = page(patient, visit)
    assert response.status_code == 302
    summary = patient.get(response["Location"]).content.decode()
    assert "Your 15 minutes are up" in summary
    assert "Why are my lips so dry?" in summary and "Side effects › Dry lips" in summary
    assert "How likely are you to recommend Rxplain to a friend or family member?" in summary


def test_htmx_after_the_end_redirects_to_the_summary(patient, clock):
    visit = start_visit(patient)
    clock.shift(dt.timedelta(minutes=15, seconds=1))
    response = send(patient, visit, "late question", htmx=True)
    assert response["HX-Redirect"] == reverse("consult:summary", kwargs={"visit_id": visit.public_id})


def test_the_api_refuses_messages_after_15_minutes(api, clock):
    api.start()
    assert api.send("Why are my lips so dry?").status_code == 201
    clock.shift(dt.timedelta(minutes=15))
    refused = api.send("one more")
    assert refused.status_code == 409
    assert refused.json()["status"] == "ended_time"
    transcript = api.transcript().json()
    assert transcript["status"] == "ended_time"
    assert len(transcript["messages"]) == 2
