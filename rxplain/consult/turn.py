"""One consultation turn, read top to bottom: save -> triage -> (safety stop | answer) -> store.

The patient's message is committed before anything else runs, so a crash in the triage or the answer engine loses
nothing. The triage always runs first: a crisis ends the visit before any answer is looked for. An answer that fails
leaves a plain notice and the visit goes on. Logs carry ids, verdicts and categories, never message text.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import transaction

from rxplain.consult.models import ConsultSession, Message, SafetyEvent

logger = logging.getLogger("rxplain.consult")

NO_ANSWER_TEXT = (
    "Sorry — no answer could be made just now. Your message is saved and the visit goes on: "
    "please try again in a moment, or ask in other words."
)
CRISIS_TEXT = (
    "Your safety comes first. This chat has ended so you can get help from a person now. "
    "If you are in danger or it is an emergency, call 911. If you are thinking about suicide or "
    "hurting yourself, call or text 988. If you are outside the US, call your local emergency number."
)
URGENT_TEXT = "What you describe can be serious. Stop and get medical advice today: call your prescriber or urgent care."

# Always on the emergency screen, whatever the triage adds (facts: shared/clinical/isotretinoin-facts.md §3.1).
EMERGENCY_RESOURCES: tuple[dict[str, str], ...] = (
    {"name": "Emergency services", "number": "911", "how": "call"},
    {"name": "988 Suicide & Crisis Lifeline", "number": "988", "how": "call or text"},
    {"name": "Outside the US", "number": "", "how": "call your local emergency number"},
)


class VisitClosed(Exception):
    """The visit no longer accepts messages (ended for safety or time)."""

    def __init__(self, visit: ConsultSession) -> None:
        super().__init__(visit.status)
        self.visit = visit
        self.status = visit.status


@dataclass
class Turn:
    visit: ConsultSession
    question: Message
    verdict: str | None  # None only when the triage itself could not run
    category: str | None
    advice: Message | None = None  # urgent red-flag advice, or the emergency screen on a crisis
    reply: Message | None = None  # the cited answer
    notice: Message | None = None  # "no answer could be made"
    resources: list[dict[str, str]] = field(default_factory=list)

    @property
    def new_messages(self) -> list[Message]:
        return [m for m in (self.question, self.advice, self.reply, self.notice) if m is not None]


# The engines are looked up through these three functions so tests can replace them (monkeypatch) and so importing
# this module does not load any model.
def query_vector(text: str) -> Any:
    """The stock query embedding, computed once per turn and shared, when an engine still reads it.

    With both fine-tuned models shipped, the triage and the answer engine each read the message with their own,
    and the stock embedding would be computed for nothing: None then.
    """
    try:
        if _both_models_shipped():
            return None
        from rxplain.embeddings import default_embedder

        return default_embedder().embed_one(text)
    except Exception as exc:  # noqa: BLE001 - the engines embed for themselves when given None
        logger.warning("query embedding unavailable error=%s", type(exc).__name__)
        return None


@lru_cache(maxsize=1)
def _both_models_shipped() -> bool:
    """Looked up once per process: the model files ship with the package and do not come and go between turns."""
    from rxplain.answers.query_encoder import MODEL_FILE as QUERY_MODEL
    from rxplain.triage.classifier import MODEL_FILE as TRIAGE_MODEL

    return QUERY_MODEL.exists() and TRIAGE_MODEL.exists()


def triage(text: str, history: Sequence[str], medicine: str | None, vector: Any) -> Any:
    from rxplain.triage import verdict

    return verdict(text, history, medicine=medicine, query_vector=vector)


def answer_engine() -> Any:
    from rxplain.library.answer_index import get_engine

    return get_engine()


def take_turn(visit: ConsultSession, text: str) -> Turn:
    """Run one turn of the visit for the patient's text. Raises VisitClosed if the visit takes no more messages."""
    question = _save_question(visit, text)
    history = list(
        visit.messages.filter(role=Message.Role.PATIENT, id__lt=question.id).values_list("text", flat=True)
    )
    vector = query_vector(text)

    try:
        found = triage(text, history, visit.medicine, vector)
    except Exception as exc:  # noqa: BLE001 - fail safe: no answer without a triage, and the help lines shown
        _log_failure("triage", visit, question, exc)
        notice = _store(visit, Message.Role.SYSTEM, Message.Kind.NO_ANSWER, NO_ANSWER_TEXT)
        return Turn(visit, question, None, None, notice=notice, resources=list(EMERGENCY_RESOURCES))

    verdict, category = found.verdict, found.category or ""
    question.verdict, question.category = verdict, category
    question.save(update_fields=["verdict", "category"])
    logger.info("turn visit=%s message=%s verdict=%s category=%s", visit.public_id, question.id, verdict, category)
    resources = _resources(found)

    if verdict == "crisis":
        return _safety_stop(visit, question, found, resources)

    advice = None
    if verdict == "urgent":
        SafetyEvent.objects.create(session=visit, verdict="urgent", category=category)
        advice = _store(
            visit, Message.Role.SYSTEM, Message.Kind.URGENT_ADVICE, found.action or URGENT_TEXT,
            verdict=verdict, category=category, resources=resources,
        )

    # A crisis in another tab may have ended the visit while this message was being triaged: no answer after it.
    if not ConsultSession.objects.filter(pk=visit.pk, status=ConsultSession.Status.OPEN).exists():
        visit.refresh_from_db(fields=["status", "ended_at"])
        return Turn(visit, question, verdict, category, advice=advice, resources=resources)

    try:
        answer = answer_engine().answer(text, query_vector=vector)
    except Exception as exc:  # noqa: BLE001 - the message is kept and the visit goes on
        _log_failure("answer", visit, question, exc)
        notice = _store(visit, Message.Role.SYSTEM, Message.Kind.NO_ANSWER, NO_ANSWER_TEXT)
        return Turn(visit, question, verdict, category, advice=advice, notice=notice, resources=resources)

    reply = _store(
        visit, Message.Role.ASSISTANT, Message.Kind.ANSWER, answer.answer,
        citations=[_citation(c) for c in answer.citations], abstained=bool(answer.abstained),
    )
    return Turn(visit, question, verdict, category, advice=advice, reply=reply, resources=resources)


def _save_question(visit: ConsultSession, text: str) -> Message:
    # Committed in its own transaction, with the visit locked (a row lock on PostgreSQL, the write lock on SQLite)
    # so a message never slips in after the visit was ended.
    with transaction.atomic():
        locked = ConsultSession.objects.select_for_update().get(pk=visit.pk)
        locked.expire_if_due()
        if not locked.is_open:
            visit.refresh_from_db(fields=["status", "ended_at"])
            raise VisitClosed(visit)
        return Message.objects.create(session=visit, role=Message.Role.PATIENT, kind=Message.Kind.QUESTION, text=text)


def _safety_stop(visit: ConsultSession, question: Message, found: Any, resources: list[dict[str, str]]) -> Turn:
    visit.end(ConsultSession.Status.ENDED_SAFETY)
    category = found.category or ""
    SafetyEvent.objects.create(session=visit, verdict="crisis", category=category)
    advice = _store(
        visit, Message.Role.SYSTEM, Message.Kind.SAFETY_STOP, found.action or CRISIS_TEXT,
        verdict="crisis", category=category, resources=resources,
    )
    logger.warning("safety stop visit=%s message=%s category=%s", visit.public_id, question.id, category)
    return Turn(visit, question, "crisis", category, advice=advice, resources=resources)


def _store(visit: ConsultSession, role: str, kind: str, text: str, **fields: Any) -> Message:
    return Message.objects.create(session=visit, role=role, kind=kind, text=text, **fields)


def _resources(found: Any) -> list[dict[str, str]]:
    """The triage's help lines; a crisis always has 911, 988 and the local-number advice among them."""
    out: list[dict[str, str]] = []
    for r in getattr(found, "resources", ()) or ():
        item = r if isinstance(r, dict) else {"name": r.name, "number": r.number, "how": r.how}
        out.append({key: str(item.get(key, "")) for key in ("name", "number", "how")})
    if found.verdict == "crisis":
        have = {r["number"] for r in out}
        out += [r for r in EMERGENCY_RESOURCES if r["number"] not in have]
    return out


def _citation(c: Any) -> dict[str, str]:
    if isinstance(c, dict):
        return {"url": str(c.get("url", "")), "article": str(c.get("article", "")), "section": str(c.get("section", ""))}
    return {"url": c.url, "article": c.article, "section": c.section}


def _log_failure(stage: str, visit: ConsultSession, question: Message, exc: BaseException) -> None:
    # The traceback's frames (file, line, code) help debugging; the exception's message is left out because it
    # may quote the patient's text.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error(
        "%s failed visit=%s message=%s error=%s\n%s", stage, visit.public_id, question.id, type(exc).__name__, frames
    )
