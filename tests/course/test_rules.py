"""The per-medicine rules come from the content pack (course.yaml); a second medicine is a new pack, not new code."""

from datetime import date

import pytest
import yaml
from django.urls import reverse

from rxplain.course import calc
from rxplain.course import rules as rules_module
from rxplain.course.forms import CheckInForm
from rxplain.course.rules import RulesError, load_rules, parse_rules

SECOND = {
    "medicine": "examplamine",
    "name": "examplamine",
    "target": {"low": 200, "high": 250, "source": "Example target, for tests only."},
    "dose": {"max_mg_per_kg_per_day": 5, "source": "Example guard."},
    "check_in": {"interval_days": 14, "reminder_lead_days": 2, "mood_screen": "none", "phq9_flag_at_least": 10,
                 "phq9_source": "n/a"},
    "adherence": {"missed_fraction_flag_above": 0.1},
    "side_effects": [{"id": "nausea", "label": "Nausea", "triage": "nausea"}],
    "labs": [{"id": "creatinine", "name": "Creatinine", "units": {"mg/dL": 1, "umol/L": 0.0113},
              "plausible": [0.1, 20], "flags": [{"above": 1.3, "level": "review", "label": "High creatinine.",
                                                 "source": "Example."}]}],
    "lab_schedule": {"reminder_lead_days": 3, "tests": ["creatinine"], "then": "As your prescriber sets",
                     "source": "Example.",
                     "visits": [{"id": "baseline", "label": "Baseline", "due_day": 0, "from_day": -30, "to_day": 3}]},
}


def test_the_isotretinoin_rules_carry_their_numbers_and_sources(rules):
    assert (rules.target_low, rules.target_high) == (120, 150) and "skintherapyletter" in rules.target_source
    assert rules.max_mg_per_kg_per_day == 2
    assert (rules.checkin_interval_days, rules.checkin_lead_days) == (30, 3)
    assert rules.lab("triglycerides").units == {"mg/dL": 1, "mmol/L": 88.57}
    assert rules.lab("total-cholesterol").units["mmol/L"] == rules.lab("ldl-cholesterol").units["mmol/L"] == 38.67
    assert rules.lab("alt").units == {"U/L": 1} and "NOT FOUND" in rules.lab("ast").thresholds[0].source
    assert [t.above for t in rules.lab("triglycerides").thresholds] == [800, 500]
    assert all(t.source for lab in rules.labs for t in lab.thresholds)
    assert [v.id for v in rules.lab_visits] == ["baseline", "week-4"]
    assert rules.pregnancy_program and rules.pregnancy_test_interval_days == 30 and rules.pickup_window_days == 7
    assert rules.contraception_methods == 2
    assert {"dry-lips", "dry-skin", "dry-eyes", "nosebleeds", "joint-back-pain", "headache", "vision",
            "mood"} <= {s.id for s in rules.side_effects}


def test_a_malformed_course_yaml_names_the_missing_key():
    broken = {k: v for k, v in SECOND.items() if k != "target"}
    with pytest.raises(RulesError, match="'target.low' is missing"):
        parse_rules(broken, "content/x/course.yaml")


@pytest.fixture
def second_pack(tmp_path, settings):
    """A content folder with isotretinoin's rules and a second medicine that has only a course.yaml."""
    import shutil

    shutil.copytree(settings.RXPLAIN_CONTENT_DIR / "isotretinoin", tmp_path / "isotretinoin")
    (tmp_path / "examplamine").mkdir()
    (tmp_path / "examplamine" / "course.yaml").write_text(yaml.safe_dump(SECOND))
    settings.RXPLAIN_CONTENT_DIR = tmp_path
    rules_module.clear_cache()
    yield tmp_path / "examplamine"
    rules_module.clear_cache()


def test_a_second_medicine_is_a_new_content_pack(second_pack):
    rules = load_rules(second_pack)
    assert (rules.target_low, rules.checkin_interval_days, rules.phq9) == (200, 14, False)
    assert not rules.pregnancy_program and not rules.asks_pregnancy(True)
    course = calc.CourseInput(date(2025, 1, 1), 50, (calc.DoseChange(date(2025, 1, 1), 100),))
    figures = calc.figures(course, date(2025, 4, 10), rules.target_low, rules.target_high)  # 100 days x 2 mg/kg
    assert figures.cumulative_mg_per_kg == 200 and figures.band == "within"


def test_a_second_medicines_course_runs_on_the_same_pages(client, patient, frozen, second_pack):
    client.force_login(patient)
    response = client.post(reverse("course:new") + "?medicine=examplamine",
                           {"start_date": "2025-05-01", "weight_kg": "50", "mg_per_day": "200",
                            "can_become_pregnant": "yes", "medicine": "examplamine"})
    course = patient.courses.get()
    assert response.status_code == 302 and course.medicine == "examplamine"
    page = client.get(reverse("course:detail", args=[course.pk])).content.decode()
    assert "Your examplamine course" in page and "200–250 mg/kg" in page
    form = CheckInForm(course=course, rules=load_rules(second_pack))
    assert set(form.fields) == {"notes", "se_nausea"}  # no PHQ-9, no pregnancy questions in this pack


def test_the_guard_of_each_pack_applies(client, patient, frozen, second_pack):
    client.force_login(patient)
    data = {"start_date": "2025-05-01", "weight_kg": "50", "mg_per_day": "300", "can_become_pregnant": "no",
            "medicine": "examplamine"}
    response = client.post(reverse("course:new"), data)  # 6 mg/kg/day > 5
    assert "more than 5 mg per kg" in response.context["form"].errors["mg_per_day"][0]
    assert not patient.courses.exists()
