"""Every configuration key is explained in server/config.py and listed in the README (house style 19)."""

from __future__ import annotations

import re

from server.config import DEFAULTS
from tests.helpers import ROOT


def test_every_key_has_a_comment_and_a_readme_row():
    source = (ROOT / "server" / "config.py").read_text("utf-8").splitlines()
    readme = (ROOT / "README.md").read_text("utf-8")
    for key in DEFAULTS:
        line = next(i for i, text in enumerate(source) if re.match(rf'\s*"{key}":', text))
        assert source[line - 1].strip().startswith("#"), f"{key} has no comment above it"
        assert f"`{key}`" in readme, f"{key} is missing from the README's configuration table"
