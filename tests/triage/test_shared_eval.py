"""A few rows of the shared crisis data (../shared/eval), read at run time and never copied.

Skipped with a reason when shared/ is absent; under CI=true they must run, so absence is a failure there.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from rxplain.triage import verdict

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
TWEETS = SHARED / "crisis_twitter_suicidal" / "crisis_balanced_2000.csv"
SINGLE_POSTS = SHARED / "crisis_cssrs_reddit500" / "cssrs_single_post_users.csv"


def rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing under CI")
        pytest.skip(f"shared evaluation data not present at {path}")
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_most_tweets_labelled_crisis_are_a_crisis():
    crisis = [r["text"] for r in rows(TWEETS) if r["label"] == "crisis"][:300]
    flagged = sum(verdict(text).verdict == "crisis" for text in crisis)
    assert flagged / len(crisis) >= 0.8


def test_most_single_post_users_rated_at_risk_are_a_crisis():
    crisis = [r["text"] for r in rows(SINGLE_POSTS) if r["label"] == "crisis"]
    flagged = sum(verdict(text).verdict == "crisis" for text in crisis)
    assert crisis and flagged / len(crisis) >= 0.8
