"""The JSON API at /api/consultations, documented at /api/docs."""

from __future__ import annotations

import datetime as dt

from rxplain.consult.models import ConsultSession


def test_starting_returns_id_token_and_expiry(api, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    response = api.start()
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "token", "expires_at"}
    assert dt.datetime.fromisoformat(body["expires_at"]) == dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC)
    visit = ConsultSession.objects.get(public_id=body["id"])
    assert body["token"] not in visit.owner_hash and len(visit.owner_hash) == 64  # only a hash is stored
    assert visit.channel == "api"


def test_a_message_returns_the_verdict_and_a_cited_reply(api):
    api.start()
    response = api.send("Why are my lips so dry?")
    assert response.status_code == 201
    body = response.json()
    assert {"message_id", "verdict", "category", "reply", "status", "resources"} <= set(body)
    assert body["verdict"] == "ok" and body["category"] is None and body["status"] == "open"
    assert body["reply"]["abstained"] is False
    assert body["reply"]["citations"] == [
        {"url": "/isotretinoin/side-effects/#dry-lips", "article": "Side effects", "section": "Dry lips"}
    ]
    assert "[Side effects › Dry lips](/isotretinoin/side-effects/#dry-lips)" in body["reply"]["answer"]


def test_the_transcript_lists_every_message_in_order(api):
    api.start()
    first = api.send("Why are my lips so dry?").json()
    api.send("I have a severe headache")
    body = api.transcript().json()
    assert body["id"] == api.id and body["status"] == "open"
    kinds = [(m["role"], m["kind"]) for m in body["messages"]]
    assert kinds == [("patient", "question"), ("assistant", "answer"),
                     ("patient", "question"), ("system", "urgent_advice"), ("assistant", "answer")]
    assert body["messages"][0]["id"] == first["message_id"]
    assert body["messages"][3]["verdict"] == "urgent"


def test_a_missing_text_gets_422(api):
    api.start()
    response = api.client.post(f"/api/consultations/{api.id}/messages", "{}", content_type="application/json",
                               headers=api.headers())
    assert response.status_code == 422


def test_an_unknown_visit_gets_404(api):
    api.start()
    assert api.send("hi", visit_id="00000000-0000-4000-8000-000000000000").status_code == 404


def test_the_openapi_page_documents_the_consultation_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/consultations" in schema["paths"]
    assert "/api/consultations/{visit_id}/messages" in schema["paths"]
    assert "/api/consultations/{visit_id}" in schema["paths"]
    responses = schema["paths"]["/api/consultations/{visit_id}/messages"]["post"]["responses"]
    assert {"201", "404", "409", "413", "429"} <= set(responses)
    assert client.get("/api/docs").status_code == 200
