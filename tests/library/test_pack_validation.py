"""The pack validator lists every problem as file:line: reason, one rule per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from rxplain.library.pack import PackError, read_pack
from tests.library.packs import FAQ, REFERENCES, article, make_pack


def errors_of(root: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        read_pack(root)
    return caught.value.errors


def test_a_valid_pack_reads_cleanly(tmp_path):
    pack = read_pack(make_pack(tmp_path))
    assert [a.slug for a in pack.articles] == ["first", "second"]
    assert [s.anchor for s in pack.articles[0].sections] == ["what-it-is", "how-to-take-it"]
    assert len(pack.articles[0].faq) == 5 and len(pack.articles[0].references) == 3
    assert "testamin" in pack.names()


def test_it_rejects_an_article_with_too_few_references(tmp_path):
    root = make_pack(tmp_path)
    two_refs = "\n".join(REFERENCES.splitlines()[:2])
    (root / "articles" / "first.md").write_text(article("first", body="## A {#a}\n\nText.\n", refs=two_refs))
    errors = errors_of(root)
    assert any("first.md:" in e and "2 references; at least 3" in e for e in errors)


def test_it_rejects_a_citation_to_a_missing_reference(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(article("first", body="## A {#a}\n\nText [7].\n"))
    errors = errors_of(root)
    assert errors == [f"{root / 'articles' / 'first.md'}:11: cites reference [7], which the article does not list"]


def test_it_rejects_a_reference_without_identifier(tmp_path):
    root = make_pack(tmp_path)
    refs = REFERENCES + "\n4. Author B. No identifier here. J Test. 2020."
    (root / "articles" / "first.md").write_text(article("first", refs=refs))
    assert any("reference 4 has no PMID, DOI or URL" in e for e in errors_of(root))


def test_it_rejects_a_faq_question_without_answer(tmp_path):
    root = make_pack(tmp_path)
    faq = FAQ + "\n### A question nobody answered?\n\n"
    (root / "articles" / "first.md").write_text(article("first", faq=faq))
    errors = errors_of(root)
    assert any("FAQ question 'A question nobody answered?' has no answer" in e for e in errors)
    line = int(next(e for e in errors if "nobody" in e).split(":")[1])
    assert (root / "articles" / "first.md").read_text().splitlines()[line - 1].startswith("### A question nobody")


def test_it_rejects_an_unknown_glossary_term(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(article("first", body="## A {#a}\n\nA [gadget](glossary:gadget).\n"))
    assert any("unknown glossary term 'gadget'" in e for e in errors_of(root))


def test_it_rejects_a_broken_internal_link(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(article("first", body="## A {#a}\n\nSee [x](article:nowhere).\n"))
    assert any("broken internal link: no article 'nowhere'" in e for e in errors_of(root))


def test_it_rejects_a_link_to_a_missing_anchor(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(article("first", body="## A {#a}\n\nSee [x](article:second#nope).\n"))
    assert any("missing anchor: article 'second' has no section '#nope'" in e for e in errors_of(root))


def test_it_rejects_a_heading_without_anchor(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(article("first", body="## No anchor here\n\nText.\n"))
    assert any("heading 'No anchor here' has no {#anchor}" in e for e in errors_of(root))


def test_it_rejects_an_unknown_related_article(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(article("first", related="[ghost]"))
    assert any("related article 'ghost' does not exist" in e for e in errors_of(root))


def test_it_lists_every_error_not_just_the_first(tmp_path):
    root = make_pack(tmp_path)
    (root / "articles" / "first.md").write_text(
        article("first", body="## A {#a}\n\n[x](glossary:nope) and [y](article:ghost) [9].\n")
    )
    (root / "glossary.yaml").write_text("- term: Widget\n  slug: widget\n")
    errors = errors_of(root)
    assert len(errors) >= 4
    assert all(e.count(":") >= 2 for e in errors)


def test_malformed_yaml_is_reported_with_its_line(tmp_path):
    root = make_pack(tmp_path)
    (root / "pack.yaml").write_text("medicine:\n  slug: [unclosed\n")
    assert any(e.startswith(f"{root / 'pack.yaml'}:") and "invalid YAML" in e for e in errors_of(root))


def test_a_missing_folder_is_an_error_not_a_traceback(tmp_path):
    assert errors_of(tmp_path / "absent") == [f"{tmp_path / 'absent'}:0: not a folder"]
