"""Net Promoter Score: the share of promoters (9-10) minus the share of detractors (0-6), as a percentage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet


@dataclass(frozen=True)
class NpsSummary:
    promoters: int
    passives: int
    detractors: int

    @property
    def total(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float | None:
        """From -100 (all detractors) to +100 (all promoters); None when nobody has answered."""
        if not self.total:
            return None
        return 100 * (self.promoters - self.detractors) / self.total

    def __str__(self) -> str:
        if self.score is None:
            return "NPS: no answers yet"
        return (f"NPS {self.score:+.0f} ({self.total} answers: {self.promoters} promoters, "
                f"{self.passives} passives, {self.detractors} detractors)")


def summarise(scores: Iterable[int]) -> NpsSummary:
    promoters = passives = detractors = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"an NPS score is 0 to 10, not {score}")
        if score >= 9:
            promoters += 1
        elif score >= 7:
            passives += 1
        else:
            detractors += 1
    return NpsSummary(promoters, passives, detractors)


def summarise_queryset(responses: QuerySet) -> NpsSummary:
    counts = responses.aggregate(
        promoters=Count("pk", filter=Q(score__gte=9)),
        passives=Count("pk", filter=Q(score__gte=7, score__lte=8)),
        detractors=Count("pk", filter=Q(score__lte=6)),
    )
    return NpsSummary(counts["promoters"], counts["passives"], counts["detractors"])
