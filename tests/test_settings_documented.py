"""Every environment variable the settings read is documented in the README."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_environment_variable_is_in_the_readme():
    source = "\n".join(p.read_text() for p in (REPO / "rxplain").rglob("*.py"))
    names = set(re.findall(r'env(?:bool|int|str|list)\(\s*"([A-Z_]+)"', source))
    names |= set(re.findall(r'os\.environ(?:\.get)?[\[(]\s*"([A-Z_]+)"', source)) - {"DJANGO_SETTINGS_MODULE"}
    readme = (REPO / "README.md").read_text()
    missing = sorted(n for n in names if f"`{n}`" not in readme)
    assert names and not missing, f"undocumented environment variables: {missing}"
