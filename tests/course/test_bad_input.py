"""Bad input gets a clear form error or an API 422 with a message per field; nothing is ever saved half-way."""

import pytest
from django.urls import reverse

from rxplain.course import services
from rxplain.course.models import CheckIn, Course, DoseChange, DoseEntry, LabResult

GOOD_COURSE = {"start_date": "2025-01-01", "weight_kg": "70", "mg_per_day": "40", "brand": "Absorica",
               "can_become_pregnant": "no"}
PHQ9_ZEROS = {f"phq9_{n}": "0" for n in range(1, 10)}


@pytest.fixture
def signed_in(client, patient, frozen):
    client.force_login(patient)
    return client


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


def nothing_saved():
    return not (Course.objects.exists() or DoseChange.objects.exists())


@pytest.mark.parametrize(("weight", "message"), [
    ("0", "above 0"), ("-5", "above 0"), ("401", "at most 400 kg"), ("1000", "at most 400 kg"),
    ("abc", "Enter a number"), ("70.25", "decimal place"),
])
def test_it_rejects_an_impossible_weight(signed_in, weight, message):
    response = signed_in.post(reverse("course:new"), {**GOOD_COURSE, "weight_kg": weight})
    assert response.status_code == 200
    assert any(message in e for e in errors_of(response, "weight_kg"))
    assert nothing_saved()


def test_it_accepts_the_edges_of_the_weight_range(signed_in):
    response = signed_in.post(reverse("course:new"), {**GOOD_COURSE, "weight_kg": "400", "mg_per_day": "40"})
    assert response.status_code == 302


def test_it_rejects_a_daily_dose_over_2_mg_per_kg(signed_in):
    # 150 mg at 70 kg is 2.14 mg/kg/day
    response = signed_in.post(reverse("course:new"), {**GOOD_COURSE, "mg_per_day": "150"})
    assert any("more than 2 mg per kg" in e for e in errors_of(response, "mg_per_day"))
    assert nothing_saved()
    assert signed_in.post(reverse("course:new"), {**GOOD_COURSE, "mg_per_day": "140"}).status_code == 302  # 2.0


@pytest.mark.parametrize("mg", ["0", "-10", "99999"])
def test_it_rejects_a_dose_that_is_zero_negative_or_absurd(signed_in, mg):
    response = signed_in.post(reverse("course:new"), {**GOOD_COURSE, "mg_per_day": mg})
    assert errors_of(response, "mg_per_day")
    assert nothing_saved()


def test_it_rejects_a_course_that_starts_in_the_future(signed_in):
    response = signed_in.post(reverse("course:new"), {**GOOD_COURSE, "start_date": "2025-05-31"})
    assert any("future" in e for e in errors_of(response, "start_date"))
    assert nothing_saved()


def test_the_error_summary_links_to_each_field(signed_in):
    html = signed_in.post(reverse("course:new"), {**GOOD_COURSE, "weight_kg": "0"}).content.decode()
    assert 'role="alert"' in html and 'href="#id_weight_kg"' in html
    assert 'aria-invalid="true"' in html and 'id="id_weight_kg_error"' in html


def test_the_api_answers_422_with_a_message_and_saves_nothing(signed_in):
    payload = {"start_date": "2025-01-01", "weight_kg": 0, "mg_per_day": 40, "can_become_pregnant": False}
    response = signed_in.post("/api/course/courses", payload, content_type="application/json")
    assert response.status_code == 422
    assert "above 0" in response.json()["errors"]["weight_kg"][0]
    payload.update(weight_kg=70, mg_per_day=150)
    response = signed_in.post("/api/course/courses", payload, content_type="application/json")
    assert response.status_code == 422 and "mg_per_day" in response.json()["errors"]
    payload.update(weight_kg="heavy")
    assert signed_in.post("/api/course/courses", payload, content_type="application/json").status_code == 422
    assert nothing_saved()


def test_a_failure_half_way_through_creating_a_course_saves_nothing(signed_in, patient, rules, monkeypatch):
    from rxplain.course import forms

    form = forms.CourseForm(GOOD_COURSE, rules=rules)
    assert form.is_valid()

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DoseChange.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.create_course(patient, form, "isotretinoin")
    assert not Course.objects.exists()


@pytest.mark.parametrize(("day", "message"), [("2024-12-31", "before"), ("2025-06-01", "future")])
def test_it_rejects_a_dose_change_before_the_start_or_in_the_future(client, patient, course, day, message):
    client.force_login(patient)
    response = client.post(reverse("course:dose_change", args=[course.pk]), {"start_date": day, "mg_per_day": "60"})
    assert any(message in e for e in errors_of(response, "start_date"))
    assert course.dose_changes.count() == 1


def test_it_rejects_a_dose_change_over_the_guard_and_a_second_change_on_the_same_day(client, patient, course):
    client.force_login(patient)
    url = reverse("course:dose_change", args=[course.pk])
    assert errors_of(client.post(url, {"start_date": "2025-03-01", "mg_per_day": "141"}), "mg_per_day")
    assert errors_of(client.post(url, {"start_date": "2025-01-01", "mg_per_day": "60"}), "start_date")
    assert course.dose_changes.count() == 1


def test_it_rejects_a_new_weight_that_puts_the_dose_over_the_guard(client, patient, course):
    client.force_login(patient)
    response = client.post(reverse("course:edit", args=[course.pk]),
                           {"weight_kg": "15", "brand": "", "can_become_pregnant": "no"})
    assert errors_of(response, "weight_kg")
    course.refresh_from_db()
    assert course.weight_kg == 70


@pytest.mark.parametrize(("first", "last", "field"), [
    ("2024-12-20", "2025-01-05", "first"),  # before the start
    ("2025-05-25", "2025-06-02", "last"),  # into the future
    ("2025-05-10", "2025-05-01", "last"),  # backwards
])
def test_a_dose_range_with_a_bad_date_is_refused_whole(client, patient, course, first, last, field):
    client.force_login(patient)
    response = client.post(reverse("course:dose_log", args=[course.pk]),
                           {"action": "range", "first": first, "last": last, "taken": "no"})
    assert response.context["range_form"].errors.get(field)
    assert not DoseEntry.objects.exists()


def test_the_api_refuses_a_dose_range_into_the_future_and_saves_none_of_it(client, patient, course):
    client.force_login(patient)
    response = client.post(f"/api/course/courses/{course.pk}/doses",
                           {"first": "2025-05-20", "last": "2025-06-10", "taken": False},
                           content_type="application/json")
    assert response.status_code == 422 and "future" in response.json()["errors"]["last"][0]
    assert not DoseEntry.objects.exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"test": "alt", "day": "2025-05-01", "value": "35", "unit": "mg/dL"}, "unit", "U/L, not mg/dL"),
    ({"test": "triglycerides", "day": "2025-05-01", "value": "150", "unit": "mmol/L"}, "value", "mg/dL"),
    ({"test": "triglycerides", "day": "2025-06-01", "value": "150", "unit": "mg/dL"}, "day", "future"),
    ({"test": "triglycerides", "day": "2024-10-01", "value": "150", "unit": "mg/dL"}, "day", "before"),
    ({"test": "triglycerides", "day": "2025-05-01", "value": "-4", "unit": "mg/dL"}, "value", "above 0"),
    ({"test": "vitamin-z", "day": "2025-05-01", "value": "4", "unit": "mg/dL"}, "test", "valid choice"),
])
def test_a_lab_value_in_the_wrong_unit_or_with_a_bad_date_is_refused(client, patient, course, data, field, message):
    client.force_login(patient)
    response = client.post(reverse("course:labs", args=[course.pk]), data)
    assert any(message in e for e in errors_of(response, field)), response.context["form"].errors
    api = client.post(f"/api/course/courses/{course.pk}/labs", data, content_type="application/json")
    assert api.status_code == 422 and any(message in e for e in api.json()["errors"][field])
    assert not LabResult.objects.exists()


def test_baseline_labs_before_the_start_are_accepted(client, patient, course):
    client.force_login(patient)
    response = client.post(reverse("course:labs", args=[course.pk]),
                           {"test": "alt", "day": "2024-12-15", "value": "22", "unit": "U/L"})
    assert response.status_code == 302 and LabResult.objects.count() == 1


def test_a_check_in_with_an_unanswered_phq9_item_is_refused(client, patient, course, no_triage):
    client.force_login(patient)
    data = {**PHQ9_ZEROS}
    del data["phq9_9"]
    response = client.post(reverse("course:checkin", args=[course.pk]), data)
    assert errors_of(response, "phq9_9") == ["Choose one answer."]
    assert not CheckIn.objects.exists()


def test_the_api_refuses_a_check_in_with_8_phq9_answers_or_unknown_side_effects(client, patient, course, no_triage):
    client.force_login(patient)
    url = f"/api/course/courses/{course.pk}/checkins"
    assert client.post(url, {"phq9": [0] * 8}, content_type="application/json").status_code == 422
    response = client.post(url, {"phq9": [0] * 9, "side_effects": {"hiccups": 2}}, content_type="application/json")
    assert response.status_code == 422 and "hiccups" in response.json()["errors"]["side_effects"][0]
    response = client.post(url, {"phq9": [0] * 8 + [5]}, content_type="application/json")
    assert response.status_code == 422 and "phq9_9" in response.json()["errors"]
    assert not CheckIn.objects.exists()


def test_a_pregnancy_test_dated_in_the_future_is_refused(client, patient, frozen, no_triage):
    from tests.course.conftest import make_course

    course = make_course(patient, can_become_pregnant=True)
    client.force_login(patient)
    response = client.post(reverse("course:checkin", args=[course.pk]), {
        **PHQ9_ZEROS, "contraception_method_1": "Hormonal IUD", "contraception_method_2": "Male condom",
        "contraception_confirmed": "yes", "pregnancy_test_date": "2025-06-02", "pregnancy_test_result": "negative"})
    assert any("future" in e for e in errors_of(response, "pregnancy_test_date"))
    assert not CheckIn.objects.exists()


def test_two_birth_control_methods_must_differ_unless_abstinence(client, patient, frozen, no_triage, rules):
    from tests.course.conftest import make_course

    course = make_course(patient, can_become_pregnant=True)
    client.force_login(patient)
    base = {**PHQ9_ZEROS, "contraception_confirmed": "yes", "pregnancy_test_date": "2025-05-28",
            "pregnancy_test_result": "negative"}
    url = reverse("course:checkin", args=[course.pk])
    response = client.post(url, {**base, "contraception_method_1": "Implant", "contraception_method_2": "Implant"})
    assert errors_of(response, "contraception_method_2")
    response = client.post(url, {**base, "contraception_method_1": "Implant"})
    assert errors_of(response, "contraception_method_2")
    assert client.post(url, {**base, "contraception_method_1": rules.abstinence}).status_code == 302
