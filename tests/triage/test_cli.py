"""rxplain triage: one message or a JSON-lines batch; exit 2 with an error line on bad usage or a bad file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rxplain.triage.cli import main


def test_json_output_has_the_four_public_fields(capsys):
    assert main(["I want to die", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"verdict", "category", "evidence", "action"}
    assert data["verdict"] == "crisis" and data["category"] == "suicide_self_harm"


def test_plain_output_names_the_verdict_and_the_resources(capsys):
    assert main(["i cant breathe"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verdict: crisis (medical_emergency)")
    assert "911" in out and "988" in out


def test_history_turns_are_read(capsys):
    assert main(["I have a plan", "--json", "--history", "I can't do this anymore"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "crisis"


def test_batch_prints_one_line_per_input_with_its_id(tmp_path: Path, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": "a", "text": "I think I\'m pregnant"}\n\n{"id": 7, "text": "can i drink coffee"}\n',
                     encoding="utf-8")
    assert main(["--batch", str(batch)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["id"], x["verdict"]) for x in lines] == [("a", "urgent"), (7, "ok")]


def test_batch_reports_bad_lines_by_number_without_their_text(tmp_path: Path, capsys):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": 1, "text": "hello"}\nmy secret words\n{"id": 3}\n', encoding="utf-8")
    assert main(["--batch", str(batch)]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert f"error: {batch}:2:" in captured.err and f"error: {batch}:3:" in captured.err
    assert "secret" not in captured.err


def test_batch_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": "s", "text": "this acne is killing me"}\n'))
    assert main(["--batch", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "ok"


def test_missing_file_exits_2_with_an_error_line(tmp_path: Path, capsys):
    assert main(["--batch", str(tmp_path / "nope.jsonl")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot read")


@pytest.mark.parametrize("argv", [[], ["hello", "--batch", "x.jsonl"], ["--no-such-option"]])
def test_bad_usage_exits_2_with_an_error_line(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        code = main(argv)
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err
