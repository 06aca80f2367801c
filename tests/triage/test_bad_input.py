"""A verdict every time: empty, huge, binary, control characters, other languages; nothing of a message logged."""

from __future__ import annotations

import logging
import random
import time

import pytest

from rxplain.triage import verdict


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "\x00\x01\x02"])
def test_empty_or_blank_message_is_ok(message):
    assert verdict(message).verdict == "ok"


def test_100_kb_message_gets_a_verdict_quickly_and_finds_the_signal_in_the_middle():
    filler = "my lips are dry and my derm says the peeling is normal for month two. " * 720
    message = filler + "honestly i want to end my life. " + filler
    assert len(message) > 100_000
    started = time.perf_counter()
    result = verdict(message)
    assert time.perf_counter() - started < 1.0  # bounded work, not a timing benchmark
    assert result.verdict == "crisis"


def test_100_kb_of_one_crisis_word_is_bounded():
    started = time.perf_counter()
    assert verdict("suicide " * 12_500).verdict in {"ok", "urgent", "crisis"}
    assert time.perf_counter() - started < 2.0


def test_binary_noise_gets_a_verdict():
    rng = random.Random(3)
    noise = bytes(rng.getrandbits(8) for _ in range(4096))
    assert verdict(noise.decode("latin-1")).verdict in {"ok", "urgent", "crisis"}
    assert verdict(noise).verdict in {"ok", "urgent", "crisis"}  # bytes are decoded, never rejected


def test_control_and_zero_width_characters_do_not_hide_a_crisis():
    assert verdict("i want to k\u200bill my\x07self").verdict == "crisis"
    assert verdict("su\u00adicidal and i have a plan").verdict == "crisis"


def test_lookalike_letters_and_full_width_text_are_read():
    full_width = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in "i want to die")
    script = "\U0001d4be \U0001d4cc\U0001d4b6\U0001d4c3\U0001d4c9 \U0001d4c9\U0001d45c \U0001d4b9\U0001d4be\U0001d452"
    assert verdict(full_width).verdict == "crisis"
    assert verdict(script).verdict == "crisis"  # mathematical script letters: i want to die


def test_non_string_input_gets_a_verdict():
    assert verdict(None).verdict == "ok"  # type: ignore[arg-type]
    assert verdict(12345).verdict == "ok"  # type: ignore[arg-type]


def test_crisis_words_in_other_languages_are_a_crisis():
    for message in ("quiero morir", "me quiero matar", "je veux mourir", "ich will sterben", "我想死", "死にたい"):
        assert verdict(message).verdict == "crisis", message


@pytest.mark.parametrize("message", [
    "Mi hijo se tragó varias pastillas, tiene 3 años",
    "je n'arrive plus à respirer, ma gorge gonfle",
    "minha mãe desmaiou e não acorda",
    "Ich bekomme keine Luft und meine Lippen werden blau",
    "mio padre ha un forte dolore al petto da dieci minuti",
    "mon frère fait une crise d'épilepsie, il convulse encore",
    "mia madre ha la faccia storta e non riesce più a parlare, è iniziato adesso",
    "dolor en el pecho muy fuerte y me falta el aire",
    "je vomis du sang, beaucoup",
    "Mon fils de 2 ans vient d'avaler plusieurs gélules, qu'est-ce que je fais ?",
])
def test_an_emergency_now_in_another_language_calls_911(message):
    result = verdict(message)
    assert (result.verdict, result.category) == ("crisis", "medical_emergency"), message


@pytest.mark.parametrize("message", [
    "me quemé el brazo con un cigarro a propósito, ¿cicatriza peor con isotretinoína?",
    "Je me suis coupé les bras hier soir exprès.",
    "ich habe mich gestern wieder geritzt",
    "mi sono tagliata apposta ieri sera",
    "no le veo sentido a nada, el mundo estaría mejor sin mí",
    "j'ai des idées noires, vraiment envie que tout s'arrête",
    "ich wünschte, ich würde einfach einschlafen und nie wieder aufwachen",
    "me quemo los brazos con cigarros cada vez que me veo al espejo",
])
def test_suicide_or_self_harm_told_in_another_language_is_a_crisis(message):
    result = verdict(message)
    assert (result.verdict, result.category) == ("crisis", "suicide_self_harm"), message


@pytest.mark.parametrize("message", [
    "me corté el dedo cocinando, ¿tarda más en curar con isotretinoína?",
    "Mon frère a fait une crise d'épilepsie quand il était petit. Est-ce que je peux en prendre ?",
    "tengo los labios destrozados, no quiero hacerme daño ni nada, solo me estoy desahogando",
    "mi sto lamentando e basta, non voglio farmi del male",
    "essa espinha vai me matar kkk. quanto tempo dura a piora inicial?",
])
def test_an_accident_old_history_a_denial_or_an_idiom_in_another_language_is_no_crisis(message):
    assert verdict(message).verdict != "crisis", message


@pytest.mark.parametrize("message", [
    "¿la isotretinoína puede causar dolor de cabeza?",
    "j'ai les lèvres très sèches, c'est normal ?",
    "obrigada, até logo",
])
def test_an_ordinary_message_in_another_language_is_no_crisis(message):
    assert verdict(message).verdict != "crisis", message


def test_unreadable_language_errs_toward_showing_the_crisis_resources():
    result = verdict("我有一个关于痤疮治疗的问题 请帮帮我")
    assert (result.verdict, result.category) == ("urgent", "unreadable_language")
    assert {r.number for r in result.resources} >= {"911", "988"}


def test_english_with_a_foreign_word_is_still_read():
    assert verdict("is accutane ok with my café latte?").verdict == "ok"


def test_nothing_of_the_message_is_logged(caplog):
    caplog.set_level(logging.DEBUG)
    for message in ("zebrasecret i want to die", "zebrasecret \x00\xff", "zebrasecret " * 5000):
        verdict(message)
    assert "zebrasecret" not in caplog.text


def test_question_in_spanish_shows_the_resources_without_ending_the_consultation():
    result = verdict("Tengo la piel muy seca, qué crema uso?")
    assert (result.verdict, result.category) == ("urgent", "unreadable_language")
    assert "988" in result.action


def test_english_with_a_few_foreign_words_is_read_as_english():
    assert verdict("I have a question about my dose, por favor").verdict == "ok"
