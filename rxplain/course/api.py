"""JSON API for a patient's own course (django-ninja), mounted at /api/course/ by rxplain/api.py.

Session authentication; a course that is not the caller's own answers 404, exactly like one that does not exist.
Input is validated by the same forms as the pages: a bad value answers 422 with a message per field and nothing
is saved.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from rxplain.course import forms, services
from rxplain.course.access import own_course
from rxplain.course.models import Course
from rxplain.course.records import PREFETCH, State, checkin_facts
from rxplain.course.rules import available_medicines, rules_for
from rxplain.course.safety import CRISIS_LINES, OUTSIDE_US

PREFIX = "/course/"
router = Router(tags=["course"], auth=django_auth)
NOTE = "These are figures only. Your prescriber decides on any change to your dose."


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class CourseIn(Schema):
    start_date: date
    weight_kg: float
    mg_per_day: float
    can_become_pregnant: bool
    brand: str = ""
    medicine: str = "isotretinoin"


class DoseChangeIn(Schema):
    start_date: date
    mg_per_day: float
    note: str = ""


class DosesIn(Schema):
    first: date
    last: date | None = None  # one day when left out
    taken: bool


class CheckInIn(Schema):
    side_effects: dict[str, int] = {}
    phq9: list[int] = []
    contraception_method_1: str = ""
    contraception_method_2: str = ""
    contraception_confirmed: bool | None = None
    pregnancy_test_date: date | None = None
    pregnancy_test_result: str = ""
    notes: str = ""


class LabIn(Schema):
    test: str
    day: date
    value: float
    unit: str


def _invalid(form, detail: str = "Some values could not be accepted.") -> Status:
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return Status(422, {"detail": detail, "errors": errors})


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _state(course: Course) -> State:
    course = Course.objects.prefetch_related(*PREFETCH).get(pk=course.pk)
    return State.of(course, timezone.localdate())


def _course_out(state: State) -> dict:
    course, fig = state.course, state.figures
    figures = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in asdict(fig).items()}
    figures["missed_fraction"] = round(fig.missed_fraction, 3)
    return {
        "id": course.pk, "medicine": course.medicine, "start_date": course.start_date, "end_date": course.end_date,
        "weight_kg": float(course.weight_kg), "brand": course.brand, "can_become_pregnant": course.can_become_pregnant,
        "dose_changes": [{"start_date": d.start_date, "mg_per_day": float(d.mg_per_day), "note": d.note}
                         for d in course.dose_changes.all()],
        "figures": figures, "note": NOTE,
        "due": [{"kind": i.kind, "label": i.label, "due": i.due, "status": i.status(state.today), "detail": i.detail}
                for i in state.due],
        "target_source": state.rules.target_source,
    }


def _checkin_out(checkin) -> dict:
    facts, score = checkin_facts(checkin), checkin.phq9
    return {
        "id": checkin.pk, "day": checkin.day, "side_effects": checkin.side_effects, "phq9": checkin.phq9_answers,
        "phq9_total": score.total if score else None, "phq9_band": score.band if score else None,
        "pregnancy_test_date": checkin.pregnancy_test_date, "pregnancy_test_result": checkin.pregnancy_test_result,
        "contraception_confirmed": facts.contraception_confirmed, "triage": checkin.triage_verdict,
    }


@router.get("/courses", response=list[dict])
def list_courses(request: HttpRequest):
    return [_course_out(State.of(c, timezone.localdate()))
            for c in Course.objects.filter(patient=request.user).prefetch_related(*PREFETCH)]


@router.post("/courses", response={201: dict, 422: ErrorOut})
def create_course(request: HttpRequest, payload: CourseIn):
    if payload.medicine not in available_medicines():
        return Status(422, {"detail": "Unknown medicine.", "errors": {"medicine": ["No course rules for this medicine."]}})
    data = {k: _text(v) for k, v in payload.dict().items()}
    form = forms.CourseForm(data, rules=rules_for(payload.medicine))
    if not form.is_valid():
        return _invalid(form)
    course = services.create_course(request.user, form, payload.medicine)
    return Status(201, _course_out(_state(course)))


@router.get("/courses/{course_id}", response=dict)
def get_course(request: HttpRequest, course_id: int):
    return _course_out(_state(own_course(request.user, course_id)))


@router.post("/courses/{course_id}/dose-changes", response={201: dict, 422: ErrorOut})
def add_dose_change(request: HttpRequest, course_id: int, payload: DoseChangeIn):
    course = own_course(request.user, course_id)
    form = forms.DoseChangeForm({k: _text(v) for k, v in payload.dict().items()}, course=course,
                                rules=rules_for(course.medicine))
    if not form.is_valid():
        return _invalid(form)
    form.save()
    return Status(201, _course_out(_state(course)))


@router.get("/courses/{course_id}/doses", response=list[dict])
def list_doses(request: HttpRequest, course_id: int):
    course = own_course(request.user, course_id)
    return [{"day": e.day, "taken": e.taken} for e in course.dose_entries.all()]


@router.post("/courses/{course_id}/doses", response={201: dict, 422: ErrorOut})
def log_doses(request: HttpRequest, course_id: int, payload: DosesIn):
    course = own_course(request.user, course_id)
    form = forms.DoseRangeForm({"first": _text(payload.first), "last": _text(payload.last or payload.first),
                                "taken": _text(payload.taken)}, course=course)
    if not form.is_valid():
        return _invalid(form)
    count = services.log_doses(course, form.days(), form.cleaned_data["taken"])
    return Status(201, {"logged": count, "course": _course_out(_state(course))})


@router.get("/courses/{course_id}/checkins", response=list[dict])
def list_checkins(request: HttpRequest, course_id: int):
    return [_checkin_out(c) for c in own_course(request.user, course_id).checkins.all()]


@router.post("/courses/{course_id}/checkins", response={201: dict, 422: ErrorOut})
def add_checkin(request: HttpRequest, course_id: int, payload: CheckInIn):
    course = own_course(request.user, course_id)
    rules = rules_for(course.medicine)
    known = {s.id for s in rules.side_effects}
    unknown = sorted(set(payload.side_effects) - known)
    if unknown:
        return Status(422, {"detail": "Unknown side effects.", "errors": {"side_effects": [
            f"Unknown: {', '.join(unknown)}. Known: {', '.join(sorted(known))}."]}})
    if rules.phq9 and len(payload.phq9) != 9:
        return Status(422, {"detail": "The PHQ-9 needs 9 answers.", "errors": {"phq9": ["Give 9 answers, each 0 to 3."]}})
    data = {f"se_{s}": _text(payload.side_effects.get(s, 0)) for s in known}
    data.update({f"phq9_{n}": _text(v) for n, v in enumerate(payload.phq9, start=1)})
    data.update({k: _text(getattr(payload, k)) for k in ("contraception_method_1", "contraception_method_2",
                                                          "contraception_confirmed", "pregnancy_test_date",
                                                          "pregnancy_test_result", "notes")})
    form = forms.CheckInForm(data, course=course, rules=rules)
    if not form.is_valid():
        return _invalid(form)
    outcome = services.save_checkin(course, form, rules)
    out = _checkin_out(outcome.checkin)
    out["crisis"] = outcome.crisis
    out["urgent"] = outcome.urgent
    if outcome.crisis:
        out["crisis_screen"] = {"lines": [text for text, _, _ in CRISIS_LINES] + [OUTSIDE_US]}
    elif outcome.checkin.pregnancy_test_result == "positive":
        out["action"] = rules.pregnancy_positive_action
    elif outcome.action:
        out["action"] = outcome.action
    return Status(201, out)


def _lab_out(row: dict) -> dict:
    lab, flag = row["lab"], row["flag"]
    return {"id": lab.pk, "test": lab.test, "name": row["name"], "day": lab.day, "value": float(lab.value),
            "unit": lab.unit, "canonical_value": None if row["canonical"] is None else round(row["canonical"], 1),
            "canonical_unit": row["canonical_unit"],
            "flag": None if flag is None else {"level": flag.level, "label": flag.label, "source": flag.source}}


@router.get("/courses/{course_id}/labs", response=list[dict])
def list_labs(request: HttpRequest, course_id: int):
    return [_lab_out(r) for r in _state(own_course(request.user, course_id)).lab_rows()]


@router.post("/courses/{course_id}/labs", response={201: dict, 422: ErrorOut})
def add_lab(request: HttpRequest, course_id: int, payload: LabIn):
    course = own_course(request.user, course_id)
    form = forms.LabForm({k: _text(v) for k, v in payload.dict().items()}, course=course,
                         rules=rules_for(course.medicine))
    if not form.is_valid():
        return _invalid(form)
    lab = services.save_lab(course, form)
    row = next(r for r in _state(course).lab_rows() if r["lab"].pk == lab.pk)
    return Status(201, _lab_out(row))
