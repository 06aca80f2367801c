"""The safety stop: a crisis ends the visit at once and for good; an urgent verdict shows advice and goes on."""

from __future__ import annotations

from rxplain.consult.models import ConsultSession, Message, SafetyEvent
from tests.consult.helpers import page, send, start_visit


def test_crisis_message_ends_consultation(patient):
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry?")
    send(patient, visit, "I want to kill myself")
    visit.refresh_from_db()
    assert visit.status == ConsultSession.Status.ENDED_SAFETY
    assert visit.ended_at is not None


def test_the_emergency_screen_shows_911_988_and_the_local_number(patient):
    visit = start_visit(patient)
    send(patient, visit, "I want to kill myself")
    html = page(patient, visit).content.decode()
    assert 'role="alert"' in html
    assert 'href="tel:911"' in html
    assert 'href="tel:988"' in html and 'href="sms:988"' in html
    assert "If you are outside the US, call your local emergency number." in html
    assert 'id="ask-text"' not in html  # no message box any more


def test_a_crisis_message_is_not_answered(patient, engines):
    visit = start_visit(patient)
    send(patient, visit, "I want to end my life")
    assert engines.engine.questions == []
    assert list(visit.messages.values_list("kind", flat=True)) == ["question", "safety_stop"]
    question = visit.messages.get(kind=Message.Kind.QUESTION)
    assert (question.verdict, question.category) == ("crisis", "suicide_self_harm")


def test_it_refuses_messages_after_a_crisis(patient, engines):
    visit = start_visit(patient)
    send(patient, visit, "I want to kill myself")
    before = visit.messages.count()
    response = send(patient, visit, "Why are my lips so dry?")
    assert response.status_code == 302  # back to the emergency screen
    assert visit.messages.count() == before
    assert len(engines.triage.calls) == 1


def test_it_refuses_messages_after_a_crisis_through_the_api(api):
    api.start()
    crisis = api.send("I want to kill myself").json()
    assert crisis["status"] == "ended_safety" and crisis["verdict"] == "crisis"
    assert crisis["reply"] is None
    numbers = [r["number"] for r in crisis["resources"]]
    assert "911" in numbers and "988" in numbers

    refused = api.send("Why are my lips so dry?")
    assert refused.status_code == 409
    body = refused.json()
    assert body["status"] == "ended_safety"
    assert "safety" in body["detail"] and "988" in body["detail"]
    assert Message.objects.filter(session__public_id=api.id, role="patient").count() == 1


def test_a_crisis_records_a_safety_event_without_the_message_text(patient):
    visit = start_visit(patient)
    send(patient, visit, "I want to kill myself tonight")
    event = SafetyEvent.objects.get()
    assert (event.session, event.verdict, event.category) == (visit, "crisis", "suicide_self_harm")
    assert event.created_at is not None
    assert {f.name for f in SafetyEvent._meta.get_fields()} == {"id", "session", "verdict", "category", "created_at"}


def test_htmx_crisis_replaces_the_chat_with_the_emergency_screen(patient):
    visit = start_visit(patient)
    response = send(patient, visit, "I want to kill myself", htmx=True)
    assert response["HX-Retarget"] == "#consult-panel" and response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert 'id="emergency"' in html and 'role="alert"' in html and 'href="tel:988"' in html


def test_urgent_advice_is_shown_above_the_answer_and_the_visit_goes_on(patient, engines):
    visit = start_visit(patient)
    send(patient, visit, "I have a severe headache and blurred vision")
    kinds = list(visit.messages.values_list("kind", flat=True))
    assert kinds == ["question", "urgent_advice", "answer"]
    html = page(patient, visit).content.decode()
    assert html.index("get urgent medical care today") < html.index("Dry, chapped lips")
    visit.refresh_from_db()
    assert visit.is_open
    assert SafetyEvent.objects.get().verdict == "urgent"
    assert send(patient, visit, "Why are my lips so dry?").status_code == 302
    assert visit.messages.count() == 5


def test_urgent_advice_comes_first_in_the_api_too(api):
    api.start()
    body = api.send("I have a severe headache").json()
    assert body["verdict"] == "urgent" and body["category"] == "pseudotumor_cerebri"
    assert "urgent medical care" in body["advice"]
    assert body["reply"]["citations"] and body["status"] == "open"


def test_the_triage_runs_first_with_the_earlier_messages_as_history(patient, engines):
    visit = start_visit(patient)
    send(patient, visit, "first question")
    send(patient, visit, "second question")
    assert engines.triage.calls == [
        ("first question", (), "isotretinoin"),
        ("second question", ("first question",), "isotretinoin"),
    ]


def test_when_the_triage_cannot_run_nothing_is_answered_and_help_is_shown(api, engines, monkeypatch):
    from rxplain.consult import turn

    def broken(*args, **kwargs):
        raise RuntimeError("triage down")

    monkeypatch.setattr(turn, "triage", broken)
    api.start()
    body = api.send("Why are my lips so dry?").json()
    assert body["reply"] is None and body["verdict"] is None
    assert "no answer could be made" in body["notice"]
    assert {"911", "988"} <= {r["number"] for r in body["resources"]}
    assert engines.engine.questions == []


def test_the_real_triage_stops_a_crisis_message(patient, real_engines):
    visit = start_visit(patient)
    send(patient, visit, "I don't want to live anymore, I am going to kill myself")
    visit.refresh_from_db()
    assert visit.status == ConsultSession.Status.ENDED_SAFETY
    assert SafetyEvent.objects.get(session=visit).category == "suicide_self_harm"
