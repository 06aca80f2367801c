"""Limits: the message size cap (413), the rate limits (429 with Retry-After) and CSRF on browser forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from rxplain.consult.models import ConsultSession, Message
from tests.consult.helpers import send, start_visit


@pytest.fixture
def tight_limits(settings):
    settings.CONSULT_RATE_LIMITS = {"visitor": "3/60", "ip": "1000/60", "start": "2/600"}


def test_a_message_over_4000_characters_gets_413_and_is_not_stored(api):
    api.start()
    response = api.send("a" * 4001)
    assert response.status_code == 413
    assert "too long" in response.json()["detail"]
    assert not Message.objects.exists()


def test_a_message_of_4000_characters_is_accepted(api):
    api.start()
    assert api.send("a" * 4000).status_code == 201


def test_the_page_says_the_message_is_too_long_and_keeps_the_text(patient):
    visit = start_visit(patient)
    response = send(patient, visit, "b" * 4001)
    assert response.status_code == 413
    html = response.content.decode()
    assert "Your message is too long" in html
    assert "b" * 4001 in html  # still in the box, to shorten
    assert not visit.messages.exists()


def test_htmx_too_long_goes_to_the_error_region(patient):
    visit = start_visit(patient)
    response = send(patient, visit, "b" * 4001, htmx=True)
    assert response.status_code == 413
    assert response["HX-Retarget"] == "#consult-error"


def test_too_many_messages_get_429_with_retry_after(api, tight_limits):
    api.start()
    for _ in range(3):
        assert api.send("Why are my lips so dry?").status_code == 201
    response = api.send("Why are my lips so dry?")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert Message.objects.filter(role="patient").count() == 3


def test_the_browser_gets_429_too(patient, tight_limits):
    visit = start_visit(patient)
    for _ in range(3):
        send(patient, visit, "Why are my lips so dry?")
    response = send(patient, visit, "again")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert b"You are sending messages very quickly" in response.content


def test_the_rate_limit_opens_again_after_the_window(api, tight_limits, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, 5, tzinfo=dt.UTC), tick=False)
    api.start()
    for _ in range(3):
        api.send("question")
    assert api.send("question").status_code == 429
    time_machine.shift(dt.timedelta(seconds=60))
    assert api.send("question").status_code == 201


def test_one_visitor_over_the_limit_does_not_block_another(api, other_api, tight_limits):
    api.start()
    other_api.start()
    for _ in range(4):
        api.send("question")
    assert other_api.send("question").status_code == 201


def test_starting_too_many_visits_gets_429(patient, api, tight_limits):
    assert patient.post(reverse("consult:start")).status_code == 302
    assert api.start().status_code == 201
    refused = api.start()
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    page = patient.post(reverse("consult:start"))
    assert page.status_code == 429 and b"Too many consultations" in page.content
    assert ConsultSession.objects.count() == 2


def test_browser_forms_need_a_csrf_token(db):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("consult:start")).status_code == 403
    assert not ConsultSession.objects.exists()


def test_a_browser_form_with_its_token_is_accepted(db):
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("consult:start"))
    token = browser.cookies["csrftoken"].value
    response = browser.post(reverse("consult:start"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
