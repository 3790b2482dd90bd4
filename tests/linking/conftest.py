"""Fixtures of the linking tests: the stand-in for Wikidata served by our own server."""

from __future__ import annotations

import pytest

from tests.helpers import LiveServer
from tests.linking.endpoints import STANDIN


@pytest.fixture(scope="session")
def standin(tmp_path_factory) -> LiveServer:
    """`kommunalgraph serve tests/data/wikidata-standin.ttl`: a real SPARQL endpoint standing in for Wikidata."""
    live = LiveServer([str(STANDIN)], log=tmp_path_factory.mktemp("standin") / "standin.log")
    yield live
    live.stop()
