"""The change feed: a Linked Data Event Stream (SEMIC LDES 1.0) paged with TREE relations by time.

One member per resource and release that touched it: a version object
`<base>feed/member/<release>/<hash of the resource>` that says which resource it is a version of
(dct:isVersionOf) and when (dct:modified, the release time), with the resource's statements at
that time in the named graph of the member's IRI (LDES member extraction reads that graph). A
resource a release removed gets a member typed as:Tombstone without statements. A harvester that
reads the pages in order and keeps, per resource, the statements of its newest member has the
current statements of every resource (the union of the named graphs, without inferences).

Pages hold PAGE_SIZE members in release order; page k links to page k+1 with a
tree:GreaterThanOrEqualToRelation on dct:modified (the time of its first member). A page whose
members all belong to closed releases never changes. The retention policy: members of releases
older than `retention_days` are not kept in the view (ldes:DurationAgoPolicy); 0 keeps all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyoxigraph as ox

from graph.errors import UnknownResource
from graph.store.releases import Release, list_releases, states_path
from graph.store.states import read

PAGE_SIZE = 250
LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
DCT = "http://purl.org/dc/terms/"
AS = "https://www.w3.org/ns/activitystreams#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
XSD_DURATION = ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration")


class PageGone(UnknownResource):
    """A page that the retention policy no longer keeps."""


@dataclass(frozen=True)
class Layout:
    """Which releases' members fall on which page: page k (1-based) holds members
    [(k-1)·size, k·size) of the sequence of all members in release order."""

    releases: list[Release]
    size: int
    first_kept: int          # the first page the retention policy keeps

    @property
    def total(self) -> int:
        """Members in all retained releases."""
        return sum(r.members for r in self.releases)

    @property
    def pages(self) -> int:
        """Number of feed pages (at least one)."""
        return max(1, -(-self.total // self.size))

    def span(self, page: int) -> list[tuple[Release, int, int]]:
        """(release, first, end) slices of each release's members on `page`."""
        start, end, offset, out = (page - 1) * self.size, page * self.size, 0, []
        for release in self.releases:
            low, high = max(start, offset), min(end, offset + release.members)
            if low < high:
                out.append((release, low - offset, high - offset))
            offset += release.members
        return out

    def closed(self, page: int) -> bool:
        """A full page before the last one: it will never change."""
        return page < self.pages and page * self.size <= self.total


def layout(root: Path, retention_days: int = 0, size: int = PAGE_SIZE, now: datetime | None = None) -> Layout:
    """The page layout of the store's feed under a retention policy."""
    releases = list_releases(root)
    first = 1
    if retention_days > 0 and releases:
        limit = (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)
        dropped = sum(r.members for r in releases if datetime.fromisoformat(r.time) < limit)
        first = dropped // size + 1
    return Layout(releases, size, first)


def member_iri(base: str, release: Release, resource: ox.NamedNode) -> ox.NamedNode:
    """The version object of `resource` in `release` (stable: release number and a hash of the IRI)."""
    digest = hashlib.sha256(resource.value.encode()).hexdigest()[:20]
    return ox.NamedNode(f"{base}feed/member/{release.seq}/{digest}")


def stream_quads(base: str, feed_url: str, plan: Layout, retention_days: int) -> list[ox.Quad]:
    """The event stream's description: its paths, its view and the retention policy."""
    feed, view = ox.NamedNode(feed_url), ox.NamedNode(f"{feed_url}/pages/{plan.first_kept}")
    out = [ox.Quad(feed, RDF_TYPE, ox.NamedNode(LDES + "EventStream")),
           ox.Quad(feed, ox.NamedNode(LDES + "timestampPath"), ox.NamedNode(DCT + "modified")),
           ox.Quad(feed, ox.NamedNode(LDES + "versionOfPath"), ox.NamedNode(DCT + "isVersionOf")),
           ox.Quad(feed, ox.NamedNode(TREE + "view"), view),
           ox.Quad(feed, ox.NamedNode(DCT + "isPartOf"), ox.NamedNode(base + "dataset")),
           ox.Quad(view, RDF_TYPE, ox.NamedNode(TREE + "Node"))]
    if retention_days > 0:
        description, policy = ox.BlankNode("view"), ox.BlankNode("retention")
        out += [ox.Quad(view, ox.NamedNode(TREE + "viewDescription"), description),
                ox.Quad(description, RDF_TYPE, ox.NamedNode(TREE + "ViewDescription")),
                ox.Quad(description, ox.NamedNode(LDES + "retentionPolicy"), policy),
                ox.Quad(policy, RDF_TYPE, ox.NamedNode(LDES + "DurationAgoPolicy")),
                ox.Quad(policy, ox.NamedNode(TREE + "value"), ox.Literal(f"P{retention_days}D", datatype=XSD_DURATION))]
    return out


def page_quads(root: Path, base: str, feed_url: str, plan: Layout, page: int) -> list[ox.Quad]:
    """Page `page` of the feed: its members and the relation to the next page.

    :raises UnknownResource: past the last page; PageGone before the first kept one.
    """
    if page < 1 or page > plan.pages:
        raise UnknownResource(f"the feed has pages 1 to {plan.pages}; there is no page {page}")
    if page < plan.first_kept:
        raise PageGone(f"page {page} is older than the feed keeps; start at {feed_url}/pages/{plan.first_kept}")
    feed, node = ox.NamedNode(feed_url), ox.NamedNode(f"{feed_url}/pages/{page}")
    out = [ox.Quad(node, RDF_TYPE, ox.NamedNode(TREE + "Node"))]
    for release, low, high in plan.span(page):
        time = ox.Literal(release.time, datatype=XSD_DATETIME)
        for index, (resource, triples) in enumerate(read(states_path(root, release))):
            if not low <= index < high:
                continue
            member = member_iri(base, release, resource)
            out += [ox.Quad(feed, ox.NamedNode(TREE + "member"), member),
                    ox.Quad(member, ox.NamedNode(DCT + "isVersionOf"), resource),
                    ox.Quad(member, ox.NamedNode(DCT + "modified"), time)]
            if triples is None:
                out += [ox.Quad(member, RDF_TYPE, ox.NamedNode(AS + "Tombstone")),
                        ox.Quad(member, ox.NamedNode(AS + "deleted"), time)]
            else:
                out += [ox.Quad(t.subject, t.predicate, t.object, member) for t in triples]
    if page < plan.pages:
        following = plan.span(page + 1)[0][0]
        relation = ox.BlankNode(f"next{page}")
        out += [ox.Quad(node, ox.NamedNode(TREE + "relation"), relation),
                ox.Quad(relation, RDF_TYPE, ox.NamedNode(TREE + "GreaterThanOrEqualToRelation")),
                ox.Quad(relation, ox.NamedNode(TREE + "path"), ox.NamedNode(DCT + "modified")),
                ox.Quad(relation, ox.NamedNode(TREE + "value"), ox.Literal(following.time, datatype=XSD_DATETIME)),
                ox.Quad(relation, ox.NamedNode(TREE + "node"), ox.NamedNode(f"{feed_url}/pages/{page + 1}"))]
    return out
