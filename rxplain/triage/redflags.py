"""A medicine's red flags, read from its content pack (``content/<medicine>/red_flags.yaml``).

Red flags are data, not code: a second medicine adds a folder, and the triage reads its warning signs without a
change here. The load is cached per content folder; a malformed entry is skipped (and its position logged, never
any patient text) so one bad line in a pack cannot switch the crisis checks off.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from rxplain.triage.text import prepare

log = logging.getLogger(__name__)

LEVELS = ("urgent", "emergency")


@dataclass(frozen=True)
class RedFlag:
    medicine: str
    id: str
    sign: str
    phrases: tuple[str, ...]
    requires_all: tuple[tuple[str, ...], ...]
    action: str
    level: str  # "urgent" (stop and call the prescriber today) or "emergency" (call 911)
    source: str
    pattern: re.Pattern[str]
    groups: tuple[re.Pattern[str], ...]

    @property
    def words(self) -> set[str]:
        """Every word of the flag, for the speller: "pregnent" should still find "pregnant"."""
        found = {w for p in self.phrases for w in p.split()}
        return found | {w for g in self.requires_all for p in g for w in p.split()}


def content_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The content folder: the argument, else $RXPLAIN_CONTENT_DIR, else ``content/`` at the repository root."""
    if override is not None:
        return Path(override)
    env = os.environ.get("RXPLAIN_CONTENT_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "content"


def load_red_flags(directory: str | os.PathLike[str] | None = None) -> tuple[RedFlag, ...]:
    return _load(str(content_dir(directory).resolve()))


@lru_cache(maxsize=8)
def _load(directory: str) -> tuple[RedFlag, ...]:
    flags: list[RedFlag] = []
    for path in sorted(Path(directory).glob("*/red_flags.yaml")):
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as error:
            log.warning("red flags: cannot read %s (%s)", path, type(error).__name__)
            continue
        if not isinstance(entries, list):
            log.warning("red flags: %s is not a list", path)
            continue
        for index, entry in enumerate(entries):
            flag = _flag(path.parent.name, entry)
            if flag is None:
                log.warning("red flags: %s entry %d is malformed and was skipped", path, index + 1)
            else:
                flags.append(flag)
    return tuple(flags)


def _flag(medicine: str, entry: object) -> RedFlag | None:
    if not isinstance(entry, dict):
        return None
    phrases = entry.get("phrases")
    level = entry.get("level")
    if not (isinstance(phrases, list) and phrases and level in LEVELS and entry.get("id") and entry.get("action")):
        return None
    groups_raw = entry.get("requires_all") or []
    if not isinstance(groups_raw, list) or not all(isinstance(g, list) and g for g in groups_raw):
        return None
    normal = tuple(p for p in (_normal(str(x)) for x in phrases) if p)
    groups = tuple(tuple(p for p in (_normal(str(x)) for x in g) if p) for g in groups_raw)
    return RedFlag(
        medicine=medicine,
        id=str(entry["id"]),
        sign=str(entry.get("sign", "")),
        phrases=normal,
        requires_all=groups,
        action=" ".join(str(entry["action"]).split()),
        level=str(level),
        source=str(entry.get("source", "")),
        pattern=phrase_pattern(normal),
        groups=tuple(phrase_pattern(g) for g in groups),
    )


def _normal(phrase: str) -> str:
    # The same normalisation as messages ("i'm" -> "im"), so pack authors can write ordinary English.
    return " ".join("*" if w == "*" else prepare(w).text for w in phrase.split())


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a list of phrases; each word may carry a plural or verb ending (blister -> blisters)."""

    def word(w: str) -> str:
        if w == "*":
            return r"\w+"  # "period is * late": any one word
        return re.escape(w) + r"(?:s|es|ed|d|ing)?" if w.isalpha() else re.escape(w)

    alternatives = sorted({" ".join(word(w) for w in p.split()) for p in phrases}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")
