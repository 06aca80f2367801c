"""Each flag rule of the clinician dashboard (rxplain/course/flags.py)."""

from datetime import date

from rxplain.course import flags
from rxplain.course.flags import CheckInFacts, LabFacts

TODAY = date(2025, 5, 30)


def test_a_check_in_is_overdue_the_day_after_it_was_due():
    assert flags.checkin_overdue(date(2025, 5, 30), TODAY) is None
    flag = flags.checkin_overdue(date(2025, 5, 29), TODAY)
    assert flag.kind == "checkin-overdue" and flag.level == "review"


def test_a_phq9_of_10_or_more_is_flagged_for_review():
    assert flags.phq9_flag(CheckInFacts(TODAY, phq9_total=9, phq9_item9=0), 10) is None
    flag = flags.phq9_flag(CheckInFacts(TODAY, phq9_total=10, phq9_item9=0), 10)
    assert flag.kind == "phq9" and flag.level == "review"


def test_item_9_above_0_is_a_crisis_flag_whatever_the_total():
    flag = flags.phq9_flag(CheckInFacts(TODAY, phq9_total=1, phq9_item9=1), 10)
    assert flag.kind == "phq9-item9" and flag.level == "crisis"


def test_a_positive_pregnancy_test_is_urgent():
    assert flags.pregnancy_flag(CheckInFacts(TODAY, pregnancy_result="negative")) is None
    assert flags.pregnancy_flag(CheckInFacts(TODAY, pregnancy_result="positive")).level == "urgent"


def test_birth_control_not_confirmed_is_urgent_and_not_asked_is_no_flag():
    assert flags.contraception_flag(CheckInFacts(TODAY, contraception_confirmed=None)) is None
    assert flags.contraception_flag(CheckInFacts(TODAY, contraception_confirmed=True)) is None
    assert flags.contraception_flag(CheckInFacts(TODAY, contraception_confirmed=False)).level == "urgent"


def test_triage_verdicts_become_flags():
    assert flags.triage_flag(CheckInFacts(TODAY, triage="ok")) is None
    assert flags.triage_flag(CheckInFacts(TODAY, triage="crisis")).level == "crisis"
    assert flags.triage_flag(CheckInFacts(TODAY, triage="urgent", triage_category="pancreatitis")).level == "urgent"
    assert flags.triage_flag(CheckInFacts(TODAY, triage="unscreened")).level == "review"


def test_a_lab_out_of_range_is_flagged_with_the_source_of_its_threshold(rules):
    tg = rules.lab("triglycerides")
    assert flags.lab_flag(LabFacts("triglycerides", TODAY, 450), tg) is None
    flag = flags.lab_flag(LabFacts("triglycerides", TODAY, 620), tg)
    assert flag.level == "review" and "500" in flag.message
    assert "droracle.ai" in flag.source
    assert flags.lab_flag(LabFacts("triglycerides", TODAY, 900), tg).level == "urgent"


def test_liver_enzymes_above_the_upper_limit_are_flagged_for_review_with_an_honest_source(rules):
    flag = flags.lab_flag(LabFacts("alt", TODAY, 55), rules.lab("alt"))
    assert flag.level == "review"
    assert "prescriber to review" in flag.message
    assert "NOT FOUND" in flag.source


def test_no_flag_text_is_a_dose_instruction(rules):
    texts = [t.label for lab in rules.labs for t in lab.thresholds]
    for text in texts:
        lowered = text.lower()
        assert "reduce" not in lowered and "stop" not in lowered and "increase" not in lowered


def test_missed_doses_above_20_percent_are_flagged():
    assert flags.missed_dose_flag(30, 150, 0.20) is None  # exactly 20%
    flag = flags.missed_dose_flag(31, 150, 0.20)
    assert flag.kind == "missed-doses" and "21%" in flag.message


def test_only_the_latest_result_of_each_test_counts():
    labs = [LabFacts("alt", date(2025, 2, 1), 90), LabFacts("alt", date(2025, 3, 1), 30)]
    assert flags.latest_per_test(labs) == [labs[1]]


def test_collect_puts_the_most_pressing_first_and_ignores_old_check_ins(rules):
    found = flags.collect(
        today=TODAY, checkin_due=date(2025, 5, 1), recent_days=30,
        checkins=[CheckInFacts(date(2025, 5, 20), phq9_total=12, phq9_item9=0),
                  CheckInFacts(date(2025, 5, 25), phq9_total=3, phq9_item9=1),
                  CheckInFacts(date(2025, 3, 1), pregnancy_result="positive")],  # older than 30 days
        labs=[LabFacts("triglycerides", date(2025, 5, 1), 900)], lab_rules=rules.labs,
        days_missed=40, days_on_treatment=150, phq9_at_least=10, missed_above=0.2,
    )
    kinds = [f.kind for f in found]
    assert kinds[0] == "phq9-item9"
    assert kinds[1] == "lab:triglycerides"
    assert set(kinds) == {"phq9-item9", "lab:triglycerides", "phq9", "checkin-overdue", "missed-doses"}
    assert "pregnancy" not in kinds
