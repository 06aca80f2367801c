"""Check-in answers go through the same triage as the consultation (rxplain.triage.verdict).

The answers are turned into plain sentences ("severe headache. moderate blurred vision.") plus the patient's own
notes, so a red flag written in a check-in is caught the way it would be in the chat. If the triage engine cannot
run, the check-in is still saved and marked "unscreened", which flags it for a clinician to read.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from rxplain.course.rules import CourseRules

log = logging.getLogger(__name__)

SEVERITY = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}

CRISIS_LINES = (
    ("If you are in immediate danger, call 911.", "tel:911", "Call 911"),
    ("Call or text 988 to reach the Suicide & Crisis Lifeline, any time, day or night. It is free and private.",
     "tel:988", "Call 988"),
)
OUTSIDE_US = "Outside the US, call your local emergency number."


@dataclass(frozen=True)
class Screen:
    verdict: str  # "ok" | "urgent" | "crisis" | "unscreened"
    category: str = ""
    action: str = ""


def checkin_text(side_effects: Mapping[str, int], notes: str, rules: CourseRules) -> str:
    """The check-in as sentences for the triage engine: every side effect reported, with its severity, then notes."""
    sentences = [
        f"{SEVERITY[int(side_effects[s.id])]} {s.triage}."
        for s in rules.side_effects
        if int(side_effects.get(s.id, 0) or 0) > 0
    ]
    if notes.strip():
        sentences.append(notes.strip())
    return " ".join(sentences)


def screen(text: str, medicine: str) -> Screen:
    if not text.strip():
        return Screen("ok")
    try:
        from rxplain.triage import verdict
    except ImportError:
        log.error("triage engine not importable; a check-in was saved unscreened")
        return Screen("unscreened")
    try:
        result = verdict(text, history=(), medicine=medicine)
    except Exception as exc:  # noqa: BLE001 - the check-in must still be saved; a clinician reads it instead
        # Only the exception type: its message could quote the patient's words.
        log.error("triage failed on a check-in (%s); saved unscreened", type(exc).__name__)
        return Screen("unscreened")
    verdict_name = str(getattr(result, "verdict", "") or "")
    if verdict_name not in {"ok", "urgent", "crisis"}:
        return Screen("unscreened")
    return Screen(verdict_name, str(getattr(result, "category", "") or "")[:60],
                  str(getattr(result, "action", "") or ""))
