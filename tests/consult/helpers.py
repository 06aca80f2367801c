"""Stand-ins for the engines and small clients for the consultation tests (shared with tests/feedback)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import reverse

from rxplain.consult import turn
from rxplain.consult.models import ConsultSession

CRISIS_WORDS = {"kill myself": "suicide_self_harm", "end my life": "suicide_self_harm", "can't breathe": "medical_emergency"}
URGENT_WORDS = {"severe headache": "pseudotumor_cerebri", "stomach pain": "pancreatitis"}


@dataclass(frozen=True)
class Resource:
    name: str
    number: str
    how: str


@dataclass(frozen=True)
class Verdict:
    verdict: str
    category: str | None = None
    evidence: tuple[str, ...] = ()
    action: str = ""
    resources: tuple[Resource, ...] = ()


@dataclass(frozen=True)
class Citation:
    url: str
    article: str
    section: str


@dataclass
class Answer:
    answer: str
    abstained: bool = False
    citations: list[Citation] = field(default_factory=list)


DRY_LIPS = Citation("/isotretinoin/side-effects/#dry-lips", "Side effects", "Dry lips")
DRY_LIPS_ANSWER = Answer(
    "Dry, chapped lips are the most common side effect. Use a lip balm often. "
    "[Side effects › Dry lips](/isotretinoin/side-effects/#dry-lips)",
    citations=[DRY_LIPS],
)


class FakeTriage:
    """Decides by a few phrases; records every call so tests can check the order and the history passed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[str, ...], str | None]] = []

    def __call__(self, text: str, history: Any, medicine: str | None, vector: Any) -> Verdict:
        self.calls.append((text, tuple(history), medicine))
        low = text.lower()
        for words, category in CRISIS_WORDS.items():
            if words in low:
                return Verdict("crisis", category, (words,), "Call 911 or 988 now.",
                               (Resource("988 Suicide & Crisis Lifeline", "988", "call or text"),))
        for words, category in URGENT_WORDS.items():
            if words in low:
                return Verdict("urgent", category, (words,),
                               "A severe headache with blurred vision can be a sign of raised pressure in the head. "
                               "Stop isotretinoin and get urgent medical care today.")
        return Verdict("ok")


class FakeEngine:
    def __init__(self) -> None:
        self.questions: list[str] = []
        self.reply: Answer = DRY_LIPS_ANSWER
        self.error: Exception | None = None

    def answer(self, question: str, query_vector: Any = None) -> Answer:
        self.questions.append(question)
        if self.error is not None:
            raise self.error
        return self.reply


@dataclass
class Engines:
    triage: FakeTriage
    engine: FakeEngine


def install_fakes(monkeypatch) -> Engines:
    fakes = Engines(FakeTriage(), FakeEngine())
    monkeypatch.setattr(turn, "triage", fakes.triage)
    monkeypatch.setattr(turn, "answer_engine", lambda: fakes.engine)
    monkeypatch.setattr(turn, "query_vector", lambda text: None)
    return fakes


def start_visit(client: Client) -> ConsultSession:
    response = client.post(reverse("consult:start"))
    assert response.status_code == 302, response
    public_id = response["Location"].rstrip("/").split("/")[-1]
    return ConsultSession.objects.get(public_id=public_id)


def send(client: Client, visit: ConsultSession, text: str, htmx: bool = False, **extra):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("consult:send", kwargs={"visit_id": visit.public_id}), {"text": text},
                       headers=headers, **extra)


def page(client: Client, visit: ConsultSession):
    return client.get(reverse("consult:visit", kwargs={"visit_id": visit.public_id}))


class Api:
    """A JSON client for /api/consultations that keeps the token it was given."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.token: str | None = None
        self.id: str | None = None

    def start(self):
        response = self.client.post("/api/consultations")
        if response.status_code == 201:
            data = response.json()
            self.token, self.id = data["token"], data["id"]
        return response

    def headers(self, token: str | None = None) -> dict[str, str]:
        token = token if token is not None else self.token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def send(self, text: str, visit_id: str | None = None, token: str | None = None, **extra):
        return self.client.post(f"/api/consultations/{visit_id or self.id}/messages", json.dumps({"text": text}),
                                content_type="application/json", headers=self.headers(token), **extra)

    def transcript(self, visit_id: str | None = None, token: str | None = None):
        return self.client.get(f"/api/consultations/{visit_id or self.id}", headers=self.headers(token))


