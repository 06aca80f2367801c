"""The `rxplain` console command itself, run as a user would, outside the test settings."""

from __future__ import annotations

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
