"""`rxplain triage "MESSAGE" --json` / `--batch FILE.jsonl`: the consultation's safety verdict from the shell."""

import sys

from django.core.management.base import BaseCommand

from rxplain.triage.cli import main


class Command(BaseCommand):
    help = 'Safety verdict for a message: rxplain triage "MESSAGE" [--json] | --batch FILE.jsonl'

    def run_from_argv(self, argv: list[str]) -> None:
        # The engine's own CLI parses the arguments; the triage needs no database.
        sys.exit(main(argv[2:]))
