"""verdict(): the one function the consultation calls first on every message."""

from __future__ import annotations

from rxplain.triage import RESOURCES, Verdict, verdict


def test_wish_to_die_is_a_suicide_crisis_with_988_and_911():
    result = verdict("I want to die")
    assert (result.verdict, result.category) == ("crisis", "suicide_self_harm")
    assert {r.number for r in result.resources} >= {"911", "988"}
    assert "988" in result.action and "911" in result.action


def test_means_ready_is_a_crisis():
    assert verdict("I have pills saved up").verdict == "crisis"


def test_plan_after_hopeless_turn_is_a_crisis(lexicon_only):
    result = verdict("I have a plan", history=["I can't do this anymore"])
    assert (result.verdict, result.category) == ("crisis", "suicide_self_harm")
    # With words alone, the earlier turn is what makes it a crisis, and the evidence says so.
    words_only = lexicon_only.verdict("I have a plan", history=["I can't do this anymore"])
    assert words_only.verdict == "crisis"
    assert any(e.startswith("earlier turn:") for e in words_only.evidence)


def test_plan_without_an_earlier_sign_is_not_a_crisis_by_words_alone(lexicon_only):
    assert lexicon_only.verdict("I have a plan").verdict != "crisis"


def test_hopeless_turn_alone_shows_help_without_ending_the_consultation(lexicon_only):
    result = lexicon_only.verdict("I can't do this anymore")
    assert result.verdict == "urgent" and result.category == "emotional_distress"
    assert "988" in result.action


def test_trouble_breathing_is_a_medical_emergency():
    result = verdict("i cant breathe and my throat is swelling")
    assert (result.verdict, result.category) == ("crisis", "medical_emergency")
    assert result.action.startswith("This may be a medical emergency")


def test_someone_elses_overdose_now_is_a_crisis_for_the_writer():
    result = verdict("my sister just swallowed a bottle of pills")
    assert result.verdict == "crisis"
    assert "someone" in result.action


def test_idiom_about_acne_is_not_a_crisis():
    assert verdict("this acne is killing me").verdict == "ok"
    assert verdict("I'd die for clear skin").verdict == "ok"


def test_questions_about_risks_are_not_a_crisis():
    assert verdict("can accutane cause suicidal thoughts?").verdict == "ok"
    assert verdict("is depression a side effect?").verdict == "ok"


def test_negation_is_not_a_crisis():
    assert verdict("I'm not suicidal, just tired").verdict == "ok"


def test_calm_history_is_not_a_crisis():
    assert verdict("I was depressed years ago, is it safe for me?").verdict == "ok"


def test_red_flag_is_urgent_with_the_packs_action():
    result = verdict("I think I'm pregnant")
    assert (result.verdict, result.category) == ("urgent", "pregnancy")
    assert "prescriber today" in result.action
    assert result.resources == ()


def test_new_low_mood_is_urgent_not_a_crisis():
    result = verdict("I've been feeling really depressed since starting accutane")
    assert (result.verdict, result.category) == ("urgent", "mood-change")


def test_anaphylaxis_red_flag_is_an_emergency():
    result = verdict("I have hives and my lips are swelling up")
    assert (result.verdict, result.category) == ("crisis", "medical_emergency")
    assert "red flag: anaphylaxis" in result.evidence


def test_ordinary_question_is_ok():
    result = verdict("how long until accutane starts working?")
    assert result == Verdict("ok", None, (), "")


def test_medicine_without_a_pack_still_gets_every_crisis_check():
    assert verdict("I want to kill myself", medicine="not-a-medicine").verdict == "crisis"


def test_evidence_never_contains_the_message():
    message = "my secret zebra phrase and i want to end my life"
    result = verdict(message)
    assert not any("zebra" in e for e in result.evidence)
    assert "zebra" not in str(result.to_dict())


def test_to_dict_has_the_public_fields():
    data = verdict("I want to die").to_dict()
    assert set(data) == {"verdict", "category", "evidence", "action", "resources"}
    assert [r["number"] for r in data["resources"]] == [r.number for r in RESOURCES]


def test_implicit_goodbye_is_a_crisis_through_the_embedding(triage):
    assert triage.verdict("i'm saying goodbye to everyone tonight").verdict == "crisis"


def test_shared_query_vector_gives_the_same_verdict(triage):
    from rxplain.embeddings import default_embedder
    from rxplain.triage.text import prepare

    message = "everyone would be happier if i was gone"
    vector = default_embedder().embed_one(prepare(message, triage.lexicon.speller).text)
    assert triage.verdict(message, query_vector=vector) == triage.verdict(message)
