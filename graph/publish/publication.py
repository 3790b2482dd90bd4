"""What the dataset descriptions (VoID, DCAT-AP.de) need to know about where and how it is published."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from graph.publish.dumps import DumpFormat

_VERSION_TIME = re.compile(r"^v([0-9]{20})$")
DEFAULT_LICENSE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


@dataclass(frozen=True)
class Publication:
    """The published dataset: its IRIs, the server's public address, licence and people to ask."""

    base_iri: str
    public_url: str                      # the server's address, without a trailing slash
    version: str | None = None           # the store version described
    license: str = DEFAULT_LICENSE
    publisher: str = "Kommunalgraph"
    publisher_url: str = ""
    contact_name: str = "Kommunalgraph-Redaktion"
    contact_email: str = ""
    contributor_id: str = ""             # GovData's contributor URI, only for direct delivery (K12)
    dumps: tuple[tuple[DumpFormat, int], ...] = field(default_factory=tuple)
    issued: datetime | None = None       # when the first release was published (graph/store/releases.py)
    changed: datetime | None = None      # when the last release that changed the content was published

    def url(self, path: str) -> str:
        """The absolute URL of a path on the server."""
        return self.public_url.rstrip("/") + path

    def iri(self, name: str) -> str:
        """An IRI of the dataset's metadata, minted under the base (catalog, dataset, publisher …)."""
        return (self.base_iri if self.base_iri.endswith("/") else self.base_iri + "/") + name

    @property
    def modified(self) -> datetime | None:
        """When the content last changed: the last release that changed it, else when the described
        version was published (versions are named after their time)."""
        if self.changed is not None:
            return self.changed.replace(microsecond=0)
        match = _VERSION_TIME.match(self.version or "")
        if not match:
            return None
        return datetime.fromtimestamp(int(match.group(1)) / 1e9, tz=timezone.utc).replace(microsecond=0)
