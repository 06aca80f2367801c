"""Composition: only our sentences, each block cited, references listed; or the plain abstention."""

from __future__ import annotations

from dataclasses import replace

import markdown

from rxplain.answers.compose import (
    ABSTENTION,
    abstention,
    best_sentences,
    citation_markdown,
    compose,
    select,
)


def passage(tiny_passages, label, kind="section"):
    return next(p for p in tiny_passages if p.label == label and p.kind == kind)


def test_abstention_message_is_exactly_the_agreed_sentence():
    assert ABSTENTION == "I don't have reviewed information on that — a pharmacist or your prescriber can answer it."
    assert abstention().markdown == ABSTENTION and abstention().citations == ()


def test_each_quoted_block_is_followed_by_its_citation_then_the_references(tiny_passages):
    drinking = passage(tiny_passages, "alcohol#drinking")
    composed = compose([(drinking, 1.0)], {"alcohol": 2.0})
    blocks = composed.markdown.split("\n\n")
    assert blocks[0].startswith("Many clinics advise limiting alcohol during treatment.")
    assert blocks[1] == "Source: [Alcohol and isotretinoin › Drinking alcohol](/isotretinoin/alcohol/#drinking)"
    assert blocks[2].splitlines() == [
        "References:",
        "1. Clinic guidance on alcohol. 2024. https://example.org/alcohol",
        "2. Label text on liver tests. 2022. PMID: 12345678.",
    ]
    assert [c.to_dict() for c in composed.citations] == [
        {"url": "/isotretinoin/alcohol/#drinking", "article": "Alcohol and isotretinoin", "section": "Drinking alcohol"}
    ]


def test_every_quoted_line_is_text_of_the_passage(tiny_passages):
    for p in tiny_passages:
        composed = compose([(p, 1.0)], {})
        quoted = composed.markdown.split("\n\nSource: ")[0]
        if quoted.startswith("**"):
            lead, quoted = quoted.split("\n\n", 1)
            assert lead == f"**{p.question}**"
        for line in quoted.splitlines():
            for sentence in line.removeprefix("- ").split(". "):
                assert sentence.strip(". ") in p.text


def test_a_long_passage_is_cut_to_its_best_run_of_sentences(tiny_passages):
    long_text = " ".join(f"Filler sentence {i} talks about nothing much at all here." for i in range(10))
    long_text += " Wear sunscreen every day because the skin burns easily. It also helps to wear a hat."
    p = replace(passage(tiny_passages, "alcohol#drinking"), text=long_text)
    units = best_sentences(p, {"sunscreen": 3.0, "burn": 2.0})
    quoted = " ".join(" ".join(u) for u in units)
    assert "Wear sunscreen every day" in quoted
    assert "It also helps to wear a hat." in quoted
    assert len(quoted.split()) <= 75


def test_a_list_is_quoted_with_its_introduction(tiny_passages):
    warning = passage(tiny_passages, "alcohol#warning-signs")
    composed = compose([(warning, 1.0)], {"vision": 2.0})
    assert composed.markdown.startswith("Stop and call your prescriber if you have:\n\n- a bad headache")


def test_a_second_passage_is_added_only_when_it_ranks_close_to_the_first(tiny_passages):
    a = passage(tiny_passages, "alcohol#drinking")
    b = passage(tiny_passages, "labs#which-tests")
    assert select([(a, 1.0), (b, 0.5)]) == [a]
    assert select([(a, 1.0), (b, 0.97)]) == [a, b]
    assert select([(a, 1.0), (a, 0.99)]) == [a]  # never the same passage twice


def test_citation_link_text_and_url_are_escaped(tiny_passages):
    odd = replace(passage(tiny_passages, "alcohol#drinking"), article="A [b] *c*", url="/x/(y)/#z")
    assert citation_markdown(odd) == r"[A \[b\] \*c\* › Drinking alcohol](/x/%28y%29/#z)"


FILLER = " ".join(f"Filler sentence {i} says nothing of use to anyone here." for i in range(8))
HEADACHE = (
    "Muscle and joint aches are common. They are more likely if you exercise hard.\n"
    f"{FILLER} Some people's acne gets worse for a short time when they start. This usually passes. Some people "
    "also get headaches. A mild headache can happen, but a severe headache with vision changes is a warning sign.\n"
    "If a side effect bothers you, tell your prescriber. They may have ideas."
)


def test_an_answer_never_opens_with_a_dangling_this(tiny_passages):
    p = replace(passage(tiny_passages, "alcohol#drinking"), text=HEADACHE)
    for weights in ({"headach": 3.0, "vision": 2.0}, {"pass": 5.0}, {"idea": 5.0}, {"exercis": 5.0}):
        quoted = compose([(p, 1.0)], weights).markdown.split("\n\nSource: ")[0]
        assert quoted.split()[0] not in {"This", "They", "It", "These", "That", "So", "But", "Also"}, quoted
        assert len(quoted.split()) <= 75


def test_a_sentence_leaning_on_the_one_before_is_quoted_with_it(tiny_passages):
    p = replace(passage(tiny_passages, "alcohol#drinking"), text=HEADACHE)
    units = best_sentences(p, {"pass": 5.0})
    quoted = " ".join(" ".join(u) for u in units)
    assert "Some people's acne gets worse for a short time when they start. This usually passes." in quoted


def test_a_short_passage_is_quoted_whole_rather_than_stitched(tiny_passages):
    text = ("Muscle and joint aches are common. They are more likely if you exercise hard. Some people's acne gets "
            "worse for a short time when they start. This usually passes. Some people also get headaches. A mild "
            "headache can happen, but a severe headache with vision changes is a warning sign. If a side effect "
            "bothers you, tell your prescriber. They may have ideas.")
    p = replace(passage(tiny_passages, "alcohol#drinking"), text=text)
    assert " ".join(" ".join(u) for u in best_sentences(p, {"headach": 3.0})) == text


def test_list_items_stay_on_their_own_lines_and_render_as_a_list(tiny_passages):
    text = ("Most people need two kinds of blood test:\n- Blood fats (lipids). This test measures triglycerides.\n"
            "- Liver tests. These measure two liver enzymes.\nYour prescriber decides which tests you need.")
    p = replace(passage(tiny_passages, "labs#which-tests"), text=text)
    body = compose([(p, 1.0)], {"test": 1.0}).markdown.split("\n\nSource: ")[0]
    assert "blood test:\n\n- Blood fats (lipids). This test measures triglycerides.\n- Liver tests." in body
    html = markdown.markdown(body)
    assert "<li>Blood fats (lipids). This test measures triglycerides.</li>" in html
    assert "<li>Liver tests. These measure two liver enzymes.</li>" in html
    assert "<p>Your prescriber decides which tests you need.</p>" in html


def test_no_block_quoted_from_the_pack_opens_with_a_word_that_leans_back(pack_passages):
    from rxplain.answers.compose import _DANGLING
    from rxplain.answers.index import analyze

    for p in pack_passages:
        if _DANGLING.match(p.text):
            continue  # the passage itself opens that way: nothing before it to bring along
        for word in sorted(set(analyze(p.text)))[::5]:
            units = best_sentences(p, {word: 1.0})
            assert not _DANGLING.match(units[0][0]), (p.id, word, units[0][0])


def test_an_faq_reply_that_leans_on_its_question_is_led_by_the_question(tiny_passages):
    faq = replace(passage(tiny_passages, "alcohol#faq", kind="faq"), text="It depends. Ask your prescriber.")
    assert compose([(faq, 1.0)], {}).markdown.startswith(
        "**Can I drink alcohol while taking isotretinoin?**\n\nIt depends. Ask your prescriber.\n\nSource: ")
    plain = replace(faq, text="Many clinics say to avoid or limit alcohol.")
    assert compose([(plain, 1.0)], {}).markdown.startswith("Many clinics say")
