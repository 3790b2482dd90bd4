"""The named-query tests run against both back ends: embedded Oxigraph and a remote Virtuoso (issue 6)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def server(any_backend_server):
    """The server over each back end in turn."""
    return any_backend_server
