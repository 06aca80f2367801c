"""`rxplain ask` before the database is set up: one clear error line and exit 2, never a traceback."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from rxplain.library.management.commands import ask


def test_asking_before_the_database_is_set_up_is_a_clear_error(monkeypatch, capsys):
    def no_tables():
        raise DatabaseError("no such table: library_hubpage")

    monkeypatch.setattr(ask, "get_engine", no_tables)
    with pytest.raises(SystemExit) as stopped:
        ask.Command().run_from_argv(["rxplain", "ask", "can i drink on accutane", "--json"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the database is not set up yet") and "Traceback" not in err
