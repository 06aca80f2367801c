"""Fixtures for the answer engine: tiny in-test articles, and the real pack's engine built once per session.

None of these need Django: run with `pytest tests/answers -p no:django`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rxplain.library.pack import Article, FaqItem, GlossaryTerm, Reference, Section

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "content" / "isotretinoin"
# A test index under var/ (git-ignored) is reused while the pack is unchanged, so reruns start in a second.
TEST_INDEX = REPO / "var" / "test-answers-index"

MEDICINE = {
    "slug": "isotretinoin",
    "generic": "isotretinoin",
    "brands": ["Absorica", "Claravis", "Accutane"],
    "misspellings": ["acutane", "isotretinion"],
    "other_names": [],
}


def tiny_articles() -> list[Article]:
    """Two small articles in the pack's shape, with links, citations, a list and a table."""
    drinking = Article(
        slug="alcohol",
        title="Alcohol and isotretinoin",
        summary="About drinking.",
        checked_on=None,
        related=[],
        sections=[
            Section(
                anchor="drinking",
                title="Drinking alcohol",
                markdown=(
                    "Many clinics advise limiting alcohol during treatment [1]. Isotretinoin can raise "
                    "[blood fats](glossary:triglycerides) and **liver tests** [2].\n\n"
                    "See [blood tests](article:labs#which-tests) for more."
                ),
                line=5,
            ),
            Section(
                anchor="warning-signs",
                title="Warning signs",
                markdown=(
                    "Stop and call your prescriber if you have:\n\n"
                    "- a bad headache that does not go away;\n"
                    "- blurred or double vision;\n"
                    "- nausea or vomiting."
                ),
                line=9,
            ),
        ],
        faq=[
            FaqItem("Can I drink alcohol while taking isotretinoin?", "Ask your prescriber. Many clinics say to "
                    "avoid or limit alcohol [1].", 20),
            FaqItem("Is beer different from wine?", "We did not find any difference between drinks.", 22),
        ],
        references=[
            Reference(1, "Clinic guidance on alcohol. 2024. https://example.org/alcohol", 30),
            Reference(2, "Label text on liver tests. 2022. PMID: 12345678.", 31),
        ],
        path=Path("alcohol.md"),
    )
    labs = Article(
        slug="labs",
        title="Blood tests",
        summary="Which tests.",
        checked_on=None,
        related=[],
        sections=[
            Section(
                anchor="which-tests",
                title="Which tests you need",
                markdown=(
                    "| Test | When |\n|---|---|\n| Liver tests | Before you start |\n| Blood fats | Every month |\n\n"
                    "Most people need a liver test and a blood fat test before they start [1]."
                ),
                line=5,
            )
        ],
        faq=[FaqItem("Do I need to fast before my blood test?", "Usually yes, for the blood fats test.", 12)],
        references=[Reference(1, "Guideline on monitoring. 2024. doi:10.1000/xyz", 20)],
        path=Path("labs.md"),
    )
    return [drinking, labs]


def tiny_glossary() -> list[GlossaryTerm]:
    return [
        GlossaryTerm("triglycerides", "Triglycerides", "A type of fat in the blood.", ("blood fats",)),
        GlossaryTerm("tretinoin", "Tretinoin", "A retinoid cream you put on the skin.", ("retin-a",)),
    ]


@pytest.fixture(scope="session")
def tiny_passages():
    from rxplain.answers.passages import passages_from_articles

    return passages_from_articles(MEDICINE, tiny_articles(), tiny_glossary(), base_url="")


@pytest.fixture(scope="session")
def tiny_engine(tiny_passages):
    """An engine over the tiny articles that answers whatever it retrieves (threshold 0): for retrieval tests."""
    from rxplain.answers.engine import AnswerEngine

    engine = AnswerEngine.build(tiny_passages, [MEDICINE], progress=False)
    engine.calibration = {**engine.calibration, "confidence": {**engine.calibration["confidence"], "threshold": 0.0}}
    return engine


@pytest.fixture(scope="session")
def pack_engine():
    """The engine over the real isotretinoin pack, with the calibration the benchmarks measure."""
    if not (PACK / "pack.yaml").exists():
        pytest.skip("the isotretinoin pack is not in content/")
    from rxplain.answers import packs

    engine = packs.engine_from_content(REPO / "content", TEST_INDEX, progress=False)
    engine.warm()
    return engine


@pytest.fixture(scope="session")
def pack_passages(pack_engine):
    return list(pack_engine.index.passages)
