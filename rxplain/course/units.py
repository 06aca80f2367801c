"""Lab units: conversion between the units a pack accepts (mg/dL, mmol/L, U/L) and plausibility checks.

Plain Python over a LabRule. A value that only makes sense in another unit (triglycerides of 150 "mmol/L") is
refused with a message that says so, rather than being saved and flagged as an emergency.
"""

from __future__ import annotations

from rxplain.course.rules import LabRule, LabThreshold


class UnitError(ValueError):
    """A lab value the app cannot accept; the message is plain and safe to show (no values of other patients)."""


def to_canonical(value: float, unit: str, rule: LabRule) -> float:
    """The value in the lab's canonical unit (e.g. mg/dL); raises UnitError for a unit the lab does not use."""
    if unit not in rule.units:
        accepted = " or ".join(rule.units)
        raise UnitError(f"{rule.name} is measured in {accepted}, not {unit}.")
    return value * rule.units[unit]


def from_canonical(value: float, unit: str, rule: LabRule) -> float:
    if unit not in rule.units:
        raise UnitError(f"{rule.name} is measured in {' or '.join(rule.units)}, not {unit}.")
    return value / rule.units[unit]


def check(value: float, unit: str, rule: LabRule) -> float:
    """Convert and check that the value is plausible; returns the canonical value or raises UnitError."""
    if value <= 0:
        raise UnitError(f"{rule.name} must be a number above 0.")
    canonical = to_canonical(value, unit, rule)
    low, high = rule.plausible
    if low <= canonical <= high:
        return canonical
    others = [u for u in rule.units if u != unit and low <= to_canonical(value, u, rule) <= high]
    hint = f" It looks like a value in {others[0]}: check the unit on your lab report." if others else (
        " Check the number and the unit on your lab report."
    )
    shown_low, shown_high = from_canonical(low, unit, rule), from_canonical(high, unit, rule)
    raise UnitError(
        f"{value:g} {unit} is outside the possible range for {rule.name} "
        f"({shown_low:.3g}-{shown_high:.3g} {unit}).{hint}"
    )


def threshold_exceeded(canonical_value: float, rule: LabRule) -> LabThreshold | None:
    """The highest threshold of the pack that the value is above, or None when it is within range."""
    for threshold in rule.thresholds:  # highest first
        if canonical_value > threshold.above:
            return threshold
    return None
