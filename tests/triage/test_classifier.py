"""The fine-tuned classifier: what it reads of a message, how the verdict uses it, and the shipped model itself."""

from __future__ import annotations

import pytest

from rxplain.triage.classifier import MAX_PIECES, MODEL_FILE, FineTunedSignal, Reading, classifier_text, piece_counter
from rxplain.triage.learned import Probabilities
from rxplain.triage.text import prepare
from rxplain.triage.verdict import Triage

FILLER = "my skin has been so dry and i keep putting lotion on it every morning before school and after dinner "


class FixedReading:
    """A stand-in model that gives every message the same probabilities."""

    def __init__(self, ok: float, urgent: float, suicide: float, emergency: float, whole: bool = True,
                 **thresholds: float) -> None:
        self.reading = Reading(Probabilities(ok, urgent, suicide, emergency), whole)
        self.thresholds = {"crisis": 0.5, "crisis_set_aside": 0.9, "urgent": 0.6, "crisis_window": 0.9,
                           **thresholds}
        self.read_texts: list[str] = []

    def read(self, text: str) -> Reading:
        self.read_texts.append(text)
        return self.reading


@pytest.fixture(scope="module")
def pieces():
    return piece_counter()


def test_a_short_message_is_read_whole(pieces):
    assert classifier_text("i cant do this anymore", pieces) == "i cant do this anymore"


def test_a_long_message_is_read_through_the_window_that_holds_the_crisis_words(pieces):
    text = FILLER * 6 + "i want to kill myself tonight " + FILLER * 6
    chosen = classifier_text(text, pieces)
    assert "kill myself" in chosen
    assert len(pieces.encode(chosen, add_special_tokens=False).ids) <= MAX_PIECES


def test_the_classifier_alone_can_call_a_crisis_no_rule_saw():
    model = FixedReading(0.02, 0.02, 0.94, 0.02)
    result = Triage(semantic=False, finetuned=model).verdict("the cat is fed and the letters are written")
    assert result.verdict == "crisis" and result.category == "suicide_self_harm"
    assert any(e.startswith("learned: suicide") for e in result.evidence)
    assert model.read_texts == [prepare("the cat is fed and the letters are written").text]


def test_words_the_rules_explained_away_need_a_surer_classifier():
    unsure = Triage(semantic=False, finetuned=FixedReading(0.3, 0.0, 0.7, 0.0))
    assert unsure.verdict("im not suicidal, just tired of dry lips").verdict != "crisis"
    sure = Triage(semantic=False, finetuned=FixedReading(0.02, 0.0, 0.97, 0.01))
    assert sure.verdict("im not suicidal, just tired of dry lips").verdict == "crisis"


def test_a_long_message_read_through_a_window_is_a_crisis_only_when_the_classifier_is_sure():
    message = FILLER * 8
    assert Triage(semantic=False, finetuned=FixedReading(0.3, 0.0, 0.7, 0.0, whole=False)).verdict(
        message).verdict != "crisis"
    assert Triage(semantic=False, finetuned=FixedReading(0.02, 0.0, 0.97, 0.01, whole=False)).verdict(
        message).verdict == "crisis"


def test_a_harmless_reading_leaves_the_verdict_to_the_rules():
    triage = Triage(semantic=False, finetuned=FixedReading(0.97, 0.01, 0.01, 0.01))
    assert triage.verdict("how long until my lips stop peeling").verdict == "ok"
    assert triage.verdict("I want to die").verdict == "crisis"  # the lexicon still decides on its own


def test_crisis_words_the_classifier_reads_as_harmless_keep_the_visit_open_with_the_resources_shown():
    triage = Triage(semantic=False, finetuned=FixedReading(0.97, 0.01, 0.01, 0.01, veto=0.15))
    result = triage.verdict("i ran out of lip balm and i want to die")
    assert (result.verdict, result.category) == ("urgent", "emotional_distress")
    assert {r.number for r in result.resources} >= {"911", "988"}
    assert any(e.startswith("fine-tuned: reads as no crisis") for e in result.evidence)
    emergency = triage.verdict("my nose is so dry i cant breathe")
    assert emergency.verdict == "urgent" and "911" in emergency.action


def test_the_veto_needs_a_sure_classifier_and_the_whole_message():
    unsure = Triage(semantic=False, finetuned=FixedReading(0.8, 0.0, 0.2, 0.0, veto=0.15))
    assert unsure.verdict("i want to die").verdict == "crisis"
    windowed = Triage(semantic=False, finetuned=FixedReading(0.99, 0.0, 0.01, 0.0, whole=False, veto=0.15))
    assert windowed.verdict(FILLER * 6 + "i want to die " + FILLER * 6).verdict == "crisis"


def test_a_long_messages_window_reading_is_left_to_the_rules_when_the_settings_say_so():
    model = FixedReading(0.01, 0.0, 0.99, 0.0, whole=False, crisis_window=1.01, concern_window=1.01)
    assert Triage(semantic=False, finetuned=model).verdict(FILLER * 8).verdict == "ok"


def test_without_the_model_file_the_signal_is_off_and_the_triage_still_works(tmp_path):
    assert FineTunedSignal.load(tmp_path / "absent.onnx", tmp_path / "absent.json") is None
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert FineTunedSignal.load(tmp_path / "absent.onnx", tmp_path / "broken.json") is None
    assert Triage(semantic=False, finetuned=False).verdict("i want to end my life").verdict == "crisis"


@pytest.fixture(scope="module")
def shipped() -> FineTunedSignal:
    if not MODEL_FILE.exists():
        pytest.skip("no fine-tuned triage model shipped")
    signal = FineTunedSignal.load()
    assert signal is not None
    return signal


@pytest.mark.parametrize("message", [
    "i have been saving my pills and tonight i am going to take them all",
    "nobody would even notice if i was gone, i already gave my dog away",
])
def test_the_shipped_model_reads_suicidal_intent_without_the_usual_words(shipped, message):
    reading = shipped.read(prepare(message).text)
    assert reading is not None and reading.probabilities.suicide > 0.5


@pytest.mark.parametrize("message", [
    "can accutane cause suicidal thoughts?",
    "this acne is literally killing me lol",
    "I was depressed years ago, is it safe for me to start isotretinoin?",
])
def test_the_shipped_model_reads_questions_idioms_and_history_as_harmless(shipped, message):
    reading = shipped.read(prepare(message).text)
    assert reading is not None and reading.probabilities.crisis < 0.5


def test_the_shipped_models_probabilities_sum_to_one(shipped):
    p = shipped.read(prepare("my throat is closing up and i cant breathe").text).probabilities
    assert abs(p.ok + p.urgent + p.suicide + p.emergency - 1.0) < 1e-3
    assert p.emergency > 0.5


def test_a_told_act_of_self_harm_is_a_crisis_even_when_the_classifier_reads_it_as_harmless():
    lenient = Triage(semantic=False, finetuned=FixedReading(0.9, 0.05, 0.03, 0.02, veto=0.3))
    result = lenient.verdict("I cut my arms again last night, does accutane make cuts heal slower?")
    assert (result.verdict, result.category) == ("crisis", "suicide_self_harm")
    assert lenient.verdict("i ran out of lip balm and i want to die lol").verdict == "urgent"  # the veto still holds
