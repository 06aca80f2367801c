"""Honest medical review: only clinical reviewers approve; pages never claim a review that did not happen."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from rxplain.library.models import ClinicalReview, ReviewStatus

pytestmark = pytest.mark.django_db


def submit_for_review(page, user):
    page.title = page.title + " (edited)"
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def test_shipped_pages_say_awaiting_clinician_review(client, article):
    assert article.review_status().state == ReviewStatus.AWAITING
    html = client.get(article.url).content.decode()
    assert f"Checked against its sources on {article.checked_on:%B %-d, %Y}; awaiting clinician review" in html
    assert "Medically reviewed by" not in html


def test_editors_cannot_publish_but_reviewers_can(article, editor, reviewer):
    assert article.permissions_for_user(editor).can_edit()
    assert not article.permissions_for_user(editor).can_publish()
    assert article.permissions_for_user(reviewer).can_publish()


def test_pages_go_through_the_clinical_review_workflow(article):
    assert article.get_workflow().name == "Clinical review"


def test_an_editor_cannot_approve_a_review_task(article, editor):
    state = submit_for_review(article, editor)
    task = state.current_task_state.task.specific
    assert task.get_actions(article, editor) == []


def test_a_reviewers_approval_publishes_and_shows_their_name(client, article, editor, reviewer):
    state = submit_for_review(article, editor)
    state.current_task_state.approve(user=reviewer)
    article.refresh_from_db()
    assert article.title.endswith("(edited)")  # approval published the submitted revision
    review = ClinicalReview.objects.get(page=article)
    assert review.revision_id == article.live_revision_id
    html = client.get(article.url).content.decode()
    assert f"Medically reviewed by Dr Ana Ruiz, MD, dermatologist, on {timezone.now():%B %-d, %Y}" in html
    assert "awaiting clinician review" not in html


def test_a_new_unreviewed_revision_goes_back_to_awaiting(article, editor, reviewer):
    submit_for_review(article, editor).current_task_state.approve(user=reviewer)
    article.refresh_from_db()
    article.save_revision().publish()  # e.g. a pack reload by an administrator
    article.refresh_from_db()
    assert article.review_status().state == ReviewStatus.AWAITING


def test_a_review_expires_after_twelve_months(client, article, editor, reviewer):
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        submit_for_review(article, editor).current_task_state.approve(user=reviewer)
    article.refresh_from_db()
    with time_machine.travel(dt.datetime(2027, 1, 9, 12, tzinfo=dt.UTC)):
        assert article.review_status().state == ReviewStatus.REVIEWED
    with time_machine.travel(dt.datetime(2027, 1, 11, 12, tzinfo=dt.UTC)):
        assert article.review_status().state == ReviewStatus.EXPIRED
        html = client.get(article.url).content.decode()
        assert "expired on January 10, 2027" in html and "Medically reviewed by" not in html
        out = io.StringIO()
        call_command("content_status", stdout=out)
        assert "REVIEW EXPIRED on 2027-01-10" in out.getvalue()


def test_content_status_prints_reading_grades_and_the_median(article):
    out = io.StringIO()
    call_command("content_status", stdout=out)
    text = out.getvalue()
    assert "/isotretinoin/how-isotretinoin-works/" in text
    assert "awaiting clinician review" in text
    assert "median reading grade" in text
