"""Reading grade of patient text (textstat's Flesch-Kincaid grade; guidance, not a gate on single articles)."""

from __future__ import annotations

import statistics

import textstat

from rxplain.library.pack import Article, plain_text

TARGET_GRADE = 8.0


def article_grade(article: Article) -> float:
    """Grade of what a patient reads: sections and FAQ, not the reference list (citations skew the count)."""
    text = "\n".join(s.markdown for s in article.sections) + "\n" + "\n".join(
        f"{f.question}\n{f.answer}" for f in article.faq
    )
    return round(float(textstat.flesch_kincaid_grade(plain_text(text))), 1)


def median_grade(grades: list[float]) -> float:
    return round(statistics.median(grades), 1) if grades else 0.0
