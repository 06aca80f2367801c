"""Lab units: mg/dL and mmol/L both accepted and converted; the wrong unit refused (rxplain/course/units.py)."""

import pytest

from rxplain.course import units


def test_triglycerides_in_mmol_per_l_convert_with_88_57(rules):
    tg = rules.lab("triglycerides")
    assert units.to_canonical(5.65, "mmol/L", tg) == pytest.approx(500.4, abs=0.1)
    assert units.to_canonical(500, "mg/dL", tg) == 500
    assert units.from_canonical(500, "mmol/L", tg) == pytest.approx(5.645, abs=0.001)


def test_cholesterol_in_mmol_per_l_converts_with_38_67(rules):
    assert units.to_canonical(5.17, "mmol/L", rules.lab("total-cholesterol")) == pytest.approx(199.9, abs=0.1)
    assert units.to_canonical(4.14, "mmol/L", rules.lab("ldl-cholesterol")) == pytest.approx(160.1, abs=0.1)


def test_liver_enzymes_are_in_u_per_l_only(rules):
    alt = rules.lab("alt")
    assert units.check(35, "U/L", alt) == 35
    with pytest.raises(units.UnitError, match="U/L, not mg/dL"):
        units.check(35, "mg/dL", alt)


def test_a_triglyceride_value_that_only_makes_sense_in_mg_per_dl_is_refused_when_given_in_mmol_per_l(rules):
    with pytest.raises(units.UnitError, match="looks like a value in mg/dL"):
        units.check(150, "mmol/L", rules.lab("triglycerides"))


def test_a_triglyceride_value_that_only_makes_sense_in_mmol_per_l_is_refused_when_given_in_mg_per_dl(rules):
    with pytest.raises(units.UnitError, match="looks like a value in mmol/L"):
        units.check(1.7, "mg/dL", rules.lab("triglycerides"))


def test_zero_and_negative_values_are_refused(rules):
    for value in (0, -3):
        with pytest.raises(units.UnitError, match="above 0"):
            units.check(value, "mg/dL", rules.lab("triglycerides"))


def test_the_highest_exceeded_threshold_is_reported(rules):
    tg = rules.lab("triglycerides")
    assert units.threshold_exceeded(500, tg) is None  # "above 500", not at
    assert units.threshold_exceeded(501, tg).above == 500
    assert units.threshold_exceeded(801, tg).above == 800
    assert units.threshold_exceeded(801, tg).level == "urgent"
