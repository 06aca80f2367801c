from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from rxplain.course.models import CheckIn, DoseChange, DoseEntry, LabResult
from tests.course.conftest import make_course


def test_dump(client, patient, clinician, linked, frozen):
    course = make_course(patient, can_become_pregnant=True)
    DoseChange.objects.create(course=course, start_date=date(2025, 2, 1), mg_per_day=Decimal("60"))
    for n in range(5):
        DoseEntry.objects.create(course=course, day=date(2025, 3, 1) + timedelta(days=n), taken=False)
    LabResult.objects.create(course=course, test="triglycerides", day=date(2024, 12, 20), value=Decimal("150"), unit="mg/dL")
    LabResult.objects.create(course=course, test="triglycerides", day=date(2025, 2, 1), value=Decimal("6.2"), unit="mmol/L")
    LabResult.objects.create(course=course, test="alt", day=date(2025, 2, 1), value=Decimal("52"), unit="U/L")
    CheckIn.objects.create(course=course, day=date(2025, 5, 20), phq9_answers=[1, 2, 1, 2, 1, 1, 1, 1, 1],
                           side_effects={"dry-lips": 2, "headache": 1}, contraception_method_1="Implant",
                           contraception_method_2="Male condom", contraception_confirmed=True,
                           pregnancy_test_date=date(2025, 5, 26), pregnancy_test_result="negative", triage_verdict="ok")
    client.force_login(patient)
    for name in ["detail", "checkin", "labs", "summary", "dose_log"]:
        open(f"/tmp/dump/{name}.html", "w").write(client.get(reverse(f"course:{name}", args=[course.pk])).content.decode())
    open("/tmp/dump/dose.svg", "wb").write(client.get(reverse("course:chart_dose", args=[course.pk])).content)
    open("/tmp/dump/labs.svg", "wb").write(client.get(reverse("course:chart_labs", args=[course.pk])).content)
    open("/tmp/dump/summary.pdf", "wb").write(client.get(reverse("course:summary_pdf", args=[course.pk])).content)
    open("/tmp/dump/export.csv", "wb").write(client.get(reverse("course:export")).content)
    client.force_login(clinician)
    open("/tmp/dump/dashboard.html", "w").write(client.get(reverse("course:dashboard")).content.decode())
    open("/tmp/dump/clinic.html", "w").write(client.get(reverse("course:clinic_patient", args=[course.pk])).content.decode())
