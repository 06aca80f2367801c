"""The consultation JSON API, mounted at /api/consultations (docs at /api/docs).

POST /api/consultations returns a token once; send it as `Authorization: Bearer <token>` on every later call. Only
its hash is stored. A visit is reachable only with the token that started it: any other token gets 404.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Literal

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from rxplain.consult import limits
from rxplain.consult.access import new_secret, token_owner, visit_for_token
from rxplain.consult.models import ConsultSession, Message
from rxplain.consult.turn import EMERGENCY_RESOURCES, VisitClosed, take_turn

logger = logging.getLogger("rxplain.consult")

PREFIX = "/consultations"
router = Router(tags=["consultations"])

VisitStatus = Literal["open", "ended_safety", "ended_time"]


class VisitToken(HttpBearer):
    openapi_description = "The token returned by POST /api/consultations."

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        return token or None


class Citation(Schema):
    url: str
    article: str
    section: str


class Resource(Schema):
    name: str
    number: str
    how: str


class Error(Schema):
    detail: str


class ClosedError(Schema):
    detail: str
    status: VisitStatus
    resources: list[Resource]


class Started(Schema):
    id: uuid.UUID
    token: str
    expires_at: dt.datetime


class MessageIn(Schema):
    text: str


class Reply(Schema):
    answer: str
    abstained: bool
    citations: list[Citation]


class TurnOut(Schema):
    message_id: int
    verdict: Literal["ok", "urgent", "crisis"] | None
    category: str | None
    advice: str | None
    reply: Reply | None
    notice: str | None
    status: VisitStatus
    resources: list[Resource]
    expires_at: dt.datetime


class TranscriptMessage(Schema):
    id: int
    role: Literal["patient", "assistant", "system"]
    kind: str
    text: str
    verdict: str | None
    category: str | None
    citations: list[Citation]
    resources: list[Resource]
    abstained: bool
    created_at: dt.datetime


class Transcript(Schema):
    id: uuid.UUID
    status: VisitStatus
    started_at: dt.datetime
    expires_at: dt.datetime
    ended_at: dt.datetime | None
    messages: list[TranscriptMessage]


def _too_many(retry_after: int) -> JsonResponse:
    return JsonResponse(
        {"detail": f"Too many requests. Please wait {retry_after} seconds and try again."},
        status=429, headers={"Retry-After": str(retry_after)},
    )


def _closed(visit: ConsultSession) -> JsonResponse:
    if visit.status == ConsultSession.Status.ENDED_SAFETY:
        detail = ("This consultation was ended for your safety and takes no more messages. If you are in danger "
                  "call 911; if you are thinking about suicide or hurting yourself, call or text 988.")
        resources = list(EMERGENCY_RESOURCES)
    else:
        detail = "This consultation has ended: its 15 minutes are up. Start a new one to ask more."
        resources = []
    return JsonResponse({"detail": detail, "status": visit.status, "resources": resources}, status=409)


@router.post("", response={201: Started, 429: Error}, summary="Start a consultation", auth=None)
def start(request: HttpRequest):
    """Start a 15-minute consultation. The token in the response is shown only once."""
    retry = limits.check_start_rate(request)
    if retry:
        return _too_many(retry)
    token = new_secret()
    visit = ConsultSession.objects.create(owner_hash=token_owner(token), channel=ConsultSession.Channel.API)
    logger.info("visit started visit=%s channel=api", visit.public_id)
    return Status(201, {"id": visit.public_id, "token": token, "expires_at": visit.expires_at})


@router.post(
    "/{uuid:visit_id}/messages",
    response={201: TurnOut, 400: Error, 404: Error, 409: ClosedError, 413: Error, 429: Error},
    summary="Send a message", auth=VisitToken(),
)
def send(request: HttpRequest, visit_id: uuid.UUID, payload: MessageIn):
    """Send the patient's message: it is saved, triaged, then answered with citations.

    A crisis verdict ends the visit (status `ended_safety`) and returns the help lines; later messages get 409.
    An urgent verdict adds red-flag advice and the visit goes on. If no answer can be made, `reply` is null,
    `notice` says so, and the message stays saved.
    """
    visit = visit_for_token(request.auth, visit_id)
    if visit.expire_if_due() or not visit.is_open:
        return _closed(visit)
    text = payload.text.strip()
    if not text:
        return Status(400, {"detail": "The message is empty."})
    if len(text) > limits.max_chars():
        return Status(413, {"detail": limits.too_long_message()})
    retry = limits.check_message_rate(request, visit.owner_hash)
    if retry:
        return _too_many(retry)
    try:
        turn = take_turn(visit, text)
    except VisitClosed:
        return _closed(visit)

    reply = None
    if turn.reply is not None:
        reply = {"answer": turn.reply.text, "abstained": turn.reply.abstained, "citations": turn.reply.citations}
    return Status(201, {
        "message_id": turn.question.id,
        "verdict": turn.verdict,
        "category": turn.category or None,
        "advice": turn.advice.text if turn.advice is not None else None,
        "reply": reply,
        "notice": turn.notice.text if turn.notice is not None else None,
        "status": turn.visit.status,
        "resources": turn.resources,
        "expires_at": turn.visit.expires_at,
    })


@router.get("/{uuid:visit_id}", response={200: Transcript, 404: Error}, summary="Read the transcript",
            auth=VisitToken())
def transcript(request: HttpRequest, visit_id: uuid.UUID):
    visit = visit_for_token(request.auth, visit_id)
    visit.expire_if_due()
    return Status(200, {
        "id": visit.public_id,
        "status": visit.status,
        "started_at": visit.started_at,
        "expires_at": visit.expires_at,
        "ended_at": visit.ended_at,
        "messages": [_message(m) for m in visit.messages.all()],
    })


def _message(m: Message) -> dict:
    return {
        "id": m.id, "role": m.role, "kind": m.kind, "text": m.text, "verdict": m.verdict or None,
        "category": m.category or None, "citations": m.citations, "resources": m.resources,
        "abstained": m.abstained, "created_at": m.created_at,
    }
