from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rxplain.library.answer_index import rebuild
from rxplain.library.loader import load_pack
from rxplain.library.pack import PackError, read_pack
from rxplain.library.signals import suspend_index_rebuilds


class Command(BaseCommand):
    help = "Validate a content pack and load it as published pages (awaiting clinician review); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("pack", type=Path, help="The pack folder, e.g. content/isotretinoin")
        parser.add_argument("--no-index", action="store_true", help="Skip rebuilding the answer index.")

    def handle(self, *args, pack: Path, no_index: bool, **options):
        try:
            parsed = read_pack(pack)
        except PackError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(exc.errors)} error(s) in {pack}; nothing was changed.") from None
        self.stdout.write(f"Loading {parsed.slug}: {len(parsed.articles)} articles, {len(parsed.glossary)} terms")
        with suspend_index_rebuilds():
            report = load_pack(parsed, progress=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
            f"unpublished {len(report.unpublished)}"
        )
        if not no_index:
            count = rebuild(progress=True)
            self.stdout.write(f"answer index: {count} passages")
        self.stdout.write(self.style.SUCCESS("Content loaded. Pages show 'awaiting clinician review' until approved."))
