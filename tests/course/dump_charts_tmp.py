from datetime import date, timedelta
from decimal import Decimal

from rxplain.course import charts
from rxplain.course.models import DoseChange, DoseEntry, LabResult
from rxplain.course.views_common import state_of
from tests.course.conftest import make_course


def test_dump(patient, frozen):
    course = make_course(patient, can_become_pregnant=True)
    DoseChange.objects.create(course=course, start_date=date(2025, 2, 1), mg_per_day=Decimal("60"))
    for n in range(5):
        DoseEntry.objects.create(course=course, day=date(2025, 3, 1) + timedelta(days=n), taken=False)
    for d, v in [(date(2024, 12, 20), "150"), (date(2025, 2, 1), "549"), (date(2025, 4, 1), "820")]:
        LabResult.objects.create(course=course, test="triglycerides", day=d, value=Decimal(v), unit="mg/dL")
    LabResult.objects.create(course=course, test="alt", day=date(2025, 2, 1), value=Decimal("52"), unit="U/L")
    state = state_of(course)
    open("/tmp/dump/dose.png", "wb").write(charts.to_png(charts.dose_figure(state), dpi=80))
    open("/tmp/dump/labs.png", "wb").write(charts.to_png(charts.lab_figure(state), dpi=80))
