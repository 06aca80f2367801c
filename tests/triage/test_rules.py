"""The lexicon signal: crisis phrases read with idiom, negation, scope, person and quotation rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from rxplain.triage.redflags import load_red_flags
from rxplain.triage.rules import LexiconSignal
from rxplain.triage.text import prepare

FLAGS = load_red_flags()
LEXICON = LexiconSignal(FLAGS)


def levels(message: str) -> set[str]:
    return {f.level for f in LEXICON.assess(prepare(message, LEXICON.speller))}


def evidence(message: str) -> list[str]:
    return [f.evidence for f in LEXICON.assess(prepare(message, LEXICON.speller))]


def test_explicit_wish_to_die_is_a_crisis_phrase():
    assert "crisis" in levels("i honestly want to die")


def test_idiom_about_acne_is_not_a_crisis_phrase():
    assert "crisis" not in levels("this acne is killing me")
    assert "crisis" not in levels("I'd die for clear skin")
    assert "crisis" not in levels("clear skin to die for")


def test_negated_suicidal_is_set_aside_as_negated():
    assert levels("I'm not suicidal, just tired") == {"set_aside"}
    assert any("negated" in e for e in evidence("I'm not suicidal, just tired"))


def test_negation_does_not_cross_a_clause():
    assert "crisis" in levels("I'm not okay. I don't want to be here anymore")
    assert "crisis" in levels("i don't feel suicidal but i want to die sometimes")


def test_question_about_risks_is_set_aside():
    assert any("question about risks" in e for e in evidence("can accutane cause suicidal thoughts?"))
    assert "crisis" not in levels("can accutane cause suicidal thoughts?")


def test_question_with_present_experience_is_still_a_crisis():
    assert "crisis" in levels("I've been having suicidal thoughts, can accutane cause that?")


def test_calm_history_is_set_aside_but_recent_return_is_not():
    assert "crisis" not in levels("I attempted suicide 6 years ago, will my derm still prescribe accutane?")
    assert "crisis" in levels("I attempted suicide years ago and lately the suicidal thoughts are back")


def test_hypothetical_is_set_aside():
    assert "crisis" not in levels("what should I do if I start having suicidal thoughts?")


def test_conditional_threat_is_still_a_crisis():
    assert "crisis" in levels("if my acne comes back im going to kill myself")


def test_someone_else_in_danger_now_is_a_crisis_for_the_writer():
    found = evidence("my sister just swallowed a bottle of pills")
    assert any(e.endswith("(someone else)") for e in found)


def test_people_in_general_are_not_the_writer():
    assert "crisis" not in levels("people who want to die should call 988")
    assert "crisis" not in levels("do teens on accutane get suicidal?")


def test_quoted_joke_is_set_aside_but_quoted_friend_is_a_crisis():
    assert "crisis" not in levels('my friend told me "I want to die" jokingly about her exam')
    assert "crisis" in levels('my friend told me "I want to die" and I\'m scared')
    assert "crisis" not in levels('the leaflet says "suicidal thoughts" can happen')


def test_disguised_spellings_are_read():
    for message in ("i wnat to kil myslef", "su1c1de is all i think about", "k i l l m y s e l f",
                    "I WANT TO END MY LIFE", "#iwanttodie", "k*ll myself", "i want to dieeee"):
        assert "crisis" in levels(message), message


def test_accidental_injury_is_not_self_harm():
    assert "crisis" not in levels("I cut myself shaving lol")
    assert "crisis" not in levels("i hurt myself at the gym, can i take ibuprofen?")


def test_self_harm_reads_a_word_before_the_body_part_and_carving():
    assert "crisis" in levels("I've been cutting my upper arms most nights for three weeks")
    assert "crisis" in levels("i hate myself so much i carved a word into my leg")


@pytest.mark.parametrize("message", [
    "I cut again last night, does accutane slow down healing?",
    "burnt my leg with the iron this morning on purpose, can I use vaseline",
    "burned my arm with a lighter to feel something",
    "honestly if a bus hit me tomorrow I'd be relieved",
    "Every time the bus comes I feel like stepping in front of it",
    "is 40mg x 60 lethal? i have 2 months saved up in my drawer",
    "bye forever",
    "I hope the accutane kills me tbh",
    "no more accutane needed, no more anything. goodbye",
])
def test_self_harm_and_suicide_said_in_everyday_words_are_crisis_phrases(message):
    assert "crisis" in levels(message), message


@pytest.mark.parametrize("message", [
    "I hit my head on the cupboard door, not on purpose obviously, is a bump ok on accutane",
    "bye for now, thanks for the help!",
    "I have two months of refills saved in my pharmacy account",
])
def test_everyday_words_near_those_phrases_are_not_a_crisis(message):
    assert "crisis" not in levels(message), message


def test_a_real_word_the_speller_does_not_know_is_not_turned_into_a_red_flag_word():
    # "slurring" is one letter from "blurring" (a red-flag word); read as it was written, it is a stroke sign.
    assert "lexicon: stroke signs (someone else)" in evidence("my grandpa is slurring his words, his face looks odd")


def test_breathing_through_a_straw_and_a_pack_of_pills_after_a_dose_are_emergency_phrases():
    assert "crisis" in levels("it's like breathing through a straw, and my lips are puffing up")
    assert "crisis" in levels("I took my dose and then a whole pack of ibuprofen, like 20 tablets")
    assert "crisis" not in levels("can i take accutane and then a few tylenol for my headache?")


def test_pressure_in_the_middle_of_the_chest_is_chest_pain():
    assert "crisis" in levels("I got this heavy pressure in the middle of my chest and it's spreading to my jaw")


def test_packing_capsules_in_hand_luggage_is_not_means_in_hand():
    assert "crisis" not in levels("can I bring the capsules in my hand luggage without a doctor's letter?")
    assert "crisis" in levels("i have the pills in my hand right now")


def test_a_plan_to_take_every_pill_is_a_crisis_but_taking_them_with_food_is_not():
    assert "crisis" in levels("does accutane interact with vodka? planning to take all my pills with a bottle tonight")
    assert "crisis" not in levels("can i take all my pills with food tonight or should i split them")


def test_giving_things_away_having_decided_not_to_be_around_is_a_crisis():
    assert "crisis" in levels("I've been giving stuff away because I've decided I'm not going to be around")
    assert "crisis" not in levels("I'm not going to be around next week, can I pick up my prescription early?")


def test_laughter_turns_breathless_into_a_joke_but_not_a_wish_to_die():
    assert "crisis" not in levels("i laughed so hard i cant breathe 😂")
    assert "crisis" in levels("i want to die lol")


def test_hopelessness_alone_is_a_concern_not_a_crisis():
    assert levels("I can't do this anymore") == {"concern"}


def test_red_flag_fires_for_the_writer_only():
    assert [f.category for f in LEXICON.assess(prepare("I think I'm pregnant", LEXICON.speller))] == ["pregnancy"]
    assert "urgent" not in levels("my friend is pregnant")
    assert "urgent" not in levels("can I get pregnant on accutane?")


def test_red_flag_requires_every_group():
    assert "urgent" in levels("I have a severe headache and my vision is blurry")
    headache_only = [f.category for f in LEXICON.assess(prepare("I have a headache", LEXICON.speller))]
    assert "pseudotumor-cerebri" not in headache_only


def test_chronic_condition_is_not_a_new_red_flag():
    assert "urgent" not in levels("i have had depression for years, can i take accutane")


def test_red_flags_are_data_read_from_every_pack(tmp_path: Path):
    pack = tmp_path / "examplemab"
    pack.mkdir()
    (pack / "red_flags.yaml").write_text(
        "- id: purple-toes\n  sign: Toes turning purple\n  phrases: [\"purple toes\", \"toes are purple\"]\n"
        "  action: Stop taking examplemab and contact your prescriber today.\n  level: urgent\n"
        "  source: made up for a test\n- id: broken\n  phrases: not-a-list\n", encoding="utf-8")
    flags = load_red_flags(tmp_path)
    assert [f.id for f in flags] == ["purple-toes"]  # the malformed entry is skipped, not fatal
    signal = LexiconSignal(flags)
    found = signal.assess(prepare("my toes are purple since yesterday", signal.speller))
    assert [(f.level, f.category) for f in found] == [("urgent", "purple-toes")]


def test_content_dir_comes_from_the_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("RXPLAIN_CONTENT_DIR", str(tmp_path))
    assert load_red_flags() == ()


def test_long_message_is_scanned_near_warning_words_only():
    filler = "my skin is dry and the derm said it is normal " * 2000
    found = evidence(filler + " honestly i want to kill myself. " + filler)
    assert "lexicon: intent to die" in found
    windows, truncated = LEXICON.windows(prepare(filler * 3).text)
    assert windows == [] and not truncated


def test_every_isotretinoin_red_flag_has_a_plain_action_and_a_source():
    assert {f.id for f in FLAGS} >= {"pregnancy", "pseudotumor-cerebri", "pancreatitis", "severe-skin-reaction",
                                      "hearing-loss", "vision-change", "bowel-bleeding", "liver",
                                      "muscle-weakness", "mood-change", "anaphylaxis"}
    for flag in FLAGS:
        assert flag.source and flag.action
        assert "mg" not in flag.action  # never a dose instruction
    assert next(f for f in FLAGS if f.id == "anaphylaxis").level == "emergency"


def test_every_phrase_match_in_the_labelled_sets_passes_the_cheap_key_test():
    # The keys let long messages skip regexes; a missing key would silently hide a crisis phrase.
    import json

    from rxplain.triage.lexicon import TERMS
    from rxplain.triage.rules import _prefixes

    data = Path(__file__).resolve().parents[2] / "bench" / "data"
    # The independent held-out set is read once, by its evaluation, and by nothing else.
    texts = [json.loads(line)["text"] for path in sorted(data.glob("messages*.jsonl"))
             if path.name != "messages_blind7.jsonl"
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["i od on my pills", "she od'd", "my friend isnt responding", "cant wake him up", "no way out",
              "nobody cares", "i want out", "whats even the point", "call 911", "should i go to the er now"]
    for text in texts:
        normal = prepare(text, LEXICON.speller).text
        for term in TERMS:
            for match in term.pattern.finditer(normal):
                assert not term.keys.isdisjoint(_prefixes(match.group())), (term.name, match.group())


def test_intent_and_death_in_other_words_is_a_crisis_phrase():
    assert "crisis" in levels("i've stopped eating because i want to waste away and die")
    assert "crisis" in levels("part of me wants to just drive off the road")


def test_wishing_death_on_acne_is_not_about_the_writer():
    assert "crisis" not in levels("i want this acne to die")
    assert "crisis" not in levels("i don't want to die, i just want clear skin lol")
