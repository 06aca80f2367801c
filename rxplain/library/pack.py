"""Read and validate a content pack (content/<medicine>/), as plain Python with no Django imports.

The loader, the answer engine's benchmarks and the triage all read packs through this module, so a pack is parsed
one way everywhere. Validation collects *every* problem as ``file:line: reason`` before anything is loaded.
Run ``python -m rxplain.library.pack content/isotretinoin`` to check a pack by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*(?:\{#(?P<anchor>[^}]*)\})?\s*$")
QUESTION = re.compile(r"^###\s+(?P<q>.+?)\s*$")
REFERENCE = re.compile(r"^(?P<n>\d+)\.\s+(?P<text>.+)$")
ANCHOR = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK = re.compile(r"\[(?P<label>[^\]]+)\]\((?P<kind>glossary|article):(?P<target>[^)#\s]*)(?:#(?P<anchor>[^)\s]*))?\)")
CITE = re.compile(r"(?<![\[!])\[(?P<nums>\d+(?:\s*[,–-]\s*\d+)*)\](?![(:])")
IDENTIFIER = re.compile(r"(PMID:?\s*\d+|doi:?\s*10\.\d{4,}/\S+|https?://\S+)", re.IGNORECASE)
YEAR = re.compile(r"\b(19|20)\d{2}\b")
MIN_FAQ = 5
MIN_REFERENCES = 3
MAX_SUMMARY = 160


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    markdown: str
    line: int


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str
    line: int


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    line: int


@dataclass
class Article:
    slug: str
    title: str
    summary: str
    checked_on: dt.date | None
    related: list[str]
    sections: list[Section]
    faq: list[FaqItem]
    references: list[Reference]
    path: Path
    source: str = ""

    @property
    def anchors(self) -> set[str]:
        return {s.anchor for s in self.sections} | {"faq", "references"}


@dataclass(frozen=True)
class GlossaryTerm:
    slug: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedFlag:
    id: str
    sign: str
    phrases: tuple[str, ...]
    action: str
    level: str
    source: str
    requires_all: tuple[tuple[str, ...], ...] = ()


@dataclass
class Pack:
    root: Path
    medicine: dict
    hub: dict
    articles: list[Article] = field(default_factory=list)
    glossary: list[GlossaryTerm] = field(default_factory=list)
    red_flags: list[RedFlag] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # other YAML files of the pack (e.g. course.yaml), by stem

    @property
    def slug(self) -> str:
        return str(self.medicine.get("slug", self.root.name))

    def article(self, slug: str) -> Article | None:
        return next((a for a in self.articles if a.slug == slug), None)

    def names(self) -> list[str]:
        """Every name the medicine goes by: generic, brands, other names and misspellings (for search)."""
        keys = ("generic", "brands", "other_names", "misspellings")
        out: list[str] = []
        for key in keys:
            value = self.medicine.get(key) or []
            out.extend([value] if isinstance(value, str) else value)
        return [str(n) for n in out]


class PackError(Exception):
    """The pack cannot be loaded; ``errors`` holds every ``file:line: reason``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Errors(list):
    def add(self, path: Path, line: int, reason: str) -> None:
        self.append(f"{path}:{line}: {reason}")


def read_pack(root: Path | str) -> Pack:
    """Parse and validate a pack; raises PackError listing every problem."""
    root = Path(root)
    errors = _Errors()
    if not root.is_dir():
        raise PackError([f"{root}:0: not a folder"])
    meta = _read_yaml(root / "pack.yaml", errors) or {}
    if not isinstance(meta, dict):
        errors.add(root / "pack.yaml", 1, "expected a mapping with 'medicine' and 'hub'")
        meta = {}
    pack = Pack(root=root, medicine=meta.get("medicine") or {}, hub=meta.get("hub") or {})
    if not pack.medicine.get("generic"):
        errors.add(root / "pack.yaml", 1, "medicine.generic is missing")
    pack.glossary = _read_glossary(root / "glossary.yaml", errors)
    pack.red_flags = _read_red_flags(root / "red_flags.yaml", errors)
    for extra in sorted(root.glob("*.yaml")):
        if extra.stem not in {"pack", "glossary", "red_flags"}:
            pack.extra[extra.stem] = _read_yaml(extra, errors)
    articles_dir = root / "articles"
    files = sorted(articles_dir.glob("*.md")) if articles_dir.is_dir() else []
    if not files:
        errors.add(articles_dir, 0, "the pack has no articles")
    pack.articles = [a for a in (_read_article(f, errors) for f in files) if a is not None]
    _check_links(pack, errors)
    if errors:
        raise PackError(list(errors))
    return pack


def _read_yaml(path: Path, errors: _Errors) -> object:
    if not path.exists():
        errors.add(path, 0, "file is missing")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(path, (mark.line + 1) if mark else 1, f"invalid YAML: {getattr(exc, 'problem', exc)}")
    except UnicodeDecodeError:
        errors.add(path, 1, "not UTF-8 text")
    return None


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _read_glossary(path: Path, errors: _Errors) -> list[GlossaryTerm]:
    data = _read_yaml(path, errors)
    if data is None:
        return []
    text = path.read_text(encoding="utf-8")
    if not isinstance(data, list):
        errors.add(path, 1, "expected a list of terms")
        return []
    terms, seen = [], set()
    for item in data:
        if not isinstance(item, dict) or not item.get("slug") or not item.get("term"):
            errors.add(path, 1, f"a glossary entry needs term and slug: {item!r:.60}")
            continue
        line = _line_of(text, f"slug: {item['slug']}")
        if not str(item.get("definition", "")).strip():
            errors.add(path, line, f"glossary term '{item['slug']}' has no definition")
        if item["slug"] in seen:
            errors.add(path, line, f"glossary term '{item['slug']}' is defined twice")
        seen.add(item["slug"])
        terms.append(
            GlossaryTerm(
                slug=str(item["slug"]),
                term=str(item["term"]),
                definition=str(item.get("definition", "")).strip(),
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
            )
        )
    return terms


def _read_red_flags(path: Path, errors: _Errors) -> list[RedFlag]:
    data = _read_yaml(path, errors)
    if data is None:
        return []
    text = path.read_text(encoding="utf-8")
    if not isinstance(data, list):
        errors.add(path, 1, "expected a list of red flags")
        return []
    flags = []
    for item in data:
        if not isinstance(item, dict) or not item.get("id"):
            errors.add(path, 1, f"a red flag needs an id: {item!r:.60}")
            continue
        line = _line_of(text, f"id: {item['id']}")
        for key in ("sign", "phrases", "action", "source"):
            if not item.get(key):
                errors.add(path, line, f"red flag '{item['id']}' has no {key}")
        level = item.get("level", "urgent")
        if level not in ("urgent", "emergency"):
            errors.add(path, line, f"red flag '{item['id']}' has level {level!r}; use urgent or emergency")
        flags.append(
            RedFlag(
                id=str(item["id"]),
                sign=str(item.get("sign", "")),
                phrases=tuple(str(p).lower() for p in item.get("phrases") or ()),
                action=str(item.get("action", "")),
                level=str(level),
                source=str(item.get("source", "")),
                requires_all=tuple(tuple(str(w).lower() for w in g) for g in item.get("requires_all") or ()),
            )
        )
    return flags


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end < 0:
        return None
    front = text[4:end]
    return front, text[end + 5 :], front.count("\n") + 4  # the line the body starts on


def _read_article(path: Path, errors: _Errors) -> Article | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.add(path, 1, "not UTF-8 text")
        return None
    return _parse_article(path, text, errors)


def parse_article_text(text: str, slug: str) -> Article:
    """Parse one article's stored source (as kept on its page); raises PackError if it no longer parses."""
    errors = _Errors()
    article = _parse_article(Path(f"{slug}.md"), text, errors)
    if article is None:
        raise PackError(list(errors))
    return article


def plain_text(source: str) -> str:
    """The article's text without front matter, Markdown markup, links or citation numbers (for site search)."""
    parts = _split_front_matter(source)
    body = parts[1] if parts else source
    body = LINK.sub(lambda m: m.group("label"), body)
    body = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", body)
    body = CITE.sub("", body)
    body = re.sub(r"\{#[^}]*\}", "", body)
    body = re.sub(r"^[#>*\-|\s]+", "", body, flags=re.MULTILINE)
    return re.sub(r"[*_`|]", "", body)


def _parse_article(path: Path, text: str, errors: _Errors) -> Article | None:
    parts = _split_front_matter(text)
    if parts is None:
        errors.add(path, 1, "no front matter: the file must start with a '---' YAML block")
        return None
    front_text, body, body_line = parts
    try:
        front = yaml.safe_load(front_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(path, (mark.line + 2) if mark else 1, f"invalid front matter: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(front, dict):
        errors.add(path, 1, "front matter must be a mapping")
        return None

    def front_line(key: str) -> int:
        return _line_of(text, f"\n{key}:") + 1 if f"\n{key}:" in text else 1

    for key in ("title", "slug", "summary", "checked_on"):
        if not front.get(key):
            errors.add(path, 1, f"front matter has no {key}")
    slug = str(front.get("slug") or path.stem)
    if front.get("slug") and slug != path.stem:
        errors.add(path, front_line("slug"), f"slug '{slug}' differs from the file name '{path.stem}'")
    summary = str(front.get("summary") or "").strip()
    if len(summary) > MAX_SUMMARY:
        errors.add(path, front_line("summary"), f"summary is {len(summary)} characters; at most {MAX_SUMMARY}")
    checked_on = front.get("checked_on")
    if checked_on and not isinstance(checked_on, dt.date):
        try:
            checked_on = dt.date.fromisoformat(str(checked_on))
        except ValueError:
            errors.add(path, front_line("checked_on"), f"checked_on '{checked_on}' is not a YYYY-MM-DD date")
            checked_on = None
    related = front.get("related") or []
    if not isinstance(related, list):
        errors.add(path, front_line("related"), "related must be a list of article slugs")
        related = []

    sections, faq, references = _read_body(path, body, body_line, errors)
    return Article(
        slug=slug,
        title=str(front.get("title") or slug),
        summary=summary,
        checked_on=checked_on or None,
        related=[str(r) for r in related],
        sections=sections,
        faq=faq,
        references=references,
        path=path,
        source=text,
    )


def _read_body(
    path: Path, body: str, first_line: int, errors: _Errors
) -> tuple[list[Section], list[FaqItem], list[Reference]]:
    chunks: list[tuple[str, str, int, list[tuple[int, str]]]] = []  # anchor, title, line, lines
    for offset, raw in enumerate(body.split("\n")):
        line_no = first_line + offset
        match = HEADING.match(raw)
        if match:
            anchor = (match.group("anchor") or "").strip()
            if not anchor:
                errors.add(path, line_no, f"heading '{match.group('title')}' has no {{#anchor}}")
                anchor = f"missing-{line_no}"
            elif not ANCHOR.match(anchor):
                errors.add(path, line_no, f"anchor '{anchor}' must be lower-case words joined by hyphens")
            if any(c[0] == anchor for c in chunks):
                errors.add(path, line_no, f"anchor '{anchor}' is used twice")
            chunks.append((anchor, match.group("title").strip(), line_no, []))
        elif chunks:
            chunks[-1][3].append((line_no, raw))
        elif raw.strip():
            errors.add(path, line_no, "text before the first '## Section {#anchor}' heading")

    anchors = [c[0] for c in chunks]
    for required in ("faq", "references"):
        if required not in anchors:
            errors.add(path, first_line, f"the article has no '## ... {{#{required}}}' section")
    if anchors[-2:] != ["faq", "references"] and {"faq", "references"} <= set(anchors):
        errors.add(path, first_line, "FAQ and References must be the last two sections, in that order")

    sections, faq, references = [], [], []
    for anchor, title, line_no, lines in chunks:
        if anchor == "faq":
            faq = _read_faq(path, lines, errors)
        elif anchor == "references":
            references = _read_references(path, lines, errors)
        else:
            markdown = "\n".join(text for _, text in lines).strip()
            if not markdown:
                errors.add(path, line_no, f"section '{anchor}' is empty")
            sections.append(Section(anchor=anchor, title=title, markdown=markdown, line=line_no))
    if "faq" in anchors and len(faq) < MIN_FAQ:
        errors.add(path, _chunk_line(chunks, "faq"), f"the FAQ has {len(faq)} questions; at least {MIN_FAQ}")
    if "references" in anchors and len(references) < MIN_REFERENCES:
        errors.add(
            path,
            _chunk_line(chunks, "references"),
            f"the article has {len(references)} references; at least {MIN_REFERENCES}",
        )
    _check_citations(path, chunks, references, errors)
    return sections, faq, references


def _chunk_line(chunks: list, anchor: str) -> int:
    return next(c[2] for c in chunks if c[0] == anchor)


def _read_faq(path: Path, lines: list[tuple[int, str]], errors: _Errors) -> list[FaqItem]:
    items: list[tuple[str, int, list[str]]] = []
    for line_no, raw in lines:
        match = QUESTION.match(raw)
        if match:
            items.append((match.group("q"), line_no, []))
        elif items:
            items[-1][2].append(raw)
        elif raw.strip():
            errors.add(path, line_no, "FAQ text before the first '### Question'")
    faq = []
    for question, line_no, answer_lines in items:
        answer = "\n".join(answer_lines).strip()
        if not answer:
            errors.add(path, line_no, f"FAQ question '{question}' has no answer")
            continue
        faq.append(FaqItem(question=question, answer=answer, line=line_no))
    return faq


def _read_references(path: Path, lines: list[tuple[int, str]], errors: _Errors) -> list[Reference]:
    refs = []
    for line_no, raw in lines:
        if not raw.strip():
            continue
        match = REFERENCE.match(raw.strip())
        if not match:
            errors.add(path, line_no, "a reference must be a numbered line: '1. Authors. Title. Journal. Year...'")
            continue
        number, text = int(match.group("n")), match.group("text").strip()
        if number != len(refs) + 1:
            errors.add(path, line_no, f"reference {number} is out of order; expected {len(refs) + 1}")
        if not YEAR.search(text):
            errors.add(path, line_no, f"reference {number} has no year")
        if not IDENTIFIER.search(text):
            errors.add(path, line_no, f"reference {number} has no PMID, DOI or URL")
        refs.append(Reference(number=number, text=text, line=line_no))
    return refs


def _cited_numbers(text: str) -> list[int]:
    numbers = []
    for match in CITE.finditer(text):
        for part in re.split(r"\s*,\s*", match.group("nums")):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2:
                numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            else:
                numbers.append(int(bounds[0]))
    return numbers


def _check_citations(path: Path, chunks: list, references: list[Reference], errors: _Errors) -> None:
    known = {r.number for r in references}
    for anchor, _title, _line, lines in chunks:
        if anchor == "references":
            continue
        for line_no, raw in lines:
            for number in _cited_numbers(raw):
                if number not in known:
                    errors.add(path, line_no, f"cites reference [{number}], which the article does not list")


def _check_links(pack: Pack, errors: _Errors) -> None:
    glossary = {t.slug for t in pack.glossary}
    articles = {a.slug: a for a in pack.articles}
    sources: list[tuple[Path, str, int]] = [
        (a.path, raw, n + 1) for a in pack.articles for n, raw in enumerate(a.source.split("\n"))
    ]
    intro = str(pack.hub.get("intro") or "")
    hub_text = (pack.root / "pack.yaml").read_text(encoding="utf-8") if (pack.root / "pack.yaml").exists() else ""
    sources += [(pack.root / "pack.yaml", raw, _line_of(hub_text, raw.strip()) if raw.strip() else 1)
                for raw in intro.split("\n")]
    for path, raw, line_no in sources:
        for link in LINK.finditer(raw):
            target, anchor = link.group("target"), link.group("anchor")
            if link.group("kind") == "glossary":
                if target not in glossary:
                    errors.add(path, line_no, f"unknown glossary term '{target}'")
            elif target not in articles:
                errors.add(path, line_no, f"broken internal link: no article '{target}'")
            elif anchor and anchor not in articles[target].anchors:
                errors.add(path, line_no, f"missing anchor: article '{target}' has no section '#{anchor}'")
    for article in pack.articles:
        for slug in article.related:
            if slug not in articles:
                errors.add(article.path, 1, f"related article '{slug}' does not exist")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m rxplain.library.pack content/<medicine>", file=sys.stderr)
        return 2
    try:
        pack = read_pack(args[0])
    except PackError as exc:
        print("\n".join(exc.errors), file=sys.stderr)
        print(f"{len(exc.errors)} error(s); the pack was not loaded.", file=sys.stderr)
        return 1
    print(f"{pack.slug}: {len(pack.articles)} articles, {len(pack.glossary)} glossary terms, "
          f"{len(pack.red_flags)} red flags: valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
