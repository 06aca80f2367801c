"""`rxplain ask` and `rxplain passages` as plain functions that take factories.

The Django wrapper passes an engine loaded from the published-content index; ``python -m rxplain.answers``
passes one built from the packs on disk. The factories are called only once the arguments are valid, so a usage
error never loads a model. Exit codes: 0 success, 2 bad usage, an unreadable batch file, or bad batch lines
(each bad line is reported as ``error: FILE:LINE: reason`` on stderr and skipped; the other lines are answered).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

MAX_BATCH_LINE = 1_000_000  # a line longer than this is not a question; it is reported, not parsed


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse prints its own usage and exits; we want one `error: ...` line and exit code 2 from our caller
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _ask_parser(prog: str) -> _Parser:
    parser = _Parser(prog=prog, description="Answer a question from the reviewed content, with citations.")
    parser.add_argument("question", nargs="?", help="the question, in quotes")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.add_argument("--batch", metavar="FILE.jsonl", help='answer every line {"id", "question"} of a file')
    return parser


def ask_main(
    argv: list[str] | None,
    engine_factory: Callable[[], Any],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    prog: str = "rxplain ask",
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _ask_parser(prog).parse_args(argv)
        if args.batch and args.question is not None:
            raise _UsageError("give either a QUESTION or --batch FILE, not both")
        if not args.batch and args.question is None:
            raise _UsageError('a QUESTION is required: rxplain ask "QUESTION" [--json] or --batch FILE.jsonl')
    except _UsageError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if args.batch:
        try:
            with open(args.batch, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            print(f"error: cannot read {args.batch}: {exc.strerror or exc}", file=err)
            return 2
        return _batch(args.batch, raw, engine_factory(), out, err)
    answer = engine_factory().answer(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False), file=out)
    else:
        print(answer.answer, file=out)
    return 0


def _batch(name: str, raw: bytes, engine: Any, out: TextIO, err: TextIO) -> int:
    """One JSON line out per good input line, in order; bad lines are reported with their number and skipped."""
    status = 0
    text = raw.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        problem, item = _parse_line(line)
        if problem:
            print(f"error: {name}:{number}: {problem}", file=err)
            status = 2
            continue
        result = {"id": item["id"]} | engine.answer(item["question"]).to_dict()
        print(json.dumps(result, ensure_ascii=False), file=out)
    return status


def _parse_line(line: str) -> tuple[str, dict]:
    if len(line) > MAX_BATCH_LINE:
        return f"line is longer than {MAX_BATCH_LINE} characters", {}
    try:
        item = json.loads(line)
    except ValueError as exc:
        return f"not valid JSON ({exc.msg})", {}
    if not isinstance(item, dict):
        return 'expected an object {"id", "question"}', {}
    if "id" not in item:
        return 'missing "id"', {}
    if not isinstance(item.get("question"), str):
        return '"question" must be a string', {}
    return "", item


def passages_main(
    argv: list[str] | None,
    passages_factory: Callable[[], list],
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    prog: str = "rxplain passages",
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _Parser(prog=prog, description="List the passages the answer engine searches.")
    parser.add_argument("--jsonl", action="store_true", help="one JSON object per passage")
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(f"error: {exc}", file=err)
        return 2
    for p in passages_factory():
        if args.jsonl:
            row = {"id": p.id, "url": p.url, "article": p.article, "section": p.section, "text": p.text}
            print(json.dumps(row, ensure_ascii=False), file=out)
        else:
            print(f"{p.id}\t{p.url}\t{p.text[:80].replace(chr(10), ' ')}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m rxplain.answers ask|passages ...`` over the packs in content/ (no Django)."""
    from rxplain.answers import packs

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in ("ask", "passages"):
        print("error: usage: python -m rxplain.answers ask ... | passages [--jsonl]", file=sys.stderr)
        return 2
    if args[0] == "passages":
        return passages_main(args[1:], lambda: packs.passages_of(packs.read_packs()))
    return ask_main(args[1:], packs.engine_from_content)
