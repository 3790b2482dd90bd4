"""Downloadable dumps of a store version (gzip): written by each build, next to the version.

    <store>/dumps/<version>/kommunalgraph.ttl.gz      the default graph (all facts and inferences)
    <store>/dumps/<version>/kommunalgraph.nt.gz       the same as N-Triples
    <store>/dumps/<version>/kommunalgraph.jsonld.gz   the same as JSON-LD
    <store>/dumps/<version>/kommunalgraph.nq.gz       the whole dataset with its named graphs

A version's dumps appear at once (written to a temporary folder, then renamed); dumps of
versions the store no longer keeps are removed.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from graph.errors import StoreError, UnknownResource
from graph.ns import PREFIXES
from graph.store.compression import read_gzip, write_gzip, write_lines
from graph.store.diff import DEFAULT_GRAPH, as_quads
from graph.store.durable import explain
from graph.store.versions import VersionedStore, open_version


@dataclass(frozen=True)
class DumpFormat:
    """One dump file: its name, RDF format and media type."""

    name: str
    format: ox.RdfFormat
    media_type: str
    whole_dataset: bool = False


TURTLE = DumpFormat("kommunalgraph.ttl.gz", ox.RdfFormat.TURTLE, "text/turtle")
NTRIPLES = DumpFormat("kommunalgraph.nt.gz", ox.RdfFormat.N_TRIPLES, "application/n-triples")
JSON_LD = DumpFormat("kommunalgraph.jsonld.gz", ox.RdfFormat.JSON_LD, "application/ld+json")
NQUADS = DumpFormat("kommunalgraph.nq.gz", ox.RdfFormat.N_QUADS, "application/n-quads", whole_dataset=True)
FORMATS = (TURTLE, NTRIPLES, JSON_LD, NQUADS)
BY_NAME = {f.name: f for f in FORMATS}
_VERSION = re.compile(r"^v[0-9A-Za-z_-]{1,40}$")


def dumps_root(store: VersionedStore) -> Path:
    """The folder that holds one subfolder of dumps per version."""
    return store.root / "dumps"


def write_dumps(store: VersionedStore, version: str | None = None) -> Path:
    """Write the dumps of `version` (default: the current one); return their folder.

    :raises StoreError: if the version cannot be read or the folder not written.
    """
    version = version or store.current()
    if version is None:
        raise StoreError(f"no data in the store {store.root}: run `kommunalgraph build` first")
    staging = staging_folder(store, version)
    try:
        write_into(open_version(store.versions / version), staging)
    except StoreError:
        discard(staging)
        raise
    return place(store, version, staging)


def staging_folder(store: VersionedStore, version: str) -> Path:
    """Where the dumps of `version` are written before they appear (a build writes them before the switch)."""
    return dumps_root(store) / f".tmp-{version}"


def write_into(source: ox.Store, staging: Path) -> None:
    """Write every dump of `source` into the folder `staging` (made afresh).

    The store is read twice, not four times: reading a term back from the store is most of a dump's cost
    (1 M triples: 8.5 s for the default graph), so Turtle and JSON-LD are written from the N-Triples file
    just written, which parses and serialises in 2 s each. The whole dataset is read in a second thread:
    reading and compressing release the GIL.

    :raises StoreError: if the folder cannot be written.
    """
    with _as_store_error(staging):
        discard(staging)
        staging.mkdir(parents=True)
        with ThreadPoolExecutor(2) as pool:
            done = [pool.submit(_write_dataset, source, staging), pool.submit(_write_default_graph, source, staging)]
            for future in done:
                future.result()


def place(store: VersionedStore, version: str, staging: Path) -> Path:
    """Make the dumps written into `staging` the dumps of `version`; remove those of pruned versions."""
    target = dumps_root(store) / version
    try:
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except OSError as exc:
        discard(staging)
        raise StoreError(f"cannot write the dumps of {version} to {target}: {exc}") from None
    prune_dumps(store)
    return target


def discard(staging: Path) -> None:
    """Remove dumps that will not appear (their version was not published, or writing them failed)."""
    shutil.rmtree(staging, ignore_errors=True)


class DumpsFromRelease:
    """A build's dumps, written from the lines its release reads anyway (graph/store/diff.py hands over every
    graph's N-Triples lines, sorted, the default graph first): the store is not read again, which is most of a
    dump's cost. Turtle and JSON-LD follow from the N-Triples file in a thread while the release reads on.
    Sorted, the lines share long prefixes with their neighbours, so the files compress better too."""

    def __init__(self, staging: Path):
        self.staging = staging
        self._serialised: Future | None = None
        self._pool = ThreadPoolExecutor(1)
        with _as_store_error(staging):
            discard(staging)
            staging.mkdir(parents=True)
            self._dataset = write_gzip(staging / NQUADS.name)

    def take(self, graph: str, lines: list[bytes]) -> None:
        """One graph's lines: into the whole dataset, and the default graph into its own dumps."""
        with _as_store_error(self.staging):
            write_lines(self._dataset, as_quads(graph, lines))
            if graph == DEFAULT_GRAPH:
                with write_gzip(self.staging / NTRIPLES.name) as out:
                    write_lines(out, lines)
                self._serialised = self._pool.submit(_write_from_ntriples, self.staging)

    def close(self) -> None:
        """Finish every file; raise StoreError if one could not be written."""
        try:
            with _as_store_error(self.staging):
                self._dataset.close()
                if self._serialised is None:
                    raise StoreError("the dumps got no default graph: the release did not read the version")
                self._serialised.result()
        finally:
            self._pool.shutdown()

    def abandon(self) -> None:
        """Stop (after the thread's current file) and remove what was written."""
        self._pool.shutdown(cancel_futures=True)
        with contextlib.suppress(OSError):
            self._dataset.close()
        discard(self.staging)


@contextlib.contextmanager
def _as_store_error(staging: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise StoreError(f"cannot write the dumps: {explain(exc, staging)}") from None


def _write_dataset(source: ox.Store, folder: Path) -> None:
    with write_gzip(folder / NQUADS.name) as out:
        source.dump(out, format=NQUADS.format)


def _write_default_graph(source: ox.Store, folder: Path) -> None:
    with write_gzip(folder / NTRIPLES.name) as out:
        source.dump(out, format=NTRIPLES.format, from_graph=ox.DefaultGraph())
    _write_from_ntriples(folder)


def _write_from_ntriples(folder: Path) -> None:
    for dump in (TURTLE, JSON_LD):
        # lenient: the lines come from the store, which checked every IRI when it took them in.
        with read_gzip(folder / NTRIPLES.name) as lines, write_gzip(folder / dump.name) as out:
            ox.serialize(ox.parse(lines, format=NTRIPLES.format, lenient=True), out, format=dump.format,
                         prefixes=PREFIXES)


def prune_dumps(store: VersionedStore) -> None:
    """Remove the dumps of versions the store has pruned."""
    kept = {p.name for p in store.versions.iterdir() if p.is_dir()}
    for folder in dumps_root(store).iterdir():
        if folder.is_dir() and folder.name not in kept and not folder.name.startswith(".tmp-"):
            shutil.rmtree(folder, ignore_errors=True)


def dump_file(store: VersionedStore, name: str, version: str | None = None) -> tuple[Path, DumpFormat]:
    """The path and format of a dump of `version` (default: current).

    :raises UnknownResource: for a name or version that is not a dump, or dumps not written yet.
    """
    if name not in BY_NAME:
        raise UnknownResource(f"no download named {name[:80]!r}; available: {', '.join(BY_NAME)}")
    version = version or store.current()
    if version is None or not _VERSION.match(version):
        raise UnknownResource(f"no store version {str(version)[:40]!r}")
    path = dumps_root(store) / version / name
    if not path.is_file():
        raise UnknownResource(f"no dumps for store version {version}; `kommunalgraph build` writes them")
    return path, BY_NAME[name]


def list_dumps(store: VersionedStore) -> list[tuple[DumpFormat, int]]:
    """The current version's dumps with their sizes in bytes (empty if none are written)."""
    version = store.current()
    folder = dumps_root(store) / version if version else None
    if folder is None or not folder.is_dir():
        return []
    return [(f, (folder / f.name).stat().st_size) for f in FORMATS if (folder / f.name).is_file()]
