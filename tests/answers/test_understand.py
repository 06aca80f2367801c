"""Medicine names from the pack (with typos), the question's intent, and what is not ours to answer."""

from __future__ import annotations

import pytest

from rxplain.answers.understand import Understander, classify_intents, clean, edit_distance, foreign_words

from .conftest import MEDICINE


@pytest.fixture(scope="module")
def understander():
    return Understander(
        [MEDICINE | {"brands": ["Absorica", "Absorica LD", "Amnesteem", "Claravis", "Myorisan", "Zenatane",
                                "Accutane"], "misspellings": ["acutane", "accutaine", "isotretinion"]}],
        covered=["doxycycline", "tretinoin", "diabetes"],
        known_words=["tretinoin", "accurate", "alcohol", "drink", "pregnant"],
        defined={"tretinoin": "Tretinoin", "retin-a": "Tretinoin"},
    )


@pytest.mark.parametrize("question", [
    "can i drink on Accutane", "absorica and alcohol", "CLARAVIS side effects", "amnesteem dose",
    "myorisan and the sun", "Zenatane cost", "acutane side effects", "isotretinion and pregnancy",
    "accutaine results", "is absorica ld different", "does claravus dry your lips",
])
def test_misspelled_brand_is_recognised_as_isotretinoin(understander, question):
    assert understander.understand(question).medicine == "isotretinoin"


def test_medicine_names_come_from_the_pack_not_from_code():
    other = Understander([{"slug": "zorblax", "generic": "zorblaxine", "brands": ["Zorbo"], "misspellings": []}])
    assert other.understand("can I take zorbo at night").medicine == "zorblax"
    assert other.understand("zorblaxone side effects").medicine == "zorblax"  # one typo in a long name
    assert other.understand("can I take accutane at night").medicine is None


@pytest.mark.parametrize("question", ["is this accurate", "tretinoin cream", "acetone on my skin", "absolutely"])
def test_ordinary_words_and_other_retinoids_are_not_mistaken_for_the_medicine(understander, question):
    assert understander.understand(question).medicine is None


def test_the_medicine_name_is_left_out_of_what_retrieval_searches(understander):
    u = understander.understand("what are the side effects of acutane")
    assert u.medicine_name == "isotretinoin"
    assert "isotretinoin" in u.search_text and "acutane" not in u.search_text
    assert "isotretinoin" not in u.topic_text and "side effects" in u.topic_text
    # but a question that is only the name keeps it
    assert understander.understand("accutane?").topic_text.startswith("accutane")


@pytest.mark.parametrize(("question", "intent"), [
    ("what are the side effects", "side_effects"),
    ("how many mg should I take", "dosing"),
    ("how long does the course last", "duration"),
    ("can I take it with other medications", "interactions"),
    ("can I have a beer", "alcohol"),
    ("do I need two kinds of birth control", "pregnancy"),
    ("why do I need blood work", "labs"),
    ("I forgot my pill yesterday", "missed_dose"),
    ("how much does it cost without insurance", "cost"),
    ("is it stronger than creams", "comparison"),
    ("will my acne come back after the course", "after_treatment"),
    ("I feel depressed", "mental_health"),
    ("which moisturizer and sunscreen should I use", "skin_care"),
    ("can I go to the gym", "lifestyle"),
])
def test_question_intent_is_recognised(question, intent):
    assert classify_intents(question)[0] == intent


def test_how_long_until_pregnancy_is_about_pregnancy_not_duration():
    assert classify_intents("how long after stopping can I get pregnant")[0] == "pregnancy"


def test_other_medicines_are_detected_by_name_and_by_drug_name_ending(understander):
    assert understander.understand("metformin dose").other_medicines == ("metformin",)
    assert understander.understand("lisinopril and accutane").other_medicines == ("lisinopril",)
    assert understander.understand("what is rivastigmine for").other_medicines == ("rivastigmine",)
    assert understander.understand("what is zorbafloxacin").other_medicines == ("zorbafloxacin",)
    assert understander.understand("can i drink on accutane").other_medicines == ()


def test_conditions_our_content_does_not_mention_are_detected(understander):
    assert understander.understand("symptoms of high blood pressure").conditions == ("high blood pressure",)
    assert understander.understand("can I take it if I have diabetes").conditions == ()  # we mention diabetes


def test_covered_and_defined_names_are_known(understander):
    assert understander.covers("doxycycline")
    assert understander.covers("Retin A")  # "retin-a" written another way
    assert not understander.covers("metformin")


def test_a_glossary_alias_brings_its_term_into_the_search(understander):
    u = understander.understand("is retin a the same as accutane")
    assert "Tretinoin" in u.topic_text


def test_cleaning_removes_scripts_tags_and_control_characters():
    assert clean("<script>alert(1)</script>Can I <b>drink</b>?\x00\x07") == "Can I drink ?"
    assert clean(None) == ""
    assert clean(b"caf\xc3\xa9") == "café"
    assert len(clean("a" * 100_000)) == 2000


def test_together_cues_mark_a_question_about_two_medicines(understander):
    assert understander.understand("can i take doxycycline with it").asks_together
    assert not understander.understand("doxycycline side effects").asks_together


def test_edit_distance_counts_a_swap_once():
    assert edit_distance("isotretinion", "isotretinoin") == 1
    assert edit_distance("acutane", "accutane") == 1
    assert edit_distance("accurate", "accutane") == 2


def test_long_words_that_are_neither_ours_nor_english_look_like_medicine_names():
    known = {"effects", "side", "moisturizer"}
    assert foreign_words(["fluorouracil", "tattoo", "sideeffects", "moisturizer"], known) == ["fluorouracil"]
