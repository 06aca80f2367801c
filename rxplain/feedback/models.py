"""What patients tell us: the NPS survey after a visit, "Was this helpful?" on articles, and contact tickets."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

REPLY_DAYS = 7  # we promise a reply within 5-7 days; past 7 an open ticket is overdue
TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, so a number read over the phone is unambiguous


def new_ticket_number() -> str:
    return "RX-" + "".join(secrets.choice(TICKET_ALPHABET) for _ in range(6))


class NpsResponse(models.Model):
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Answer to 'How likely are you to recommend Rxplain to a friend or family member?', 0 to 10.",
    )
    comment = models.TextField(
        blank=True, max_length=2000, help_text="The optional comment that came with the score (patient text)."
    )
    visit = models.OneToOneField(
        "consult.ConsultSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="nps_response",
        help_text="The consultation the survey followed, if any; one answer per visit.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the answer was given.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "NPS response"
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=10), name="nps_score_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.score}/10 on {self.created_at:%Y-%m-%d}"

    @property
    def group(self) -> str:
        if self.score >= 9:
            return "promoter"
        if self.score >= 7:
            return "passive"
        return "detractor"


class ArticleVote(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The article voted on; kept as empty if the page is later deleted (its address remains).",
    )
    page_url = models.CharField(max_length=500, help_text="The article's address when the vote was given.")
    page_title = models.CharField(max_length=255, blank=True, help_text="The article's title when the vote was given.")
    helpful = models.BooleanField(help_text="The answer to 'Was this helpful?': yes or no.")
    comment = models.TextField(
        blank=True, max_length=2000, help_text="What the reader added about the article, if anything (patient text)."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the vote was given.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "article vote"

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.page_title or self.page_url}"


class ContactTicket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    number = models.CharField(
        max_length=12, unique=True, default=new_ticket_number, editable=False,
        help_text="The ticket number given to the sender (RX- and six letters or digits) to quote in replies.",
    )
    name = models.CharField(max_length=120, help_text="The sender's name, as they gave it.")
    email = models.EmailField(help_text="Where to send the reply.")
    message = models.TextField(max_length=5000, help_text="What the sender wrote (may contain health information).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the ticket was opened.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True,
        help_text="Open until someone replies; answered when replied to; closed when nothing more is needed.",
    )
    answered_at = models.DateTimeField(null=True, blank=True, help_text="When the reply was sent.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "contact ticket"

    def __str__(self) -> str:
        return self.number

    @property
    def reply_due(self) -> dt.datetime:
        return self.created_at + dt.timedelta(days=REPLY_DAYS)

    @property
    def is_overdue(self) -> bool:
        """An open ticket with no reply 7 days after it was sent."""
        return self.status == self.Status.OPEN and timezone.now() > self.reply_due
