"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

The server is pytest-django's LiveServer helper, started inside the test's ordinary (rolled-back) transaction: with
the in-memory SQLite test database the server thread shares the test's connection, so it sees the content pack the
session loaded and nothing it writes outlives the test. (The `live_server` fixture itself would make the test
transactional, and the flush after it would wipe the shared content for every later test.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import REPO, require_or_skip
from tests.consult.conftest import real_engines, real_index  # noqa: F401  (the real triage and answer engine)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _close_unshared_connections(self) -> None:
    """What a request thread closes when it ends: every connection except the in-memory SQLite one it borrows."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if not (conn.vendor == "sqlite" and conn.is_in_memory_db()):
            conn.close()


@pytest.fixture(scope="session", autouse=True)
def request_threads_leave_the_shared_connection_open():
    """Django's threaded test server closes all connections as each request thread ends. A request still in flight
    when a test stops its server (Chromium fetching one last asset) then closes the test's shared in-memory
    connection from a thread no longer allowed to use it, and the error lands in whichever test runs next. The
    shared connection belongs to the test thread, which rolls it back; request threads leave it alone. Django marks
    this method as the one to replace in tests."""
    from django.core.servers.basehttp import ThreadedWSGIServer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ThreadedWSGIServer, "_close_connections", _close_unshared_connections)
        yield


@pytest.fixture
def live_site(db):
    from pytest_django.live_server_helper import LiveServer

    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        pytest.skip("browser tests share the in-memory SQLite test database with the server thread")
    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium():
    """One browser per module. Playwright's sync API keeps an event loop running in this thread while it is open,
    which Django would take for async code; the module scope ends that loop before any other test module runs."""
    require_or_skip(CHROMIUM.exists(), f"{CHROMIUM} not found (install Debian's chromium: make browser)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
