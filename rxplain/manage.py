"""The `rxplain` console command: Django's manage.py with the project's settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rxplain.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting the environment must give (SECRET_KEY with DEBUG off, a bad DATABASE_URL): one line, not a
        # traceback, and the exit code of a usage error.
        sys.stderr.write(f"error: {error}\n")
        raise SystemExit(2) from None
    except BrokenPipeError:
        # The reader went away (`rxplain ask ... | head`): stop quietly, as other command-line tools do. Python's
        # own advice: point stdout at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
