"""A visit is reachable only by the browser session or API token that started it; everyone else gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rxplain.consult.models import Message
from tests.consult.helpers import send, start_visit

PAGES = ["consult:visit", "consult:summary", "consult:summary_pdf"]


@pytest.mark.parametrize("name", PAGES)
def test_a_stranger_gets_404_for_someone_elses_visit(patient, stranger, name):
    visit = start_visit(patient)
    start_visit(stranger)  # the stranger has a visit of their own: that is not enough
    response = stranger.get(reverse(name, kwargs={"visit_id": visit.public_id}))
    assert response.status_code == 404


def test_a_stranger_cannot_post_into_someone_elses_visit(patient, stranger):
    visit = start_visit(patient)
    assert send(stranger, visit, "hello").status_code == 404
    assert not Message.objects.exists()


def test_another_token_gets_404(api, other_api):
    api.start()
    other_api.start()
    assert api.send("Why are my lips so dry?").status_code == 201
    assert other_api.send("hello", visit_id=api.id).status_code == 404
    assert other_api.transcript(visit_id=api.id).status_code == 404
    assert api.transcript(token="made-up-token").status_code == 404


def test_no_token_gets_401(api):
    api.start()
    response = api.transcript(token="")
    assert response.status_code == 401


def test_an_api_visit_is_not_reachable_from_a_browser(api, stranger):
    api.start()
    assert stranger.get(reverse("consult:visit", kwargs={"visit_id": api.id})).status_code == 404


def test_a_browser_visit_is_not_reachable_through_the_api(patient, api):
    visit = start_visit(patient)
    api.start()
    assert api.transcript(visit_id=str(visit.public_id)).status_code == 404


def test_a_signed_in_patient_reopens_their_visit_from_another_browser(patient, stranger, django_user_model, client):
    user = django_user_model.objects.create_user("patient", password="pw-patient-123")
    patient.force_login(user)
    visit = start_visit(patient)
    client.force_login(user)  # the same person on another device
    assert client.get(reverse("consult:summary", kwargs={"visit_id": visit.public_id})).status_code == 200
    other = django_user_model.objects.create_user("other_patient", password="pw-other-123")
    stranger.force_login(other)
    assert stranger.get(reverse("consult:summary", kwargs={"visit_id": visit.public_id})).status_code == 404


def test_the_visit_survives_signing_in(patient, django_user_model):
    visit = start_visit(patient)
    user = django_user_model.objects.create_user("patient", password="pw-patient-123")
    assert patient.login(username="patient", password="pw-patient-123")
    assert patient.get(reverse("consult:visit", kwargs={"visit_id": visit.public_id})).status_code == 200
    assert user.pk
