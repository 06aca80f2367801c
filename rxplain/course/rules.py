"""The per-medicine course rules, read from a content pack's course.yaml (content/<medicine>/course.yaml).

Everything that differs per medicine (target band, dose guard, check-in interval, side effects, labs and their
flag thresholds, schedules) comes from here, so a second medicine is a new pack, not new code. Parsing is plain
Python; ``rules_for(medicine)`` adds the Django settings lookup and a cache.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rxplain.library.pack import PackError, read_pack

log = logging.getLogger(__name__)


class RulesError(Exception):
    """course.yaml is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class LabThreshold:
    above: float  # in the lab's canonical unit
    level: str  # "urgent" | "review"
    label: str
    source: str


@dataclass(frozen=True)
class LabRule:
    id: str
    name: str
    units: dict[str, float]  # accepted unit -> factor into the canonical (first) unit
    plausible: tuple[float, float]
    thresholds: tuple[LabThreshold, ...]  # highest first

    @property
    def canonical_unit(self) -> str:
        return next(iter(self.units))


@dataclass(frozen=True)
class SideEffect:
    id: str
    label: str
    triage: str


@dataclass(frozen=True)
class LabVisit:
    id: str
    label: str
    due_day: int
    from_day: int
    to_day: int


@dataclass(frozen=True)
class CourseRules:
    medicine: str
    name: str
    target_low: float
    target_high: float
    target_source: str
    max_mg_per_kg_per_day: float
    dose_source: str
    checkin_interval_days: int
    checkin_lead_days: int
    phq9: bool
    phq9_flag_at_least: int
    phq9_source: str
    missed_fraction_flag_above: float
    side_effects: tuple[SideEffect, ...]
    labs: tuple[LabRule, ...]
    lab_tests: tuple[str, ...]
    lab_visits: tuple[LabVisit, ...]
    lab_lead_days: int
    lab_then: str
    lab_source: str
    brands: tuple[str, ...] = field(default=())
    red_flags: dict[str, tuple[str, str]] = field(default_factory=dict)  # triage category -> (sign, action)
    # A pregnancy-prevention programme (iPLEDGE for isotretinoin); a pack without a `pregnancy` section has none.
    pregnancy_program: bool = False
    contraception_methods: int = 0
    pregnancy_test_interval_days: int = 0
    pregnancy_test_lead_days: int = 0
    pickup_window_days: int = 0
    pickup_lead_days: int = 0
    pregnancy_positive_action: str = ""
    pregnancy_source: str = ""
    contraception_choices: tuple[str, ...] = field(default=())
    abstinence: str = ""

    def lab(self, lab_id: str) -> LabRule:
        for rule in self.labs:
            if rule.id == lab_id:
                return rule
        raise KeyError(lab_id)

    def asks_pregnancy(self, can_become_pregnant: bool) -> bool:
        """Birth control, pregnancy tests and the pickup window apply to this patient."""
        return self.pregnancy_program and can_become_pregnant

    @property
    def earliest_lab_day(self) -> int:
        """Labs may be dated this many days from the start (negative: before it, for the baseline)."""
        return min((v.from_day for v in self.lab_visits), default=0)


def parse_rules(data: object, where: str = "course.yaml", brands: tuple[str, ...] = (),
                red_flags: dict[str, tuple[str, str]] | None = None) -> CourseRules:
    """Build CourseRules from the parsed YAML; raises RulesError naming the first missing or bad key."""
    if not isinstance(data, dict):
        raise RulesError(f"{where}: expected a mapping")

    def get(path: str, kind: type | None = None) -> Any:
        node: Any = data
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                raise RulesError(f"{where}: '{path}' is missing")
            node = node[key]
        if kind is float and isinstance(node, int) and not isinstance(node, bool):
            return float(node)
        if kind is not None and not isinstance(node, kind):
            raise RulesError(f"{where}: '{path}' should be {kind.__name__}")
        return node

    labs = []
    for item in get("labs", list):
        units = {str(k): float(v) for k, v in (item.get("units") or {}).items()}
        if not units or not item.get("id"):
            raise RulesError(f"{where}: every lab needs an id and units")
        thresholds = sorted(
            (
                LabThreshold(float(f["above"]), str(f["level"]), str(f["label"]), " ".join(str(f["source"]).split()))
                for f in item.get("flags") or []
            ),
            key=lambda t: -t.above,
        )
        low, high = item.get("plausible") or (0, float("inf"))
        labs.append(LabRule(str(item["id"]), str(item["name"]), units, (float(low), float(high)), tuple(thresholds)))
    visits = tuple(
        LabVisit(str(v["id"]), str(v["label"]), int(v["due_day"]), int(v["from_day"]), int(v["to_day"]))
        for v in get("lab_schedule.visits", list)
    )
    lab_ids = {lab.id for lab in labs}
    tests = tuple(str(t) for t in get("lab_schedule.tests", list))
    unknown = [t for t in tests if t not in lab_ids]
    if unknown:
        raise RulesError(f"{where}: lab_schedule.tests names unknown labs {unknown}")
    low, high = float(get("target.low", float)), float(get("target.high", float))
    if not 0 < low <= high:
        raise RulesError(f"{where}: target.low and target.high must be 0 < low <= high")

    def text(path: str) -> str:
        return " ".join(str(get(path)).split())

    pregnancy: dict[str, Any] = {}
    if data.get("pregnancy"):
        pregnancy = {
            "pregnancy_program": True,
            "contraception_methods": int(get("pregnancy.contraception_methods", int)),
            "pregnancy_test_interval_days": int(get("pregnancy.test_interval_days", int)),
            "pregnancy_test_lead_days": int(get("pregnancy.test_reminder_lead_days", int)),
            "pickup_window_days": int(get("pregnancy.pickup_window_days", int)),
            "pickup_lead_days": int(get("pregnancy.pickup_reminder_lead_days", int)),
            "pregnancy_positive_action": text("pregnancy.positive_action"),
            "pregnancy_source": text("pregnancy.source"),
            "contraception_choices": tuple(str(m) for m in get("pregnancy.methods", list)),
            "abstinence": str(get("pregnancy.abstinence", str)),
        }

    return CourseRules(
        medicine=str(get("medicine", str)),
        name=str(get("name", str)),
        target_low=low,
        target_high=high,
        target_source=text("target.source"),
        max_mg_per_kg_per_day=float(get("dose.max_mg_per_kg_per_day", float)),
        dose_source=text("dose.source"),
        checkin_interval_days=int(get("check_in.interval_days", int)),
        checkin_lead_days=int(get("check_in.reminder_lead_days", int)),
        phq9=get("check_in.mood_screen") == "phq9",
        phq9_flag_at_least=int(get("check_in.phq9_flag_at_least", int)),
        phq9_source=text("check_in.phq9_source"),
        missed_fraction_flag_above=float(get("adherence.missed_fraction_flag_above", float)),
        side_effects=tuple(
            SideEffect(str(s["id"]), str(s["label"]), str(s.get("triage") or s["label"]))
            for s in get("side_effects", list)
        ),
        labs=tuple(labs),
        lab_tests=tests,
        lab_visits=visits,
        lab_lead_days=int(get("lab_schedule.reminder_lead_days", int)),
        lab_then=text("lab_schedule.then"),
        lab_source=text("lab_schedule.source"),
        brands=brands,
        red_flags=red_flags or {},
        **pregnancy,
    )


def load_rules(root: Path) -> CourseRules:
    """Read the rules of the pack at ``root`` through the pack reader (so packs are parsed one way everywhere).

    A pack whose articles fail validation still has usable course rules: tracking a patient's course must not stop
    because an article lacks a reference, so we then read course.yaml on its own (and log only the error count).
    """
    try:
        pack = read_pack(root)
    except PackError as exc:
        log.warning("content pack %s did not validate (%d errors); reading course.yaml alone", root.name,
                    len(exc.errors))
        path = root / "course.yaml"
        if not path.exists():
            raise RulesError(f"{path}: file is missing") from None
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as yaml_exc:
            raise RulesError(f"{path}: invalid YAML") from yaml_exc
        return parse_rules(data, str(path))
    if "course" not in pack.extra:
        raise RulesError(f"{root / 'course.yaml'}: file is missing")
    brands = tuple(str(b) for b in pack.medicine.get("brands") or ())
    red_flags = {f.id: (f.sign, f.action) for f in pack.red_flags}
    return parse_rules(pack.extra["course"], str(root / "course.yaml"), brands=brands, red_flags=red_flags)


@lru_cache(maxsize=16)
def _cached(root: str) -> CourseRules:
    return load_rules(Path(root))


def rules_for(medicine: str) -> CourseRules:
    """The cached rules of ``medicine`` from settings.RXPLAIN_CONTENT_DIR."""
    from django.conf import settings

    return _cached(str(Path(settings.RXPLAIN_CONTENT_DIR) / medicine))


def available_medicines() -> list[str]:
    """Slugs of packs that carry a course.yaml (for the medicine choice on the course form)."""
    from django.conf import settings

    root = Path(settings.RXPLAIN_CONTENT_DIR)
    return sorted(p.parent.name for p in root.glob("*/course.yaml"))


clear_cache = _cached.cache_clear
