"""Published content becomes passages that keep their article, section anchor, title and references."""

from __future__ import annotations

from rxplain.answers.passages import Passage, article_url, passages_from_articles, plain_text, split_sentences

from .conftest import MEDICINE, tiny_articles, tiny_glossary


def by_label(passages: list[Passage], label: str) -> list[Passage]:
    return [p for p in passages if p.label == label]


def test_sections_faq_answers_and_glossary_terms_all_become_passages(tiny_passages):
    kinds = {p.kind for p in tiny_passages}
    assert kinds == {"section", "faq", "glossary"}
    drinking = by_label(tiny_passages, "alcohol#drinking")[0]
    assert drinking.article == "Alcohol and isotretinoin"
    assert drinking.section == "Drinking alcohol"
    assert drinking.url == "/isotretinoin/alcohol/#drinking"
    assert drinking.medicine == "isotretinoin"
    faq = [p for p in tiny_passages if p.kind == "faq" and p.article_slug == "alcohol"]
    assert [p.question for p in faq] == ["Can I drink alcohol while taking isotretinoin?", "Is beer different from wine?"]
    assert all(p.url == "/isotretinoin/alcohol/#faq" and p.label == "alcohol#faq" for p in faq)


def test_glossary_url_points_at_the_term_anchor(tiny_passages):
    term = by_label(tiny_passages, "glossary#triglycerides")[0]
    assert term.url == "/isotretinoin/glossary/#triglycerides"
    assert term.section == "Triglycerides"
    assert term.aliases == ("blood fats",)


def test_links_citations_and_emphasis_are_stripped_but_cited_references_are_kept(tiny_passages):
    drinking = by_label(tiny_passages, "alcohol#drinking")[0]
    assert "Isotretinoin can raise blood fats and liver tests." in drinking.text
    assert "[" not in drinking.text and "**" not in drinking.text and "glossary:" not in drinking.text
    assert drinking.references == (
        "Clinic guidance on alcohol. 2024. https://example.org/alcohol",
        "Label text on liver tests. 2022. PMID: 12345678.",
    )
    beer = [p for p in tiny_passages if p.question == "Is beer different from wine?"][0]
    assert beer.references == ()  # it cites nothing


def test_a_list_stays_with_the_sentence_that_introduces_it(tiny_passages):
    warning = by_label(tiny_passages, "alcohol#warning-signs")
    assert len(warning) == 1
    assert warning[0].text.splitlines() == [
        "Stop and call your prescriber if you have:",
        "- a bad headache that does not go away;",
        "- blurred or double vision;",
        "- nausea or vomiting.",
    ]


def test_table_rows_keep_their_column_headers(tiny_passages):
    tests = by_label(tiny_passages, "labs#which-tests")[0]
    assert "- Test: Liver tests; When: Before you start" in tests.text.splitlines()


def test_long_sections_are_split_into_several_passages_of_the_same_section():
    from rxplain.library.pack import Article, Section

    paragraph = " ".join(f"Sentence number {i} says something about dry skin." for i in range(12))
    article = Article("long", "Long", "", None, [], [Section("body", "Body", "\n\n".join([paragraph] * 4), 1)],
                      [], [], path=None)  # type: ignore[arg-type]
    passages = passages_from_articles(MEDICINE, [article], [], base_url="")
    assert len(passages) > 2
    assert {p.label for p in passages} == {"long#body"}
    assert len({p.id for p in passages}) == len(passages)
    assert all(len(p.text.split()) <= 160 for p in passages)


def test_base_url_may_be_the_site_root_or_the_hub():
    assert article_url("", "isotretinoin", "dosing", "faq") == "/isotretinoin/dosing/#faq"
    assert article_url("/isotretinoin/", "isotretinoin", "dosing", "faq") == "/isotretinoin/dosing/#faq"
    assert article_url("https://rxplain.example", "isotretinoin", "dosing", "") == (
        "https://rxplain.example/isotretinoin/dosing/"
    )
    passages = passages_from_articles(MEDICINE, tiny_articles(), tiny_glossary(), base_url="/isotretinoin/")
    assert passages[0].url.startswith("/isotretinoin/alcohol/")


def test_sentences_split_at_full_stops_but_not_after_abbreviations():
    text = "Take it with food, e.g. a meal. Do not double up! Ask first?"
    assert split_sentences(text) == ["Take it with food, e.g. a meal.", "Do not double up!", "Ask first?"]


def test_html_in_markdown_is_removed_from_passage_text():
    assert plain_text("Use <b>sunscreen</b> &amp; a hat.") == "Use sunscreen & a hat."


def test_passages_round_trip_through_a_dict(tiny_passages):
    for passage in tiny_passages:
        assert Passage.from_dict(passage.to_dict()) == passage


def test_every_real_pack_passage_has_text_and_an_anchor_of_its_article(pack_passages):
    from rxplain.answers import packs

    pack = packs.read_packs()[0]
    anchors = {a.slug: a.anchors for a in pack.articles}
    glossary = {t.slug for t in pack.glossary}
    assert len(pack_passages) > 100
    for p in pack_passages:
        assert p.text.strip()
        if p.kind == "glossary":
            assert p.anchor in glossary
        else:
            assert p.anchor in anchors[p.article_slug], p.id
        assert p.url.endswith(f"#{p.anchor}")
