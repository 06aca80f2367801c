"""The classifier's "urgent" named by the nearest red flag of the pack, the sure-in-a-window crisis, and the scope
and phrase fixes that came with them."""

from __future__ import annotations

import pytest

from rxplain.triage import Triage
from rxplain.triage.flagmatch import FlagMatcher
from rxplain.triage.learned import LearnedSignal
from rxplain.triage.redflags import load_red_flags
from tests.triage.test_learned import LetterEmbedder, constant, engine

SECOND_PACK = """
- id: gout-flare
  sign: A hot swollen big toe joint
  phrases: ["hot swollen toe", "big toe is swollen"]
  action: Call the prescriber today.
  level: urgent
  source: test pack
- id: hives
  sign: Hives all over
  phrases: ["hives everywhere"]
  action: Call 911.
  level: emergency
  source: test pack
"""


def leaning_urgent(probability: float, threshold: float = 0.5) -> LearnedSignal:
    signal = constant(0.0, urgent=probability)
    signal.thresholds["urgent"] = threshold
    return signal


def test_an_urgent_leaning_classifier_names_the_nearest_red_flag_and_gives_its_advice():
    triage = engine(leaning_urgent(0.9))
    result = triage.verdict("the sounds around me have gone odd lately")
    flags = {f.id: f for f in triage.flags}
    assert result.verdict == "urgent" and result.category in flags
    assert flags[result.category].level == "urgent"
    assert result.action == flags[result.category].action
    assert any(e.startswith("learned: urgent") for e in result.evidence)


def test_an_unsure_urgent_classifier_leaves_the_message_ok():
    assert engine(leaning_urgent(0.3)).verdict("the sounds around me have gone odd lately").verdict == "ok"


def test_the_urgent_classifier_is_off_when_its_threshold_is_missing():
    assert engine(constant(0.0, urgent=0.99)).verdict("the sounds around me have gone odd lately").verdict == "ok"


def test_the_urgent_classifier_does_not_overrule_words_the_rules_set_aside():
    signal = leaning_urgent(0.9)
    for message in ("im not suicidal , my ears ring a bit", "i used to think about suicide years ago"):
        result = engine(signal).verdict(message)
        assert not any(e.startswith("learned: urgent") for e in result.evidence), message


def test_the_flag_matcher_reads_a_second_medicine_pack_without_code(tmp_path):
    (tmp_path / "colchicine").mkdir()
    (tmp_path / "colchicine" / "red_flags.yaml").write_text(SECOND_PACK, encoding="utf-8")
    flags = load_red_flags(tmp_path)
    matcher = FlagMatcher(flags, LetterEmbedder())
    match = matcher.nearest(LetterEmbedder().embed(["my big toe is hot and swollen"])[0], "colchicine")
    assert match is not None and match.flag.id == "gout-flare"  # the emergency flag never takes part


def test_a_long_message_is_a_crisis_when_the_classifier_is_sure_in_its_window():
    message = ("so the course is going ok and the dryness is fine but lately everything feels grey and heavy and i "
               "keep wondering what the point of any of it is")
    assert engine(constant(0.95, crisis_window=0.9)).verdict(message).verdict == "crisis"
    assert engine(constant(0.85, crisis_window=0.9)).verdict(message).verdict == "urgent"


@pytest.mark.parametrize("message", [
    "is it possible to overdose on accutane?",
    "can't breathe through my nose because it's so dry",
    "is accutane toxic in overdose?",
])
def test_questions_about_risks_and_a_blocked_nose_are_not_crises(message):
    assert Triage(semantic=False, finetuned=False).verdict(message).verdict != "crisis"


def test_trouble_breathing_without_a_body_part_is_still_a_crisis():
    assert Triage(semantic=False, finetuned=False).verdict("i can't breathe and my lips are blue").verdict == "crisis"


@pytest.mark.parametrize(("message", "flag"), [
    ("everything sounds muffled since tuesday", "hearing-loss"),
    ("my muscles are so weak i can hardly walk", "muscle-weakness"),
    ("i've been crying every day since i started", "mood-change"),
    ("really bad pain in my stomach that goes to my back", "pancreatitis"),
    ("there is a faint second line on the test", "pregnancy"),
])
def test_everyday_wording_of_a_red_flag_is_read(message, flag):
    result = Triage(semantic=False, finetuned=False).verdict(message)
    assert (result.verdict, result.category) == ("urgent", flag)


def test_a_broken_condom_is_not_a_sign_of_pregnancy():
    assert Triage(semantic=False, finetuned=False).verdict("the condom broke last night").verdict == "ok"
