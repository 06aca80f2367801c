"""A patient's treatment course and the records it is made of.

Only the record is stored: dose changes, the daily dose log, check-ins and lab results. Every figure (mg/kg/day,
cumulative dose, projected dates, due dates, flags) is computed from it by calc.py, schedule.py and flags.py.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from rxplain.course import phq9

User = settings.AUTH_USER_MODEL
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
INVITE_DAYS = 14


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(8))


class ClinicianInvite(models.Model):
    clinician = models.ForeignKey(User, on_delete=models.CASCADE, related_name="course_invites",
                                  help_text="The clinician who created the code and will follow the patient.")
    code = models.CharField(max_length=16, unique=True, default=new_invite_code,
                            help_text="The one-time code the clinician gives the patient to link their course.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the code was created.")
    expires_at = models.DateTimeField(help_text="After this moment the code no longer links.")
    used_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                help_text="The patient who used the code (a code links one patient).")
    used_at = models.DateTimeField(null=True, blank=True, help_text="When the patient used the code.")

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + timedelta(days=INVITE_DAYS)
        super().save(*args, **kwargs)

    @property
    def usable(self) -> bool:
        return self.used_by_id is None and self.expires_at > timezone.now()


class CareLink(models.Model):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="care_links",
                                help_text="The patient whose course records the clinician may see.")
    clinician = models.ForeignKey(User, on_delete=models.CASCADE, related_name="patient_links",
                                  help_text="A member of the Clinicians group who follows the patient.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the patient linked the clinician.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "clinician"], name="course_carelink_unique")]


class Course(models.Model):
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="courses",
                                help_text="The patient who keeps this record; only they and linked clinicians see it.")
    medicine = models.SlugField(max_length=60, default="isotretinoin",
                                help_text="Slug of the content pack whose course.yaml holds the rules for this course.")
    start_date = models.DateField(help_text="The day of the first dose.")
    end_date = models.DateField(null=True, blank=True,
                                help_text="The last day of treatment, once the course has ended (blank while it runs).")
    weight_kg = models.DecimalField(max_digits=4, decimal_places=1,
                                    help_text="Body weight in kilograms, used for mg/kg figures.")
    brand = models.CharField(max_length=80, blank=True,
                             help_text="The brand or generic product taken (brands are not interchangeable).")
    can_become_pregnant = models.BooleanField(
        help_text="Whether the patient can become pregnant: adds birth control and pregnancy-test questions.")
    labs_next_due = models.DateField(null=True, blank=True,
                                     help_text="The date the prescriber set for the next blood tests, if any.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"Course {self.pk}"  # no health data in reprs: they end up in logs and error reports


class DoseChange(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="dose_changes",
                               help_text="The course this prescribed dose belongs to.")
    start_date = models.DateField(help_text="The first day of this daily dose.")
    mg_per_day = models.DecimalField(max_digits=5, decimal_places=1,
                                     help_text="The prescribed total daily dose in mg, from the start date on.")
    note = models.CharField(max_length=200, blank=True, help_text="Optional note, e.g. who changed the dose.")

    class Meta:
        ordering = ["start_date"]
        constraints = [models.UniqueConstraint(fields=["course", "start_date"], name="course_dosechange_unique")]


class DoseEntry(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="dose_entries",
                               help_text="The course this daily log entry belongs to.")
    day = models.DateField(help_text="The day the dose was due.")
    taken = models.BooleanField(help_text="True when the day's dose was taken, False when it was missed.")

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["course", "day"], name="course_doseentry_unique")]


class CheckIn(models.Model):
    PREGNANCY_RESULTS = [("", "Not reported"), ("negative", "Negative"), ("positive", "Positive")]

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="checkins",
                               help_text="The course this monthly check-in belongs to.")
    day = models.DateField(help_text="The day of the check-in.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the check-in was saved.")
    side_effects = models.JSONField(default=dict, blank=True,
                                    help_text="Side-effect id (from the pack) -> severity 0 none, 1 mild, 2 moderate, 3 severe.")
    phq9_answers = models.JSONField(default=list, blank=True,
                                    help_text="The nine PHQ-9 answers, each 0-3; the score is computed, not stored.")
    contraception_method_1 = models.CharField(max_length=80, blank=True,
                                              help_text="First birth-control method confirmed (if the patient can become pregnant).")
    contraception_method_2 = models.CharField(max_length=80, blank=True,
                                              help_text="Second birth-control method confirmed.")
    contraception_confirmed = models.BooleanField(default=False,
                                                  help_text="The patient confirmed using both methods this month.")
    pregnancy_test_date = models.DateField(null=True, blank=True, help_text="Date of the latest pregnancy test.")
    pregnancy_test_result = models.CharField(max_length=10, blank=True, choices=PREGNANCY_RESULTS,
                                             help_text="Result of that pregnancy test.")
    notes = models.TextField(blank=True, max_length=2000,
                             help_text="Anything else the patient wants to tell; screened by the triage engine.")
    triage_verdict = models.CharField(max_length=12, blank=True,
                                      help_text="What the triage engine said when the check-in was saved (ok, urgent, "
                                                "crisis or unscreened): a record of the advice shown.")
    triage_category = models.CharField(max_length=60, blank=True, help_text="The triage category, if any.")

    class Meta:
        ordering = ["-day", "-id"]

    @property
    def phq9(self) -> phq9.Phq9Result | None:
        return phq9.score(self.phq9_answers) if self.phq9_answers else None


class LabResult(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="labs",
                               help_text="The course this blood test belongs to.")
    test = models.SlugField(max_length=40, help_text="Lab id from the pack's course.yaml, e.g. triglycerides.")
    day = models.DateField(help_text="The day the blood sample was taken.")
    value = models.DecimalField(max_digits=8, decimal_places=2, help_text="The value as printed on the lab report.")
    unit = models.CharField(max_length=12, help_text="The unit as printed on the report (mg/dL, mmol/L or U/L); "
                                                     "converted when shown, never stored twice.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the result was entered.")

    class Meta:
        ordering = ["-day", "test"]


class ReminderSent(models.Model):
    """One row per reminder sent: created before the e-mail goes out, in the same transaction (idempotency key)."""

    kind = models.CharField(max_length=40, help_text="What the reminder was for, e.g. checkin or labs:week-4.")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reminders",
                               help_text="The course the reminder was about.")
    due_date = models.DateField(help_text="The due date the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now, help_text="When the reminder was sent.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "course", "due_date"], name="course_reminder_once")]


class AuditLog(models.Model):
    clinician = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+",
                                  help_text="The clinician who viewed (or changed) a patient's record.")
    patient = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+",
                                help_text="The patient whose record it was (blank once the patient deleted the account).")
    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, related_name="+",
                               help_text="The course viewed, if one.")
    what = models.CharField(max_length=80, help_text="What was viewed, e.g. 'course page' or 'summary PDF'.")
    when = models.DateTimeField(default=timezone.now, db_index=True, help_text="When it was viewed.")

    class Meta:
        ordering = ["-when"]
