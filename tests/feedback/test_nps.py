"""The NPS survey after a visit, and its arithmetic: % promoters (9-10) minus % detractors (0-6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rxplain.feedback.models import NpsResponse
from rxplain.feedback.nps import NpsSummary, summarise, summarise_queryset
from tests.consult.helpers import send, start_visit

QUESTION = "How likely are you to recommend Rxplain to a friend or family member?"


def test_nps_is_promoters_minus_detractors_as_a_percentage():
    summary = summarise([10, 9, 9, 8, 7, 6, 5, 0, 10, 3])
    assert (summary.promoters, summary.passives, summary.detractors) == (4, 2, 4)
    assert summary.total == 10
    assert summary.score == 0


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10, 10, 10], 100),
        ([0, 6, 3], -100),
        ([7, 8], 0),
        ([9, 9, 9, 6], 50),  # 3/4 promoters - 1/4 detractors
        ([10, 7, 2], 0),
        ([9, 8, 8], pytest.approx(33.333, abs=0.01)),
    ],
)
def test_nps_arithmetic(scores, expected):
    assert summarise(scores).score == expected


def test_the_boundaries_are_6_7_8_9():
    assert summarise([6]) == NpsSummary(0, 0, 1)
    assert summarise([7]) == NpsSummary(0, 1, 0)
    assert summarise([8]) == NpsSummary(0, 1, 0)
    assert summarise([9]) == NpsSummary(1, 0, 0)


def test_no_answers_has_no_score():
    assert summarise([]).score is None


def test_scores_outside_0_to_10_are_refused():
    with pytest.raises(ValueError):
        summarise([11])


def test_the_database_sum_matches_the_plain_one(db):
    scores = [10, 9, 8, 7, 6, 0, 10, 4]
    NpsResponse.objects.bulk_create([NpsResponse(score=s) for s in scores])
    assert summarise_queryset(NpsResponse.objects.all()) == summarise(scores)


def test_the_survey_follows_a_visit_and_is_saved_with_it(patient):
    visit = start_visit(patient)
    send(patient, visit, "Why are my lips so dry?")
    summary = patient.get(reverse("consult:summary", kwargs={"visit_id": visit.public_id})).content.decode()
    assert QUESTION in summary
    response = patient.post(reverse("feedback:start"), {"score": "9", "comment": "Clear answers", "visit": visit.public_id})
    assert response.status_code == 302 and response["Location"] == reverse("feedback:thanks")
    answer = NpsResponse.objects.get()
    assert (answer.score, answer.comment, answer.visit) == (9, "Clear answers", visit)
    again = patient.get(reverse("consult:summary", kwargs={"visit_id": visit.public_id})).content.decode()
    assert QUESTION not in again  # asked once per visit


def test_the_comment_is_optional(patient):
    response = patient.post(reverse("feedback:start"), {"score": "0"})
    assert response.status_code == 302
    assert NpsResponse.objects.get().comment == ""


@pytest.mark.parametrize("score", ["11", "-1", "", "ten"])
def test_the_survey_refuses_scores_outside_0_to_10(patient, score):
    response = patient.post(reverse("feedback:start"), {"score": score})
    assert response.status_code == 400
    assert not NpsResponse.objects.exists()


def test_a_stranger_cannot_attach_an_answer_to_someone_elses_visit(patient, stranger):
    visit = start_visit(patient)
    stranger.post(reverse("feedback:start"), {"score": "0", "visit": visit.public_id})
    assert NpsResponse.objects.get().visit is None


def test_the_survey_is_not_asked_after_a_crisis(patient):
    visit = start_visit(patient)
    send(patient, visit, "I want to kill myself")
    summary = patient.get(reverse("consult:summary", kwargs={"visit_id": visit.public_id})).content.decode()
    assert QUESTION not in summary
    assert 'href="tel:988"' in summary


def test_the_survey_page_works_on_its_own(patient):
    response = patient.get(reverse("feedback:start"))
    assert response.status_code == 200 and QUESTION in response.content.decode()
    assert response.content.decode().count('type="radio"') == 11


def test_htmx_survey_answer_is_thanked_in_place(patient):
    response = patient.post(reverse("feedback:start"), {"score": "10"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"Thank you" in response.content and b"<html" not in response.content


def test_staff_see_the_nps_with_its_counts_in_the_admin(staff):
    NpsResponse.objects.bulk_create([NpsResponse(score=s) for s in [10, 9, 9, 8, 2]])
    html = " ".join(staff.get(reverse("admin:feedback_npsresponse_changelist")).content.decode().split())
    assert "NPS 40" in html  # 3/5 promoters - 1/5 detractors
    assert "5 answers: 3 promoters (9–10), 1 passive (7–8), 1 detractor (0–6)." in html
    assert "100 × (3 − 1) / 5" in html


def test_the_admin_nps_follows_the_filter(staff):
    NpsResponse.objects.bulk_create([NpsResponse(score=s) for s in [10, 2, 2]])
    html = staff.get(reverse("admin:feedback_npsresponse_changelist") + "?score=10").content.decode()
    assert "NPS 100" in html


def test_a_garbled_visit_id_is_ignored(patient):
    response = patient.post(reverse("feedback:start"), {"score": "8", "visit": "not-a-uuid"})
    assert response.status_code == 302
    assert NpsResponse.objects.get().visit is None
