"""Passages and an engine straight from content packs on disk, without Django.

The site indexes what is *published* (rxplain.library.answer_index); benchmarks, tests and
``python -m rxplain.answers`` use the packs under content/ directly through these helpers.
"""

from __future__ import annotations

from pathlib import Path

from rxplain.answers.engine import AnswerEngine
from rxplain.answers.passages import Passage, passages_from_articles
from rxplain.library.pack import Pack, read_pack

REPO = Path(__file__).resolve().parents[2]
CONTENT_DIR = REPO / "content"
INDEX_DIR = REPO / "var" / "answers-index"


def pack_dirs(content_dir: Path = CONTENT_DIR) -> list[Path]:
    return sorted(d for d in content_dir.iterdir() if (d / "pack.yaml").exists()) if content_dir.is_dir() else []


def read_packs(content_dir: Path = CONTENT_DIR) -> list[Pack]:
    """Every pack under content_dir; raises PackError for an invalid one (the site would refuse it too)."""
    return [read_pack(d) for d in pack_dirs(content_dir)]


def medicine_of(pack: Pack) -> dict:
    return dict(pack.medicine) | {"slug": pack.slug}


def passages_of(packs: list[Pack], base_url: str = "") -> list[Passage]:
    passages: list[Passage] = []
    for pack in packs:
        passages.extend(passages_from_articles(medicine_of(pack), pack.articles, pack.glossary, base_url=base_url))
    return passages


def engine_from_content(
    content_dir: Path = CONTENT_DIR, index_dir: Path = INDEX_DIR, progress: bool = True
) -> AnswerEngine:
    """The engine over the packs, loaded from index_dir when it matches the packs, else rebuilt and saved."""
    packs = read_packs(content_dir)
    return AnswerEngine.load_or_build(index_dir, passages_of(packs), [medicine_of(p) for p in packs], progress)
