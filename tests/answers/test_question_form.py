"""Question form and the fusion signals built on it: definitions favour the glossary, how/why/should questions
the explaining section, severe symptoms the warning signs; a section split into passages is judged as a whole."""

from __future__ import annotations

from rxplain.answers.index import FEATURES
from rxplain.answers.understand import question_form, warning_heading


def test_what_is_questions_ask_for_a_definition():
    assert question_form("what are triglycerides")["define"] == 1.0
    assert question_form("what does phq-9 stand for")["define"] == 1.0
    assert question_form("what are the serious side effects of")["define"] == 0.0


def test_how_why_and_should_questions_ask_for_advice():
    assert question_form("best way to deal with chapped lips on")["advice"] == 1.0
    assert question_form("what mood changes should i look out for")["advice"] == 1.0
    assert question_form("what is a retinoid")["advice"] == 0.0


def test_severe_or_sudden_symptoms_are_urgent():
    assert question_form("bad headache and blurry vision on")["urgent"] == 1.0
    assert question_form("does it cause dry lips")["urgent"] == 0.0


def test_warning_headings_are_recognised():
    assert warning_heading("Warning signs: stop and call")
    assert warning_heading("Which symptoms need urgent care?")
    assert not warning_heading("Caring for lips and skin")


def test_search_hits_carry_the_question_form_and_section_signals(tiny_engine):
    u = tiny_engine.understander.understand("what is the best way to deal with dry lips?")
    vector = tiny_engine.embedder.embed([u.topic_text])[0]
    hits = tiny_engine.index.search(u.topic_text, vector, u.medicine, u.intents)
    assert hits
    for name in ("glossary_define", "glossary_advice", "faq_advice", "warning_urgent", "section_unit",
                 "section_dense"):
        assert name in FEATURES and name in hits[0].features
    # a section's best sentence is at least the passage's own
    assert all(h.features["section_unit"] >= h.unit - 1e-6 for h in hits)


def test_confidence_features_include_the_top_passage_coverage(tiny_engine):
    u = tiny_engine.understander.understand("can I get a tattoo on it?")
    vector = tiny_engine.embedder.embed([u.topic_text])[0]
    hits = tiny_engine.index.search(u.topic_text, vector, u.medicine, u.intents)
    features = tiny_engine.features(u, hits)
    assert 0.0 <= features["top_uncovered"] <= 1.0 and features["top_missing"] >= features["missing"] - 1e-9
