"""Fixtures shared by every test: the isotretinoin pack loaded once into the test database, and service checks."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "content" / "isotretinoin"
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_or_skip(available: bool, reason: str) -> None:
    """Skip with a reason where a service or data set is absent; under CI=true it is required, so fail instead."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required when CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real content pack once per session (tests run inside transactions that roll back)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_content", str(PACK), "--no-index", stdout=io.StringIO())


@pytest.fixture
def shared_eval() -> Path:
    path = SHARED / "eval"
    require_or_skip(path.is_dir(), f"evaluation data not found at {path} (a user's clone has no ../shared)")
    return path
