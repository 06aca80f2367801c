"""Safety triage: every consultation message is read here first (plain Python, no Django).

``verdict(message, history)`` returns ok, urgent (a medicine's red flag: contact the prescriber today) or crisis
(suicide, self-harm or a medical emergency: the consultation ends and 988 and 911 are shown).
"""

from rxplain.triage.verdict import RESOURCES, Resource, Triage, Verdict, default_triage, verdict

__all__ = ["RESOURCES", "Resource", "Triage", "Verdict", "default_triage", "verdict"]
