"""'Was this helpful?' on every article: the widget, the vote, and helpfulness per article for staff."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page

from rxplain.feedback.models import ArticleVote


@pytest.fixture
def article(db) -> Page:
    page = Page.objects.live().filter(depth__gte=4).order_by("path").first()  # an article below its hub
    assert page is not None, "the session's content pack should have published pages"
    return page


def vote(client, page: Page, helpful: str, comment: str = "", htmx: bool = False, next_url: str | None = None):
    data = {"page_id": page.id, "helpful": helpful, "comment": comment,
            "next": page.url if next_url is None else next_url}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("feedback:helpful"), data, headers=headers)


def test_the_widget_renders_for_a_page(article):
    request = RequestFactory().get(article.url)
    html = render_to_string("feedback/helpful_widget.html", {"page": article}, request=request)
    assert "Was this helpful?" in html
    assert f'name="page_id" value="{article.id}"' in html
    assert f'name="next" value="{article.url}"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'value="yes"' in html and 'value="no"' in html


def test_a_vote_is_recorded_and_the_reader_goes_back_to_the_article(client, article):
    response = vote(client, article, "no", comment="Too long")
    assert response.status_code == 302 and response["Location"] == article.url + "#was-this-helpful"
    saved = ArticleVote.objects.get()
    assert (saved.page_id, saved.page_url, saved.helpful, saved.comment) == (article.id, article.url, False, "Too long")
    assert saved.page_title == article.title


def test_htmx_vote_is_thanked_in_place(client, article):
    response = vote(client, article, "yes", htmx=True)
    assert response.status_code == 200
    assert b"Thank you for your feedback." in response.content and b"<html" not in response.content


def test_a_vote_without_yes_or_no_is_refused(client, article):
    assert vote(client, article, "maybe").status_code == 400
    assert not ArticleVote.objects.exists()


def test_a_vote_never_redirects_off_the_site(client, article):
    response = vote(client, article, "yes", next_url="https://evil.example/")
    assert response["Location"] == article.url + "#was-this-helpful"


def test_staff_see_helpfulness_per_article(staff, article):
    for helpful in ["yes", "yes", "yes", "no"]:
        vote(staff, article, helpful)
    html = staff.get(reverse("admin:feedback_articlevote_changelist")).content.decode()
    assert "Helpfulness per article" in html
    assert article.title in html
    assert "<td>3</td><td>1</td><td>4</td>" in html and "75%" in html
