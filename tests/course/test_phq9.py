"""PHQ-9 scoring and bands (facts file §3.3)."""

import pytest

from rxplain.course import phq9


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe"),
])
def test_it_puts_each_total_in_its_band(total, band):
    assert phq9.band(total) == band


def test_the_score_is_the_sum_of_the_nine_answers():
    result = phq9.score([1, 2, 0, 3, 1, 0, 2, 1, 0])
    assert result.total == 10 and result.band == "moderate" and not result.crisis


def test_any_answer_above_0_on_item_9_is_a_crisis_whatever_the_total():
    result = phq9.score([0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.total == 1 and result.band == "minimal"
    assert result.crisis


def test_item_9_at_0_is_not_a_crisis_even_when_severe():
    assert not phq9.score([3, 3, 3, 3, 3, 3, 3, 3, 0]).crisis


@pytest.mark.parametrize("answers", [[0] * 8, [0] * 10, [0] * 8 + [4], [0] * 8 + [-1], [0] * 8 + [True], ["1"] * 9])
def test_it_refuses_answers_that_are_not_nine_whole_numbers_from_0_to_3(answers):
    with pytest.raises(ValueError):
        phq9.score(answers)


def test_a_total_out_of_range_has_no_band():
    with pytest.raises(ValueError):
        phq9.band(28)


def test_there_are_nine_items_and_item_9_asks_about_self_harm():
    assert len(phq9.ITEMS) == 9
    assert "hurting yourself" in phq9.ITEMS[8]
