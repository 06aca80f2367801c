"""The consultation's cast: `patient` and `stranger` are two browsers (each its own session); `api` and `other_api`
speak JSON, each with the bearer token it was given.

By default the triage and the answer engine are replaced by small deterministic fakes (`engines`), so a test says
exactly what the triage decides and what the engine answers; tests that ask for `real_engines` run the real ones over
the content pack the session loaded.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from rxplain.consult import turn
from tests.conftest import require_or_skip
from tests.consult.helpers import Api, Engines, install_fakes

REAL = {"triage": turn.triage, "answer_engine": turn.answer_engine, "query_vector": turn.query_vector}


@pytest.fixture(autouse=True)
def engines(monkeypatch) -> Engines:
    return install_fakes(monkeypatch)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the limiter counts in the cache; each test starts with none used
    yield
    cache.clear()


@pytest.fixture
def real_engines(monkeypatch, real_index) -> None:
    """Run the real triage and the real answer engine (over the loaded content pack) instead of the fakes."""
    try:
        from rxplain.triage import verdict  # noqa: F401
    except ImportError as exc:
        require_or_skip(False, f"the triage is not available yet: {exc}")
    for name, function in REAL.items():
        monkeypatch.setattr(turn, name, function)


@pytest.fixture(scope="session")
def real_index(django_db_setup, django_db_blocker, tmp_path_factory):
    """The answer index built once from the pages the session's conftest published, in a temporary directory."""
    from django.test import override_settings

    try:
        from rxplain.library import answer_index
    except ImportError as exc:
        require_or_skip(False, f"the answer engine is not available yet: {exc}")
    directory = tmp_path_factory.mktemp("index")
    with override_settings(RXPLAIN_INDEX_DIR=directory), django_db_blocker.unblock():
        answer_index.rebuild(progress=False)
        yield directory


@pytest.fixture
def patient(db) -> Client:
    return Client()


@pytest.fixture
def stranger(db) -> Client:
    return Client()


@pytest.fixture
def api(db) -> Api:
    return Api(Client())


@pytest.fixture
def other_api(db) -> Api:
    return Api(Client())
