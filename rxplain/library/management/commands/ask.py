"""`rxplain ask "QUESTION" --json` / `--batch FILE.jsonl`: the answer engine over the published content."""

import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from rxplain.answers.cli import ask_main
from rxplain.library.answer_index import get_engine


class Command(BaseCommand):
    help = 'Answer a question from published content: rxplain ask "QUESTION" [--json] | --batch FILE.jsonl'

    def run_from_argv(self, argv: list[str]) -> None:
        # The engine's own CLI parses the arguments, so `rxplain ask` and `python -m rxplain.answers ask` agree.
        try:
            sys.exit(ask_main(argv[2:], get_engine, prog="rxplain ask"))
        except DatabaseError:
            # The published content lives in the database: before `make run` has set it up there is none to read.
            sys.stderr.write("error: the database is not set up yet; run `make run` once (or `rxplain migrate` "
                             "then `rxplain load_content`)\n")
            sys.exit(2)
