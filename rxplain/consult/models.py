"""A consultation: one visit of at most 15 minutes, its messages, and the safety events staff follow up."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def visit_minutes() -> int:
    return int(getattr(settings, "CONSULT_VISIT_MINUTES", 15))


def owner_hash(kind: str, secret: str) -> str:
    """The stored form of a browser-session secret or an API token: only its SHA-256, never the secret itself.

    The secrets are 256-bit random values, so a fast hash is enough (there is nothing to brute-force).
    """
    return hashlib.sha256(f"{kind}:{secret}".encode()).hexdigest()


class ConsultSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ENDED_SAFETY = "ended_safety", "Ended for safety"
        ENDED_TIME = "ended_time", "Ended (time up)"

    class Channel(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "JSON API"

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False,
        help_text="The visit's id in URLs and the API; random, so one visit's id says nothing about another's.",
    )
    owner_hash = models.CharField(
        max_length=64, db_index=True, editable=False,
        help_text="SHA-256 of the browser-session secret or API token that started the visit; only its owner can open it.",
    )
    channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.WEB,
        help_text="Where the visit was started: the web page or the JSON API.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations",
        help_text="The signed-in patient, if any; lets them find the visit again under their past visits.",
    )
    medicine = models.CharField(
        max_length=60, default="isotretinoin",
        help_text="The medicine the visit is about; passed to the triage to pick its red flags.",
    )
    started_at = models.DateTimeField(default=timezone.now, help_text="When the visit began.")
    expires_at = models.DateTimeField(
        help_text="When the visit ends on its own: the start plus the visit length (15 minutes)."
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True,
        help_text="Open, ended for safety (a crisis message: no further message is accepted), or ended when time ran out.",
    )
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When the visit ended; empty while open.")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "consultation"

    def __str__(self) -> str:
        return f"Consultation {self.public_id} ({self.status})"

    def save(self, *args, **kwargs) -> None:
        if self.expires_at is None:
            self.expires_at = self.started_at + dt.timedelta(minutes=visit_minutes())
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def safety_stop(self) -> Message | None:
        """The emergency message that ended the visit, if it ended for safety."""
        return self.messages.filter(kind=Message.Kind.SAFETY_STOP).order_by("-id").first()

    @property
    def extra_help(self) -> list[dict]:
        """Help lines the triage gave on the emergency screen beyond 911, 988 and the local number."""
        stop = self.safety_stop
        if stop is None:
            return []
        return [r for r in stop.resources if r.get("number") and r.get("number") not in {"911", "988"}]

    def seconds_left(self, now: dt.datetime | None = None) -> int:
        if not self.is_open:
            return 0
        return max(0, int((self.expires_at - (now or timezone.now())).total_seconds()))

    def expire_if_due(self, now: dt.datetime | None = None) -> bool:
        """Close the visit if its time is up; called on every request. Returns True if it is now closed by time."""
        now = now or timezone.now()
        if self.is_open and now >= self.expires_at:
            self.end(self.Status.ENDED_TIME, at=self.expires_at)
        return self.status == self.Status.ENDED_TIME

    def end(self, status: str, at: dt.datetime | None = None) -> bool:
        """End an open visit. The update is conditional, so a visit ends once even when two requests race."""
        at = at or timezone.now()
        changed = ConsultSession.objects.filter(pk=self.pk, status=self.Status.OPEN).update(status=status, ended_at=at)
        self.refresh_from_db(fields=["status", "ended_at"])
        return bool(changed)


class Message(models.Model):
    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        ASSISTANT = "assistant", "Assistant"
        SYSTEM = "system", "System"

    class Kind(models.TextChoices):
        QUESTION = "question", "Patient's question"
        ANSWER = "answer", "Cited answer"
        URGENT_ADVICE = "urgent_advice", "Red-flag advice (urgent)"
        SAFETY_STOP = "safety_stop", "Emergency screen (crisis)"
        NO_ANSWER = "no_answer", "No answer could be made"

    session = models.ForeignKey(
        ConsultSession, on_delete=models.CASCADE, related_name="messages", help_text="The visit this message belongs to."
    )
    role = models.CharField(
        max_length=10, choices=Role.choices,
        help_text="Who wrote it: the patient, the assistant (a cited answer) or the system (safety advice, notices).",
    )
    kind = models.CharField(
        max_length=16, choices=Kind.choices,
        help_text="What the message is, so the page can show each kind in its own way.",
    )
    text = models.TextField(
        help_text="The message text. Patient text is health data: it is never written to logs and always escaped."
    )
    verdict = models.CharField(
        max_length=8, blank=True, default="",
        help_text="The triage verdict (ok, urgent or crisis) for a patient message, or the verdict a safety message answers.",
    )
    category = models.CharField(
        max_length=60, blank=True, default="",
        help_text="The triage category (e.g. suicide_self_harm, medical_emergency or a red-flag id); empty when ok.",
    )
    citations = models.JSONField(
        default=list, blank=True,
        help_text="For an answer: the article sections it cites, as a list of {url, article, section}.",
    )
    resources = models.JSONField(
        default=list, blank=True,
        help_text="For safety messages: the help lines shown, as a list of {name, number, how}.",
    )
    abstained = models.BooleanField(
        default=False, help_text="For an answer: true when no reviewed content fitted and the assistant said so."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the message was stored.")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} message {self.pk} in {self.session_id}"


class SafetyEvent(models.Model):
    """What staff follow up: the category and the time, never the message text."""

    session = models.ForeignKey(
        ConsultSession, on_delete=models.CASCADE, related_name="safety_events",
        help_text="The visit in which the triage raised the event.",
    )
    verdict = models.CharField(
        max_length=8, choices=[("crisis", "Crisis"), ("urgent", "Urgent")],
        help_text="Crisis (the visit was ended and the emergency screen shown) or urgent (red-flag advice shown).",
    )
    category = models.CharField(
        max_length=60, blank=True, default="",
        help_text="The triage category, e.g. suicide_self_harm, medical_emergency or a red-flag id.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When the triage raised it.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.verdict} ({self.category or 'uncategorised'}) at {self.created_at:%Y-%m-%d %H:%M}"
