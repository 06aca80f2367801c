"""If answering fails, the patient's message stays saved, the page says so plainly, and the visit goes on."""

from __future__ import annotations

import logging

from rxplain.consult.models import Message
from tests.consult.helpers import page, send, start_visit


def test_a_failure_inside_answering_keeps_the_message(patient, engines):
    engines.engine.error = RuntimeError("index file missing")
    visit = start_visit(patient)
    response = send(patient, visit, "Why are my lips so dry?")
    assert response.status_code == 302
    question = visit.messages.get(role=Message.Role.PATIENT)
    assert question.text == "Why are my lips so dry?" and question.verdict == "ok"
    notice = visit.messages.get(role=Message.Role.SYSTEM)
    assert notice.kind == Message.Kind.NO_ANSWER
    assert "no answer could be made" in page(patient, visit).content.decode()


def test_the_visit_goes_on_after_a_failure(patient, engines):
    engines.engine.error = RuntimeError("index file missing")
    visit = start_visit(patient)
    send(patient, visit, "first")
    engines.engine.error = None
    send(patient, visit, "second")
    visit.refresh_from_db()
    assert visit.is_open
    assert list(visit.messages.values_list("kind", flat=True)) == ["question", "no_answer", "question", "answer"]


def test_the_api_says_no_answer_could_be_made(api, engines):
    engines.engine.error = MemoryError()
    api.start()
    response = api.send("Why are my lips so dry?")
    assert response.status_code == 201
    body = response.json()
    assert body["reply"] is None and body["status"] == "open"
    assert body["notice"].startswith("Sorry — no answer could be made just now")
    assert api.transcript().json()["messages"][0]["text"] == "Why are my lips so dry?"


def test_the_failure_is_logged_with_ids_not_text(patient, engines, caplog):
    engines.engine.error = ValueError("cannot parse 'my private question'")
    caplog.set_level(logging.INFO, logger="rxplain.consult")
    visit = start_visit(patient)
    send(patient, visit, "my private question")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = errors[0].getMessage()
    assert str(visit.public_id) in line and "ValueError" in line
    assert "private question" not in line


def test_htmx_failure_shows_the_notice_in_the_conversation(patient, engines):
    engines.engine.error = RuntimeError("boom")
    visit = start_visit(patient)
    response = send(patient, visit, "Why are my lips so dry?", htmx=True)
    assert response.status_code == 200
    assert "no answer could be made" in response.content.decode()
