"""Glue between published pages and the answer engine: passages from live pages, the index on disk, the engine.

The index is derived data: `rebuild()` makes it again from what is published, and every process reloads it when
the files change (a publish in one process is seen by the others on their next question).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings

from rxplain.library import pack as packlib

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[str, object] = {}


class EngineUnavailable(RuntimeError):
    """No published content has been indexed yet."""


def index_dir() -> Path:
    return Path(settings.RXPLAIN_INDEX_DIR)


def published_passages() -> list:
    """Passages of every live article, FAQ and glossary term, read from the live pages (never from drafts)."""
    from rxplain.answers.passages import passages_from_articles
    from rxplain.library.models import HubPage

    passages: list = []
    for hub in HubPage.objects.live().specific():
        articles = []
        for page in hub.articles():
            try:
                articles.append(page.parsed)
            except packlib.PackError:
                log.warning("article page %s no longer parses; left out of the index", page.pk)
        glossary = [
            packlib.GlossaryTerm(slug=t.slug, term=t.term, definition=t.definition, aliases=tuple(t.aliases))
            for t in hub.glossary_terms()
        ]
        medicine = dict(hub.names or {}) | {"slug": hub.medicine}
        passages.extend(passages_from_articles(medicine, articles, glossary, base_url=f"/{hub.medicine}/"))
    return passages


def published_medicines() -> list[dict]:
    from rxplain.library.models import HubPage

    return [dict(h.names or {}) | {"slug": h.medicine} for h in HubPage.objects.live().specific()]


def rebuild(progress: bool = True) -> int:
    """Build the index from published content and save it; returns the number of passages."""
    from rxplain.answers.engine import AnswerEngine

    passages = published_passages()
    engine = AnswerEngine.build(passages, published_medicines(), progress=progress)
    with _lock:
        engine.save(index_dir())
        _cache.clear()
    log.info("answer index rebuilt: %d passages", len(passages))
    return len(passages)


def _stamp() -> int | None:
    # Every save swaps `current.json` in one atomic rename, so its mtime alone tells whether the index changed:
    # one stat per question instead of listing the whole folder.
    try:
        return (index_dir() / "current.json").stat().st_mtime_ns
    except FileNotFoundError:
        return None


def get_engine():
    """The engine for the published content, loaded once per process and reloaded when the index changes."""
    from rxplain.answers.engine import AnswerEngine

    stamp = _stamp()
    with _lock:
        if stamp is not None and _cache.get("stamp") == stamp:
            return _cache["engine"]
    if stamp is None:
        if rebuild(progress=False) == 0:
            raise EngineUnavailable("No published content is indexed yet; run `rxplain load_content`.")
        stamp = _stamp()
    engine = AnswerEngine.load(index_dir())
    with _lock:
        _cache.update(engine=engine, stamp=stamp)
    return engine
