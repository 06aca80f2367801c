"""schema.org JSON-LD for article pages: MedicalWebPage, FAQPage and Drug."""

from __future__ import annotations

import json

from rxplain.library.models import ArticlePage, ReviewStatus


def article_json_ld(page: ArticlePage, absolute_url: str) -> list[dict]:
    article = page.parsed
    status = page.review_status()
    names = (page.hub.names if page.hub else {}) or {}
    webpage: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "headline": page.title,
        "description": page.summary,
        "url": absolute_url,
        "inLanguage": "en-US",
        "datePublished": page.first_published_at.date().isoformat() if page.first_published_at else None,
        "dateModified": page.last_published_at.date().isoformat() if page.last_published_at else None,
        "audience": {"@type": "PeopleAudience", "audienceType": "Patient"},
        "citation": [ref.text for ref in article.references],
        "about": {"@type": "Drug", "name": names.get("generic", page.medicine)},
    }
    # Only a real, current clinical review is stated; "awaiting" pages carry no review claim at all.
    if status.state == ReviewStatus.REVIEWED and status.review:
        webpage["lastReviewed"] = status.review.reviewed_at.date().isoformat()
        webpage["reviewedBy"] = {"@type": "Person", "name": status.review.reviewer_name,
                                 "description": status.review.reviewer_credentials}
    faq = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": item.question,
             "acceptedAnswer": {"@type": "Answer", "text": item.answer}}
            for item in article.faq
        ],
    }
    drug = {
        "@context": "https://schema.org",
        "@type": "Drug",
        "name": names.get("generic", page.medicine),
        "nonProprietaryName": names.get("generic", page.medicine),
        "alternateName": list(names.get("brands") or []),
        "url": absolute_url,
    }
    return [{k: v for k, v in webpage.items() if v is not None}, faq, drug]


def dumps_for_script(data: object) -> str:
    """JSON safe to place inside <script type="application/ld+json">: '<' is escaped so text cannot close it."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

