"""What a patient sees: every part of an article, the hub, the glossary, sitemap, search and 404."""

from __future__ import annotations

import json
import re

import pytest

from rxplain.library.models import ArticlePage

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> list:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_an_article_shows_every_part(client, article):
    html = client.get(article.url).content.decode()
    parsed = article.parsed
    assert f"<h1>{article.title}</h1>" in html
    assert "Published" in html and "Checked against sources" in html
    assert "awaiting clinician review" in html
    assert 'aria-labelledby="toc-heading"' in html
    for section in parsed.sections:
        assert f'id="{section.anchor}"' in html and f'href="#{section.anchor}"' in html
    assert html.count("<details>") == len(parsed.faq) >= 5
    assert html.count('<li id="ref-') == len(parsed.references) >= 3
    assert "Start a consultation — free, 24/7, 15 minutes" in html
    assert "not medical advice" in html
    assert 'class="related"' in html
    assert f'<meta name="description" content="{article.summary}">' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/isotretinoin/how-isotretinoin-works/">' in html


def test_json_ld_has_the_required_types_and_keys(client, article):
    data = json_ld(client.get(article.url).content.decode())
    by_type = {item["@type"]: item for item in data}
    assert set(by_type) == {"MedicalWebPage", "FAQPage", "Drug"}
    page = by_type["MedicalWebPage"]
    assert {"name", "url", "description", "dateModified", "citation"} <= set(page)
    assert "reviewedBy" not in page and "lastReviewed" not in page  # nobody has reviewed it: claim nothing
    questions = by_type["FAQPage"]["mainEntity"]
    assert questions and all(q["acceptedAnswer"]["text"] for q in questions)
    assert "Absorica" in by_type["Drug"]["alternateName"]


def test_inline_citations_link_to_numbered_references(client, article):
    html = client.get(article.url).content.decode()
    assert re.search(r'<sup class="cite">\[<a href="#ref-1"[^>]*>1</a>', html)


def test_the_hub_defines_key_terms_in_place_and_lists_article_cards(client):
    html = client.get("/isotretinoin/").content.decode()
    assert re.search(r'<a class="term" href="/isotretinoin/glossary/#retinoid"[^>]*>retinoid</a><span class="term-def">',
                     html)
    assert html.count('class="card"') == ArticlePage.objects.live().count()
    assert 'data-review-status="awaiting"' in html and "awaiting clinician review" in html
    assert html.count(">Read more</a>") >= 10


def test_the_glossary_lists_every_term_with_an_anchor(client):
    html = client.get("/isotretinoin/glossary/").content.decode()
    for slug in ("retinoid", "cheilitis", "ipledge", "tretinoin", "phq-9", "pseudotumor-cerebri"):
        assert f'<dt id="{slug}">' in html


def test_the_sitemap_lists_every_article(client, article):
    xml = client.get("/sitemap.xml").content.decode()
    assert xml.count("<url>") >= 12
    assert "/isotretinoin/how-isotretinoin-works/" in xml


def test_an_unknown_url_gets_a_friendly_404(client):
    response = client.get("/isotretinoin/no-such-article/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


@pytest.mark.parametrize("query", ["cheilitis", "iPLEDGE", "accutane"])
def test_site_search_finds_articles(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert re.search(r"[1-9]\d* results? for", html), html[:500]


def test_a_huge_search_query_gets_a_clear_message(client):
    response = client.get("/search/", {"q": "isotretinoin " * 5000})
    assert response.status_code == 400
    assert "shorter search" in response.content.decode()


def test_user_text_in_search_is_escaped(client):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
