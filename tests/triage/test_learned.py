"""The learned signal: a softmax classifier over the message's MiniLM vector, combined with the rules for safety."""

from __future__ import annotations

import numpy as np
import pytest

from rxplain.triage import Triage
from rxplain.triage.learned import CLASSES, WEIGHTS, LearnedSignal, softmax_fit
from rxplain.triage.text import prepare


@pytest.fixture(scope="module")
def triage():
    """The engine with the linear signal this module specifies (the fine-tuned model replaces it by default)."""
    engine = Triage(finetuned=False)
    if engine.semantic is None:
        pytest.skip("the MiniLM model package is not installed")
    return engine


class LetterEmbedder:
    """A stand-in model (a bag of letters), so combination tests do not depend on what MiniLM makes of a text."""

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text:
                vectors[row, ord(char) % 384] += 1
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)


def constant(suicide: float, emergency: float = 0.0, urgent: float = 0.0, **thresholds: float) -> LearnedSignal:
    """A classifier that gives every message the same probabilities (zero weights, the bias as log-odds)."""
    probabilities = np.array([1.0 - suicide - emergency - urgent, urgent, suicide, emergency])
    bias = np.log(np.clip(probabilities, 1e-9, None))
    limits = {"crisis": 0.6, "crisis_set_aside": 0.99, **thresholds}
    return LearnedSignal(np.zeros((384, len(CLASSES)), dtype=np.float32), bias, limits)


def engine(signal: LearnedSignal | None) -> Triage:
    return Triage(embedder=LetterEmbedder(), learned=signal if signal is not None else False, finetuned=False)


def test_a_sure_classifier_calls_a_crisis_that_no_rule_sees():
    message = "i keep picturing how quiet everything would be without me"
    assert engine(None).verdict(message).verdict != "crisis"  # the stand-in prototypes and the rules miss it
    result = engine(constant(0.9)).verdict(message)
    assert (result.verdict, result.category) == ("crisis", "suicide_self_harm")
    assert any(e.startswith("learned: suicide") for e in result.evidence)


def test_an_unsure_classifier_leaves_the_verdict_to_the_rules():
    assert engine(constant(0.5)).verdict("what moisturiser should i use").verdict == "ok"


def test_crisis_words_the_rules_explained_away_need_a_far_surer_classifier():
    for message in ("im not suicidal , just tired of dry lips", "i used to think about suicide years ago",
                    'the song lyric says "i want to die" lol', "can accutane cause suicidal thoughts?"):
        assert engine(constant(0.95)).verdict(message).verdict != "crisis", message
        assert engine(constant(0.995)).verdict(message).verdict == "crisis", message


def test_a_red_flag_keeps_its_advice_when_the_classifier_leans_to_an_emergency():
    # Blood in the stool is the pack's urgent red flag; a classifier leaning to "emergency" must not send it to 911
    # unless it is as sure as it must be to overrule the rules.
    result = engine(constant(0.0, emergency=0.9)).verdict("there is blood in my stool")
    assert (result.verdict, result.category) == ("urgent", "bowel-bleeding")


def test_the_crisis_category_follows_the_larger_crisis_class():
    result = engine(constant(0.1, emergency=0.8)).verdict("everything is spinning and going dark")
    assert (result.verdict, result.category) == ("crisis", "medical_emergency")


def test_the_evidence_names_the_signal_never_the_message():
    message = "zebra unicorn marmalade"
    result = engine(constant(0.9)).verdict(message)
    assert all(word not in " ".join(result.evidence) for word in message.split())


def test_a_vector_from_another_model_gives_no_opinion():
    assert constant(0.9).probabilities(np.ones(512)) is None
    assert constant(0.9).probabilities(np.full(384, np.nan)) is None


def test_weights_survive_a_save_and_load_round_trip(tmp_path):
    signal = constant(0.3, emergency=0.2, crisis=0.7, crisis_set_aside=0.95)
    path = tmp_path / "classifier.npz"
    signal.save(path)
    loaded = LearnedSignal.load(path)
    assert loaded is not None and loaded.thresholds == signal.thresholds
    vector = LetterEmbedder().embed(["anything"])[0]
    assert loaded.probabilities(vector) == signal.probabilities(vector)


def test_a_missing_or_malformed_weights_file_turns_the_signal_off_and_the_rules_still_decide(tmp_path):
    assert LearnedSignal.load(tmp_path / "absent.npz") is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy archive")
    assert LearnedSignal.load(broken) is None
    np.savez(tmp_path / "wrong.npz", weights=np.zeros((384, 3)), bias=np.zeros(3))
    assert LearnedSignal.load(tmp_path / "wrong.npz") is None
    assert engine(None).verdict("I want to die").verdict == "crisis"


def test_training_separates_a_toy_problem_reproducibly():
    rng = np.random.default_rng(0)
    centres = np.eye(384, dtype=np.float32)[:4] * 3
    y = np.repeat(np.arange(4), 25)
    x = centres[y] + rng.normal(0, 0.3, (100, 384)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    w, b = softmax_fit(x, y, l2=1e-3)
    assert np.mean(np.argmax(x @ w + b, axis=1) == y) == 1.0
    w2, b2 = softmax_fit(x, y, l2=1e-3)
    assert np.array_equal(w, w2) and np.array_equal(b, b2)


def test_the_shipped_weights_are_small_package_data_with_thresholds_for_safety():
    assert WEIGHTS.exists() and WEIGHTS.stat().st_size < 64 * 1024
    signal = LearnedSignal.load()
    assert signal is not None
    # Explained-away crisis words must never need less certainty than a plain message.
    assert 0 < signal.thresholds["crisis"] <= signal.thresholds["crisis_set_aside"] <= 1


@pytest.mark.parametrize("message", [
    "i wont be needing my next refill, i have decided how im leaving",
    "nobody will have to put up with me much longer, i've made sure of it",
])
def test_the_shipped_classifier_reads_a_crisis_without_crisis_words(triage, message):
    assert triage.learned is not None
    probabilities = triage.learned.probabilities(triage.semantic.embed(prepare(message, triage.lexicon.speller)))
    assert probabilities is not None and probabilities.crisis_category == "suicide"
    assert triage.verdict(message).verdict == "crisis"


@pytest.mark.parametrize("message", ["can i use retinol after my course ends", "my lips are so dry they crack"])
def test_the_shipped_classifier_leaves_ordinary_questions_alone(triage, message):
    probabilities = triage.learned.probabilities(triage.semantic.embed(prepare(message, triage.lexicon.speller)))
    assert probabilities.crisis < triage.learned.thresholds["crisis"]
    assert triage.verdict(message).verdict == "ok"


def test_a_long_message_read_through_a_window_is_only_a_worrying_sign_for_the_classifier():
    # Over 16 words, the model reads the most crisis-dense window; the classifier alone then shows the crisis
    # resources without ending the consultation, and a second sign (an earlier turn) makes it a crisis.
    message = ("so the course is going ok and the dryness is fine but lately everything feels grey and heavy and i "
               "keep wondering what the point of any of it is")
    alone = engine(constant(0.9)).verdict(message)
    assert alone.verdict == "urgent" and {r.number for r in alone.resources} >= {"988", "911"}
    assert engine(constant(0.9)).verdict(message, history=["i cant do this anymore"]).verdict == "crisis"
