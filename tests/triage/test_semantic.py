"""The embedding signal: nearest crisis prototype against the nearest harmless look-alike, with bounded work."""

from __future__ import annotations

import numpy as np
import pytest

from rxplain.triage.semantic import WINDOW_WORDS, SemanticSignal, window
from rxplain.triage.text import prepare


class CountingEmbedder:
    """A stand-in model: a bag of letters, so tests can check what the signal embeds and how much."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text:
                vectors[row, ord(char) % 384] += 1
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.clip(norms, 1e-9, None)


@pytest.fixture(scope="module")
def triage():
    """The engine with the prototype signal this module specifies (the fine-tuned model replaces it by default)."""
    from rxplain.triage.verdict import Triage

    engine = Triage(finetuned=False)
    if engine.semantic is None:
        pytest.skip("the MiniLM model package is not installed")
    return engine


def test_short_message_is_embedded_whole():
    assert window("i cant do this anymore") == "i cant do this anymore"


def test_long_message_embeds_one_window_where_crisis_words_are():
    text = " ".join(["skin"] * 500 + ["i", "want", "to", "die", "tonight"] + ["lips"] * 500)
    chosen = window(text)
    assert len(chosen.split()) == WINDOW_WORDS
    assert "die" in chosen


def test_signal_embeds_a_bounded_window_of_a_100_kb_message():
    embedder = CountingEmbedder()
    signal = SemanticSignal(embedder)
    embedder.texts.clear()
    signal.assess(prepare("word " * 20_000))
    assert len(embedder.texts) == 1 and len(embedder.texts[0].split()) <= WINDOW_WORDS


def test_a_shared_query_vector_is_used_instead_of_embedding_again():
    embedder = CountingEmbedder()
    signal = SemanticSignal(embedder)
    embedder.texts.clear()
    message = prepare("how long does it take to work")
    vector = embedder.embed([message.text])[0]
    embedder.texts.clear()
    from dataclasses import replace

    signal.score(replace(message, query_vector=vector))
    assert embedder.texts == []


def test_paraphrase_without_crisis_words_is_close_to_a_crisis_prototype(triage):
    found = triage.semantic.assess(prepare("everyone would be happier if i was gone", triage.lexicon.speller))
    assert [f.level for f in found] == ["crisis"]
    assert found[0].evidence.startswith("semantic: close to 'burden and no way out'")


def test_idiom_is_closer_to_a_look_alike_than_to_a_crisis(triage):
    score = triage.semantic.score(prepare("this acne is killing me", triage.lexicon.speller))
    assert score.margin < 0


def test_question_about_risks_is_not_a_semantic_crisis(triage):
    found = triage.semantic.assess(prepare("does isotretinoin raise the risk of suicide?", triage.lexicon.speller))
    assert all(f.level != "crisis" for f in found)
