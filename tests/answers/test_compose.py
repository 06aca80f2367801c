"""Composition: only our sentences, each block cited, references listed; or the plain abstention."""

from __future__ import annotations

from dataclasses import replace

from rxplain.answers.compose import ABSTENTION, abstention, best_sentences, citation_markdown, compose, select


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
    assert composed.markdown.startswith("Stop and call your prescriber if you have:\n- a bad headache")


def test_a_second_passage_is_added_only_when_it_ranks_close_to_the_first(tiny_passages):
    a = passage(tiny_passages, "alcohol#drinking")
    b = passage(tiny_passages, "labs#which-tests")
    assert select([(a, 1.0), (b, 0.5)]) == [a]
    assert select([(a, 1.0), (b, 0.97)]) == [a, b]
    assert select([(a, 1.0), (a, 0.99)]) == [a]  # never the same passage twice


def test_citation_link_text_and_url_are_escaped(tiny_passages):
    odd = replace(passage(tiny_passages, "alcohol#drinking"), article="A [b] *c*", url="/x/(y)/#z")
    assert citation_markdown(odd) == r"[A \[b\] \*c\* › Drinking alcohol](/x/%28y%29/#z)"
