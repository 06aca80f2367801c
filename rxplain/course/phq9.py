"""The PHQ-9 depression questionnaire: items, scoring and severity bands (plain Python).

PHQ-9 by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues; no permission is needed to
reproduce it. Bands and the item-9 rule: shared/clinical/isotretinoin-facts.md §3.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEAD_IN = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"

ITEMS: tuple[str, ...] = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or "
    "restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",
)

CHOICES: tuple[tuple[int, str], ...] = (
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
)

# (lowest total, band name), in rising order
BANDS: tuple[tuple[int, str], ...] = (
    (0, "minimal"),
    (5, "mild"),
    (10, "moderate"),
    (15, "moderately severe"),
    (20, "severe"),
)


@dataclass(frozen=True)
class Phq9Result:
    total: int
    band: str
    item9: int

    @property
    def crisis(self) -> bool:
        """Any answer above 0 on item 9 goes straight to the crisis screen, whatever the total."""
        return self.item9 > 0


def band(total: int) -> str:
    if not 0 <= total <= 27:
        raise ValueError("a PHQ-9 total is between 0 and 27")
    name = BANDS[0][1]
    for lowest, label in BANDS:
        if total >= lowest:
            name = label
    return name


def score(answers: Sequence[int]) -> Phq9Result:
    """Score nine answers, each 0 (not at all) to 3 (nearly every day)."""
    if len(answers) != len(ITEMS):
        raise ValueError(f"the PHQ-9 has {len(ITEMS)} answers")
    if any(isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= 3 for a in answers):
        raise ValueError("each PHQ-9 answer is a whole number from 0 to 3")
    total = sum(answers)
    return Phq9Result(total=total, band=band(total), item9=answers[8])
