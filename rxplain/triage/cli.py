"""``rxplain triage``: run the safety triage on one message or on a JSON-lines file.

    rxplain triage "MESSAGE" [--json] [--history TURN ...] [--medicine SLUG]
    rxplain triage --batch FILE.jsonl        # lines {"id", "text", optional "history": [...]}; "-" reads stdin

Exit codes: 0 done, 2 bad usage or a bad file (an ``error: ...`` line on stderr). Messages are never logged.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

from rxplain.triage.verdict import Verdict, verdict


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own exit code is 2 as well; we only make the line start with "error:" like every other failure.
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rxplain triage", description="Safety triage of a consultation message.")
    parser.add_argument("message", nargs="?", help="the message to read")
    parser.add_argument("--json", action="store_true", help="print {verdict, category, evidence, action}")
    parser.add_argument("--batch", metavar="FILE", help='JSON lines {"id", "text"}; "-" for standard input')
    parser.add_argument("--history", nargs="*", default=[], metavar="TURN", help="earlier turns, oldest first")
    parser.add_argument("--medicine", default=None, help="the medicine's content pack (default: every pack)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.batch is not None and args.message is not None:
        return _fail("give either a MESSAGE or --batch FILE, not both")
    if args.batch is None and args.message is None:
        return _fail("give a MESSAGE or --batch FILE")
    if args.batch is not None:
        return _batch(args.batch, args.medicine)
    result = verdict(args.message, args.history, medicine=args.medicine)
    if args.json:
        print(json.dumps(_public(result), ensure_ascii=False))
    else:
        _print_human(result)
    return 0


def _public(result: Verdict) -> dict[str, object]:
    data = result.to_dict()
    return {key: data[key] for key in ("verdict", "category", "evidence", "action")}


def _print_human(result: Verdict) -> None:
    print(f"verdict: {result.verdict}" + (f" ({result.category})" if result.category else ""))
    if result.action:
        print(f"action: {result.action}")
    for resource in result.resources:
        print(f"  {resource.name}" + (f" {resource.number}" if resource.number else "") + f": {resource.how}")
    for line in result.evidence:
        print(f"  evidence: {line}")


def _batch(path: str, medicine: str | None) -> int:
    try:
        handle = contextlib.nullcontext(sys.stdin) if path == "-" else open(path, encoding="utf-8", errors="replace")
    except OSError as error:
        return _fail(f"cannot read {path}: {error.strerror or type(error).__name__}")
    bad = 0
    with handle as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            item = _item(line)
            if item is None:
                # Say where, never what: the line may hold a patient's words.
                print(f'error: {path}:{number}: not a JSON object with a string "text"', file=sys.stderr)
                bad += 1
                continue
            history = item.get("history") or ()
            result = verdict(str(item["text"]), history if isinstance(history, list) else (), medicine=medicine)
            print(json.dumps({"id": item.get("id"), **_public(result)}, ensure_ascii=False))
    return 2 if bad else 0


def _item(line: str) -> dict[str, object] | None:
    try:
        item = json.loads(line)
    except ValueError:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return None
    history = item.get("history")
    if history is not None and not (isinstance(history, list) and all(isinstance(t, str) for t in history)):
        return None
    return item


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
