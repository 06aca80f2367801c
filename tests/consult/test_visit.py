"""A whole visit in the browser: start without an account, ask, get cited answers, see the summary."""

from __future__ import annotations

import logging

from django.urls import reverse

from rxplain.consult.models import ConsultSession, Message
from tests.consult.helpers import Answer, Citation, page, send, start_visit


def test_start_page_offers_a_consultation_without_an_account(patient):
    response = patient.get(reverse("consult:start"))
    assert response.status_code == 200
    assert b"Start a consultation" in response.content
    assert b"15 minutes" in response.content


def test_starting_a_consultation_opens_the_chat_page(patient, time_machine):
    time_machine.move_to("2026-03-02 10:00Z", tick=False)
    visit = start_visit(patient)
    response = page(patient, visit)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="clock"' in html and 'data-seconds-left="900"' in html
    assert 'role="log"' in html and 'aria-live="polite"' in html
    assert '<label for="ask-text">' in html
    assert "csrfmiddlewaretoken" in html
    assert visit.status == ConsultSession.Status.OPEN
    assert visit.user is None


def test_a_whole_visit_gives_cited_answers(patient, engines):
    visit = start_visit(patient)
    first = send(patient, visit, "Why are my lips so dry?")
    assert first.status_code == 302 and "#m" in first["Location"]
    send(patient, visit, "What helps?")

    html = page(patient, visit).content.decode()
    assert "Why are my lips so dry?" in html and "What helps?" in html
    assert 'href="/isotretinoin/side-effects/#dry-lips"' in html  # the citation links to the article section
    assert "Side effects › Dry lips" in html
    kinds = list(visit.messages.values_list("role", "kind"))
    assert kinds == [("patient", "question"), ("assistant", "answer")] * 2
    answer = visit.messages.filter(kind=Message.Kind.ANSWER).first()
    assert answer.citations == [{"url": "/isotretinoin/side-effects/#dry-lips", "article": "Side effects",
                                 "section": "Dry lips"}]
    assert engines.engine.questions == ["Why are my lips so dry?", "What helps?"]


def test_htmx_message_returns_only_the_new_messages(patient):
    visit = start_visit(patient)
    response = send(patient, visit, "Why are my lips so dry?", htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('class="msg ') == 2  # the question and its answer, to append to the log
    assert "Side effects › Dry lips" in html


def test_patient_text_is_always_escaped(patient):
    visit = start_visit(patient)
    send(patient, visit, '<script>alert("x")</script> <b>bold</b>')
    html = page(patient, visit).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert" in html
    fragment = send(patient, visit, "<img src=x onerror=alert(1)>", htmx=True).content.decode()
    assert "<img" not in fragment


def test_answer_markdown_is_sanitised(patient, engines):
    engines.engine.reply = Answer(
        'Use **lip balm**. <script>steal()</script> [Bad](javascript:alert(1)) '
        '[Side effects › Dry lips](/isotretinoin/side-effects/#dry-lips)',
        citations=[Citation("javascript:alert(1)", "Evil", "Link")],
    )
    visit = start_visit(patient)
    send(patient, visit, "What helps dry lips?")
    html = page(patient, visit).content.decode()
    assert "<strong>lip balm</strong>" in html
    assert "<script>steal" not in html and "javascript:" not in html
    assert 'href="/isotretinoin/side-effects/#dry-lips"' in html


def test_an_empty_message_is_refused_and_nothing_is_stored(patient):
    visit = start_visit(patient)
    response = send(patient, visit, "   ")
    assert response.status_code == 400
    assert b"Please write your question first." in response.content
    assert not visit.messages.exists()


def test_summary_lists_the_questions_and_the_cited_answers(patient):
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry?")
    response = patient.get(reverse("consult:summary", kwargs={"visit_id": visit.public_id}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Question 1" in html and "Why are my lips so dry?" in html
    assert "Dry, chapped lips are the most common side effect." in html
    assert 'data-print-url="http' in html  # printed copies show the full address of each source
    assert "css/consult.css" in html and "Download PDF" in html


def test_summary_downloads_as_pdf(patient):
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry? — “quotes” ✓")
    response = patient.get(reverse("consult:summary_pdf", kwargs={"visit_id": visit.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="rxplain-consultation-')
    assert response.content.startswith(b"%PDF")


def test_a_signed_in_patient_sees_their_past_visits(patient, django_user_model):
    user = django_user_model.objects.create_user("patient", password="pw-patient-123")
    patient.force_login(user)
    visit = start_visit(patient)
    assert visit.user == user
    response = patient.get(reverse("consult:start"))
    assert b"Your past visits" in response.content
    assert reverse("consult:summary", kwargs={"visit_id": visit.public_id}).encode() in response.content
    assert b"Continue your consultation" in response.content


def test_no_message_text_reaches_the_logs(patient, engines, caplog):
    engines.engine.error = RuntimeError("could not answer 'my secret rash question'")
    caplog.set_level(logging.DEBUG)
    visit = start_visit(patient)
    send(patient, visit, "my secret rash question")
    send(patient, visit, "I want to end my life")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert str(visit.public_id) in logged
    assert "secret rash" not in logged and "end my life" not in logged


def test_a_whole_visit_through_the_real_engines(patient, real_engines):
    """The real triage and answer engine over the content pack the session loaded (needs both engines)."""
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry on isotretinoin?")
    answer = visit.messages.get(kind__in=[Message.Kind.ANSWER, Message.Kind.NO_ANSWER], role__in=["assistant", "system"])
    assert answer.kind == Message.Kind.ANSWER
    assert not answer.abstained
    assert answer.citations and all(c["url"].startswith("/isotretinoin/") for c in answer.citations)
    html = page(patient, visit).content.decode()
    assert f'href="{answer.citations[0]["url"]}"' in html
