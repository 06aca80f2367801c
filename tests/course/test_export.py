"""The patient's own data: one-page summary (HTML and PDF), CSV export, and deleting the account with its records."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.urls import reverse

from rxplain.course.models import AuditLog, CareLink, CheckIn, Course, DoseEntry, LabResult


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_export_holds_the_patients_own_records_and_nothing_else(client, patient, course, other_course):
    DoseEntry.objects.create(course=course, day=date(2025, 3, 1), taken=False)
    LabResult.objects.create(course=course, test="alt", day=date(2025, 2, 1), value=Decimal("31"), unit="U/L")
    CheckIn.objects.create(course=course, day=date(2025, 5, 1), phq9_answers=[1] * 9, side_effects={"dry-lips": 2})
    DoseEntry.objects.create(course=other_course, day=date(2025, 3, 2), taken=False)
    client.force_login(patient)
    response = client.get(reverse("course:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    data = rows(response)
    assert {r["course"] for r in data} - {""} == {str(course.pk)}
    assert {"record": "dose log", "course": str(course.pk), "date": "2025-03-01", "item": "dose", "value": "missed",
            "unit": ""} in data
    assert any(r["item"] == "alt" and r["value"] == "31.00" and r["unit"] == "U/L" for r in data)
    assert any(r["item"] == "PHQ-9 total" and r["value"] == "9" for r in data)
    assert any(r["item"] == "daily dose" and r["value"] == "40.0" for r in data)


def test_free_text_that_a_spreadsheet_would_run_is_defused(client, patient, course):
    CheckIn.objects.create(course=course, day=date(2025, 5, 1), notes="=HYPERLINK(\"http://x\")")
    client.force_login(patient)
    notes = [r["value"] for r in rows(client.get(reverse("course:export"))) if r["item"] == "notes"]
    assert notes == ["'=HYPERLINK(\"http://x\")"]


def test_the_summary_is_one_printable_page_and_a_one_page_pdf(client, patient, course):
    client.force_login(patient)
    page = client.get(reverse("course:summary", args=[course.pk])).content.decode()
    assert "Course summary: isotretinoin" in page and "85.7 mg/kg" in page
    assert "course.css" in page and "@media print" in open("rxplain/static/css/course.css").read()
    pdf = client.get(reverse("course:summary_pdf", args=[course.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"/Count 1" in pdf.content


def test_deleting_the_account_needs_the_password(client, patient, course):
    client.force_login(patient)
    response = client.post(reverse("course:delete_account"), {"password": "wrong"})
    assert response.context["form"].errors["password"]
    assert User.objects.filter(pk=patient.pk).exists() and Course.objects.filter(pk=course.pk).exists()


def test_deleting_the_account_deletes_all_its_records_and_no_one_elses(client, patient, course, other_course,
                                                                        clinician, linked):
    from tests.course.conftest import PASSWORD

    CheckIn.objects.create(course=course, day=date(2025, 5, 1), phq9_answers=[0] * 9)
    LabResult.objects.create(course=course, test="alt", day=date(2025, 2, 1), value=Decimal("31"), unit="U/L")
    DoseEntry.objects.create(course=course, day=date(2025, 3, 1), taken=False)
    client.force_login(clinician)
    client.get(reverse("course:clinic_patient", args=[course.pk]))
    client.force_login(patient)
    response = client.post(reverse("course:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=patient.pk).exists()
    assert list(Course.objects.all()) == [other_course]
    assert not (CheckIn.objects.exists() or LabResult.objects.exists() or CareLink.objects.exists())
    assert not DoseEntry.objects.filter(course_id=course.pk).exists()
    # the clinician's audit trail stays, without the deleted patient
    row = AuditLog.objects.get()
    assert row.clinician == clinician and row.patient is None and row.course is None
    assert client.get(reverse("course:start")).status_code == 200  # signed out


def test_a_patient_can_sign_up_and_start_a_course(client, db, frozen):
    response = client.post(reverse("course:signup"), {"username": "newpatient", "email": "new@example.com",
                                                      "password1": "a-long-pass-phrase-42",
                                                      "password2": "a-long-pass-phrase-42"})
    assert response["Location"] == reverse("course:new")
    user = User.objects.get(username="newpatient")
    response = client.post(reverse("course:new"), {"start_date": "2025-05-01", "weight_kg": "64.5",
                                                   "mg_per_day": "30", "can_become_pregnant": "yes"})
    course = Course.objects.get(patient=user)
    assert response["Location"] == reverse("course:detail", args=[course.pk])
    assert course.dose_changes.get().mg_per_day == 30 and course.can_become_pregnant


def test_sign_up_stores_an_argon2_hash_in_production_settings(settings, client, db, frozen):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    client.post(reverse("course:signup"), {"username": "argon", "email": "a@example.com",
                                           "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"})
    assert User.objects.get(username="argon").password.startswith("argon2$")


def test_the_sign_in_page_has_labelled_fields(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username"' in page and '<label for="id_password"' in page
