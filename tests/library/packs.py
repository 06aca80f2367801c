"""A small valid content pack written in code, and helpers to break it one rule at a time."""

from __future__ import annotations

from pathlib import Path

PACK_YAML = """\
medicine:
  slug: testamine
  generic: testamine
  brands: [Testol]
  misspellings: [testamin]
hub:
  title: Testamine
  summary: A medicine that exists only in tests.
  intro: |
    Testamine is a [widget](glossary:widget) medicine.
  checked_on: 2026-01-02
"""

GLOSSARY_YAML = """\
- term: Widget
  slug: widget
  definition: A made-up thing used in tests.
  aliases: [widgets]
"""

RED_FLAGS_YAML = """\
- id: test-flag
  sign: A made-up warning sign
  phrases: ["purple fingers"]
  action: Contact your prescriber today.
  level: urgent
  source: Test source
"""

FAQ = "\n".join(f"### Question {n}?\nAnswer {n}.\n" for n in range(1, 6))
REFERENCES = "\n".join(
    f"{n}. Author A. A title. J Test. 2024;1:{n}. doi:10.1000/test{n}. PMID: {1000 + n}." for n in range(1, 4)
)


def article(slug: str, related: str = "[]", body: str | None = None, faq: str = FAQ, refs: str = REFERENCES) -> str:
    body = body if body is not None else (
        "## What it is {#what-it-is}\n\nA [widget](glossary:widget) that works [1]. See "
        "[the other one](article:second#what-it-is).\n\n## How to take it {#how-to-take-it}\n\nWith water [2].\n"
    )
    return (
        f"---\ntitle: Article {slug}\nslug: {slug}\nsummary: A short summary of {slug}.\nchecked_on: 2026-01-02\n"
        f"related: {related}\n---\n\n{body}\n## FAQ {{#faq}}\n\n{faq}\n## References {{#references}}\n\n{refs}\n"
    )


def make_pack(root: Path) -> Path:
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(PACK_YAML)
    (root / "glossary.yaml").write_text(GLOSSARY_YAML)
    (root / "red_flags.yaml").write_text(RED_FLAGS_YAML)
    (root / "articles" / "first.md").write_text(article("first", related="[second]"))
    (root / "articles" / "second.md").write_text(article("second", related="[first]"))
    return root
