"""What every triage signal returns, so the lexicon and the embedding signal can be combined the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from rxplain.triage.text import Prepared

SUICIDE = "suicide_self_harm"
EMERGENCY = "medical_emergency"

# crisis: decides a crisis on its own. concern: a worrying sign that becomes a crisis only when something else
# agrees (an earlier turn, the embedding signal). urgent: a medicine's red flag. set_aside: a crisis word that the
# rules explained away (negated, a question about risks, an idiom, old history); the combiner then asks the other
# signal for stronger evidence before overruling it.
Level = Literal["crisis", "concern", "urgent", "set_aside"]


@dataclass(frozen=True)
class Finding:
    level: Level
    category: str  # SUICIDE, EMERGENCY or a red-flag id
    evidence: str  # short description of the rule or prototype; never text from the message
    score: float = 1.0


class Signal(Protocol):
    """One way of reading a message. Signals never raise on odd text and never keep or log the message."""

    name: str

    def assess(self, message: Prepared) -> list[Finding]: ...
