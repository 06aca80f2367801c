"""The `rxplain` console command itself, run as a user would, outside the test settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO


def test_a_missing_setting_is_one_error_line_not_a_traceback():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run([sys.executable, "-m", "rxplain.manage", "check"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: SECRET_KEY is required")
    assert "Traceback" not in done.stderr


def test_a_reader_that_goes_away_ends_the_command_without_a_traceback(tmp_path):
    # `rxplain triage --batch FILE | head`: the output outgrows the pipe, and the reader has gone.
    batch = tmp_path / "messages.jsonl"
    batch.write_text("\n".join(json.dumps({"id": i, "text": "can i drink on accutane"}) for i in range(1500)))
    env = {**os.environ, "DEBUG": "true"}
    command = [sys.executable, "-m", "rxplain.manage", "triage", "--batch", str(batch)]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()
    errors = process.stderr.read()
    process.wait(timeout=300)
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
