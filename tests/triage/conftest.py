"""Shared fixtures for the triage tests: one engine for the whole session (loading the model takes ~1 s)."""

from __future__ import annotations

import pytest

from rxplain.triage import Triage


def _model_available() -> bool:
    try:
        from rxplain.embeddings import model_file, tokenizer_file

        return model_file().exists() and tokenizer_file().exists()
    except Exception:  # noqa: BLE001 - any failure means the model package is not installed
        return False


@pytest.fixture(scope="session")
def triage() -> Triage:
    """The engine with its embedding signal; tests that need the model skip where it is not installed."""
    if not _model_available():
        pytest.skip("the MiniLM model package is not installed")
    engine = Triage()
    assert engine.semantic is not None or engine.finetuned is not None
    return engine


@pytest.fixture(scope="session")
def lexicon_only() -> Triage:
    return Triage(semantic=False, finetuned=False)
