"""The JSON API for a patient's own course: create, log, check in, add labs."""

import pytest

JSON = "application/json"


@pytest.fixture
def api(client, patient, frozen):
    client.force_login(patient)
    return client


def test_create_a_course_and_read_its_figures(api):
    response = api.post("/api/course/courses", {"start_date": "2025-01-01", "weight_kg": 70, "mg_per_day": 40,
                                                "can_become_pregnant": False, "brand": "Claravis"}, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["figures"]["cumulative_mg_per_kg"] == 85.71
    assert body["figures"]["date_low"] == "2025-07-29"
    assert "prescriber decides" in body["note"]
    assert api.get(f"/api/course/courses/{body['id']}").json()["figures"]["days_on_treatment"] == 150


def test_log_missed_days_and_see_the_total_fall(api, course):
    response = api.post(f"/api/course/courses/{course.pk}/doses", {"first": "2025-03-01", "last": "2025-03-10",
                                                                   "taken": False}, content_type=JSON)
    assert response.status_code == 201 and response.json()["logged"] == 10
    assert response.json()["course"]["figures"]["cumulative_mg_per_kg"] == 80.0
    assert len(api.get(f"/api/course/courses/{course.pk}/doses").json()) == 10


def test_change_the_dose(api, course):
    response = api.post(f"/api/course/courses/{course.pk}/dose-changes", {"start_date": "2025-05-01",
                                                                          "mg_per_day": 80}, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["figures"]["current_mg_per_day"] == 80


def test_a_check_in_with_item_9_above_0_answers_with_the_crisis_screen(api, course, no_triage):
    response = api.post(f"/api/course/courses/{course.pk}/checkins", {"phq9": [0] * 8 + [1]}, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["crisis"] is True and any("988" in line for line in body["crisis_screen"]["lines"])
    assert body["phq9_band"] == "minimal"


def test_a_lab_in_mmol_per_l_is_converted_and_flagged_with_its_source(api, course):
    response = api.post(f"/api/course/courses/{course.pk}/labs", {"test": "triglycerides", "day": "2025-05-02",
                                                                  "value": 6.5, "unit": "mmol/L"}, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["canonical_value"] == 575.7 and body["canonical_unit"] == "mg/dL"
    assert body["flag"]["level"] == "review" and "droracle" in body["flag"]["source"]
    assert api.get(f"/api/course/courses/{course.pk}/labs").json()[0]["id"] == body["id"]
