"""`rxplain passages --jsonl`: the passages of the published pages, as the answer engine indexes them."""

import sys

from django.core.management.base import BaseCommand

from rxplain.answers.cli import passages_main
from rxplain.library.answer_index import published_passages


class Command(BaseCommand):
    help = "List the passages of the published content: rxplain passages [--jsonl]"

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            sys.exit(passages_main(argv[2:], published_passages, prog="rxplain passages"))
        except BrokenPipeError:  # piped into `head`: the reader has all it wanted
            sys.stderr.close()
            sys.exit(0)
