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
    verdicts = [verdict(text) for text in crisis]
    flagged = sum(v.verdict == "crisis" for v in verdicts)
    helped = sum(v.verdict == "crisis" or any(r.number == "988" for r in v.resources) for v in verdicts)
    # The fine-tuned triage lets the classifier keep a visit open where it reads the rules' crisis words as harmless
    # (the veto), with 988 and 911 still on screen: that moved some of these noisily labelled tweets ("cheers! now
    # feeling suicidal 😂") from crisis to urgent. Was >= 0.8 crisis before it (0.79 when it shipped).
    assert flagged / len(crisis) >= 0.75
    assert helped / len(crisis) >= 0.9


def test_single_post_users_rated_at_risk_are_flagged_far_more_often_than_the_others():
    # Labels are the user's Columbia rating, not the post's, so not every at-risk post states a risk.
    data = rows(SINGLE_POSTS)
    at_risk = [verdict(r["text"]).verdict == "crisis" for r in data if r["label"] == "crisis"]
    others = [verdict(r["text"]).verdict == "crisis" for r in data if r["label"] != "crisis"]
    at_risk_rate, other_rate = sum(at_risk) / len(at_risk), sum(others) / len(others)
    assert at_risk_rate >= 0.4
    # Was 2x with the rules and the linear signal, which flagged fewer of either. The fine-tuned classifier flags
    # more posts on a suicide forum as a crisis, at risk or not (0.63 against 0.38 when it shipped): what this
    # pins is that it still tells them apart clearly. The trade-off is reported with the figures.
    assert at_risk_rate >= 1.5 * other_rate
