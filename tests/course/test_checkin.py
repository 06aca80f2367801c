"""The monthly check-in: side effects, PHQ-9, birth control and pregnancy test, and triage of what is reported."""

import sys
import types
from datetime import date

import pytest
from django.urls import reverse

from rxplain.course import safety
from rxplain.course.models import CheckIn
from tests.course.conftest import make_course

ZEROS = {f"phq9_{n}": "0" for n in range(1, 10)}
PREGNANCY_OK = {"contraception_method_1": "Hormonal IUD", "contraception_method_2": "Male condom",
                "contraception_confirmed": "yes", "pregnancy_test_date": "2025-05-28",
                "pregnancy_test_result": "negative"}


@pytest.fixture
def fake_triage(monkeypatch):
    """A stand-in triage engine that records what it was asked and answers what the test sets."""
    calls = []
    answer = {"verdict": "ok", "category": None, "action": ""}

    def verdict(text, history=(), medicine=None):
        calls.append((text, medicine))
        return types.SimpleNamespace(resources=(), **answer)

    module = types.ModuleType("rxplain.triage")
    module.verdict = verdict
    monkeypatch.setitem(sys.modules, "rxplain.triage", module)
    return types.SimpleNamespace(calls=calls, answer=answer)


def post(client, course, data):
    return client.post(reverse("course:checkin", args=[course.pk]), data)


def test_a_check_in_saves_side_effects_and_the_phq9_answers(client, patient, course, no_triage):
    client.force_login(patient)
    answers = {**ZEROS, "phq9_1": "2", "phq9_2": "3", "phq9_4": "1", "se_dry-lips": "2", "se_nosebleeds": "1"}
    response = post(client, course, answers)
    checkin = CheckIn.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/check-in/{checkin.pk}/")
    assert checkin.side_effects == {"dry-lips": 2, "nosebleeds": 1}
    assert checkin.phq9.total == 6 and checkin.phq9.band == "mild"
    assert checkin.day == date(2025, 5, 30)
    page = client.get(response["Location"]).content.decode()
    assert "6 of 27" in page and "Dry or cracked lips: moderate" in page


def test_any_answer_above_0_on_item_9_goes_straight_to_the_crisis_screen(client, patient, course, no_triage):
    client.force_login(patient)
    response = post(client, course, {**ZEROS, "phq9_9": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("course:crisis")
    page = client.get(response["Location"]).content.decode()
    assert "911" in page and "988" in page and "local emergency number" in page
    assert CheckIn.objects.get().phq9.crisis


def test_the_crisis_screen_stays_on_the_course_page_while_the_flag_is_recent(client, patient, course, no_triage):
    client.force_login(patient)
    post(client, course, {**ZEROS, "phq9_9": "2"})
    page = client.get(reverse("course:detail", args=[course.pk])).content.decode()
    assert 'class="crisis"' in page and "tel:988" in page


def test_a_positive_pregnancy_test_says_stop_and_call_the_prescriber_now(client, patient, frozen, no_triage, rules):
    course = make_course(patient, can_become_pregnant=True)
    client.force_login(patient)
    response = post(client, course, {**ZEROS, **PREGNANCY_OK, "pregnancy_test_result": "positive"})
    page = client.get(response["Location"]).content.decode()
    assert "Stop taking isotretinoin and call your prescriber now." in page
    assert rules.pregnancy_positive_action == "Stop taking isotretinoin and call your prescriber now."
    overview = client.get(reverse("course:detail", args=[course.pk])).content.decode()
    assert "call your prescriber now" in overview


def test_pregnancy_questions_are_asked_only_of_patients_who_can_become_pregnant(client, patient, course, frozen):
    client.force_login(patient)
    assert "pregnancy_test_date" not in client.get(reverse("course:checkin", args=[course.pk])).content.decode()
    other = make_course(patient, can_become_pregnant=True)
    page = client.get(reverse("course:checkin", args=[other.pk])).content.decode()
    assert 'name="pregnancy_test_date"' in page and 'name="contraception_method_2"' in page


def test_phq9_items_are_radio_groups_in_fieldsets_with_legends(client, patient, course):
    client.force_login(patient)
    page = client.get(reverse("course:checkin", args=[course.pk])).content.decode()
    assert page.count("<fieldset") >= 9
    assert "<legend>9. Thoughts that you would be better off dead" in page
    assert page.count('type="radio" name="phq9_9"') == 4


def test_check_in_answers_and_notes_go_through_the_same_triage_as_the_consultation(client, patient, course,
                                                                                  fake_triage):
    client.force_login(patient)
    fake_triage.answer.update(verdict="urgent", category="pseudotumor-cerebri")
    post(client, course, {**ZEROS, "se_headache": "3", "se_vision": "2", "notes": "It is worse at night"})
    text, medicine = fake_triage.calls[0]
    assert text == "severe headache. moderate blurred vision. It is worse at night"
    assert medicine == "isotretinoin"
    checkin = CheckIn.objects.get()
    assert (checkin.triage_verdict, checkin.triage_category) == ("urgent", "pseudotumor-cerebri")
    page = client.get(reverse("course:checkin_detail", args=[course.pk, checkin.pk])).content.decode()
    assert "warning sign" in page


def test_a_triage_crisis_in_the_notes_goes_to_the_crisis_screen(client, patient, course, fake_triage):
    client.force_login(patient)
    fake_triage.answer.update(verdict="crisis", category="suicide_self_harm")
    response = post(client, course, {**ZEROS, "notes": "some words"})
    assert response["Location"] == reverse("course:crisis")


def test_a_check_in_is_saved_unscreened_and_flagged_when_the_triage_fails(client, patient, course, monkeypatch):
    module = types.ModuleType("rxplain.triage")

    def broken(*args, **kwargs):
        raise RuntimeError("patient said: something private")

    module.verdict = broken
    monkeypatch.setitem(sys.modules, "rxplain.triage", module)
    client.force_login(patient)
    post(client, course, {**ZEROS, "notes": "something private"})
    assert CheckIn.objects.get().triage_verdict == "unscreened"


def test_the_triage_error_message_is_never_logged(course, caplog, monkeypatch):
    module = types.ModuleType("rxplain.triage")
    module.verdict = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("my private words"))
    monkeypatch.setitem(sys.modules, "rxplain.triage", module)
    assert safety.screen("my private words", "isotretinoin").verdict == "unscreened"
    assert "private" not in caplog.text and "RuntimeError" in caplog.text


def test_nothing_reported_needs_no_triage(fake_triage, rules):
    assert safety.screen(safety.checkin_text({}, "  ", rules), "isotretinoin").verdict == "ok"
    assert fake_triage.calls == []


class TestWithTheRealTriageEngine:
    """The real rxplain.triage (written alongside this app): the phrases the check-in sends must reach it."""

    @pytest.fixture(autouse=True)
    def engine(self):
        pytest.importorskip("rxplain.triage", reason="the triage engine is not in this tree yet")

    def test_severe_headache_with_blurred_vision_is_urgent(self, rules):
        text = safety.checkin_text({"headache": 3, "vision": 2}, "", rules)
        screen = safety.screen(text, "isotretinoin")
        assert screen.verdict == "urgent" and screen.category == "pseudotumor-cerebri"

    def test_severe_stomach_pain_is_urgent(self, rules):
        assert safety.screen(safety.checkin_text({"stomach-pain": 3}, "", rules), "isotretinoin").verdict == "urgent"

    def test_mild_dryness_is_ok(self, rules):
        text = safety.checkin_text({"dry-lips": 1, "dry-skin": 1, "nosebleeds": 1}, "", rules)
        assert safety.screen(text, "isotretinoin").verdict == "ok"

    def test_suicidal_notes_are_a_crisis(self, rules):
        text = safety.checkin_text({}, "I keep thinking I want to kill myself", rules)
        assert safety.screen(text, "isotretinoin").verdict == "crisis"
