"""`rxplain ask` and `rxplain passages` as plain functions with injected factories."""

from __future__ import annotations

import io
import json

from rxplain.answers.cli import ask_main, passages_main
from rxplain.answers.engine import Answer


class FakeEngine:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        return Answer(answer="An answer.", abstained=False, intent="alcohol", medicine="isotretinoin")


def run(argv, factory):
    out, err = io.StringIO(), io.StringIO()
    code = ask_main(argv, factory, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_ask_json_prints_the_documented_keys(tiny_engine):
    code, out, err = run(["can I drink alcohol", "--json"], lambda: tiny_engine)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"answer", "abstained", "citations", "intent", "medicine"}
    assert data["intent"] == "alcohol"


def test_ask_without_json_prints_the_markdown_answer(tiny_engine):
    code, out, _ = run(["can I drink alcohol"], lambda: tiny_engine)
    assert code == 0 and "Source: [" in out


def test_batch_adds_each_id_and_reports_bad_lines_with_their_number_then_continues(tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "question": "first"}),
        "{not json",
        json.dumps({"id": 7, "question": "second"}),
        json.dumps(["a", "list"]),
        json.dumps({"question": "no id"}),
        json.dumps({"id": "x", "question": 42}),
        "",
        json.dumps({"id": "b", "question": "third"}),
    ]))
    engine = FakeEngine()
    code, out, err = run(["--batch", str(batch)], lambda: engine)
    assert code == 2
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "b"]
    assert engine.asked == ["first", "second", "third"]
    assert rows[0] == {"id": "a", "answer": "An answer.", "abstained": False, "citations": [], "intent": "alcohol",
                       "medicine": "isotretinoin"}
    errors = err.splitlines()
    assert [e.split(":")[2] for e in errors] == ["2", "4", "5", "6"]
    assert all(e.startswith(f"error: {batch}:") for e in errors)


def test_a_clean_batch_exits_zero(tmp_path):
    batch = tmp_path / "ok.jsonl"
    batch.write_text(json.dumps({"id": 1, "question": "q"}) + "\n")
    assert run(["--batch", str(batch)], FakeEngine)[0] == 0


def test_usage_errors_exit_2_with_one_error_line_and_never_load_the_engine():
    def explode():
        raise AssertionError("the engine must not be loaded on a usage error")

    for argv in ([], ["q", "--batch", "f.jsonl"], ["--nope"]):
        code, out, err = run(argv, explode)
        assert code == 2 and out == ""
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_an_unreadable_batch_file_is_an_error(tmp_path):
    code, out, err = run(["--batch", str(tmp_path / "missing.jsonl")], FakeEngine)
    assert code == 2 and out == "" and err.startswith("error: cannot read")


def test_a_binary_batch_file_is_reported_line_by_line_not_raised(tmp_path):
    batch = tmp_path / "binary.jsonl"
    batch.write_bytes(b"\x00\xff\xfe binary\n" + json.dumps({"id": 1, "question": "ok"}).encode())
    code, out, err = run(["--batch", str(batch)], FakeEngine)
    assert code == 2 and len(out.splitlines()) == 1 and "binary.jsonl:1:" in err


def test_passages_jsonl_prints_one_object_per_passage(tiny_passages):
    out, err = io.StringIO(), io.StringIO()
    assert passages_main(["--jsonl"], lambda: tiny_passages, stdout=out, stderr=err) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == len(tiny_passages)
    assert set(rows[0]) == {"id", "url", "article", "section", "text"}


def test_passages_rejects_unknown_options(tiny_passages):
    err = io.StringIO()
    assert passages_main(["--xml"], lambda: tiny_passages, stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith("error: ")
