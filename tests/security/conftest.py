"""A real server for the security tests: writes enabled, one allow-listed listener, one forbidden."""

from __future__ import annotations

import json

import pytest

from tests.helpers import writer_server
from tests.security.helpers import Listener


@pytest.fixture(scope="session")
def listeners():
    """`allowed` is on the federation allow-list; `forbidden` must never see a connection."""
    allowed, forbidden = Listener(), Listener()
    yield {"allowed": allowed, "forbidden": forbidden}
    allowed.close()
    forbidden.close()


@pytest.fixture(scope="session")
def secure(seed_store, listeners, tmp_path_factory):
    """The server over its own copy of the seed store, as `kommunalgraph serve` runs it."""
    root = tmp_path_factory.mktemp("security")
    store = type(seed_store)(seed_store.backup(root / "store"))
    server = writer_server(store, root, QUERY_TIMEOUT=5, QUERY_WORKERS=2, RATE_LIMIT=0,
                           FEDERATION_ENDPOINTS=json.dumps([listeners["allowed"].url]))
    server.store = store
    yield server
    server.stop()
