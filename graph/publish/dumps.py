"""Downloadable dumps of a store version (gzip): written by each build, next to the version.

    <store>/dumps/<version>/kommunalgraph.ttl.gz      the default graph (all facts and inferences)
    <store>/dumps/<version>/kommunalgraph.nt.gz       the same as N-Triples
    <store>/dumps/<version>/kommunalgraph.jsonld.gz   the same as JSON-LD
    <store>/dumps/<version>/kommunalgraph.nq.gz       the whole dataset with its named graphs

A version's dumps appear at once (written to a temporary folder, then renamed); dumps of
versions the store no longer keeps are removed.
"""

from __future__ import annotations

import gzip
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import StoreError, UnknownResource
from graph.ns import PREFIXES
from graph.store.versions import VersionedStore, open_version


@dataclass(frozen=True)
class DumpFormat:
    """One dump file: its name, RDF format and media type."""

    name: str
    format: ox.RdfFormat
    media_type: str
    whole_dataset: bool = False


FORMATS = (
    DumpFormat("kommunalgraph.ttl.gz", ox.RdfFormat.TURTLE, "text/turtle"),
    DumpFormat("kommunalgraph.nt.gz", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    DumpFormat("kommunalgraph.jsonld.gz", ox.RdfFormat.JSON_LD, "application/ld+json"),
    DumpFormat("kommunalgraph.nq.gz", ox.RdfFormat.N_QUADS, "application/n-quads", whole_dataset=True),
)
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
    source = open_version(store.versions / version)
    target = dumps_root(store) / version
    staging = dumps_root(store) / f".tmp-{version}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        # Two at a time: serialising and compressing release the GIL for long stretches, so a
        # 10 M-triple store writes its dumps in about half the time (issue 6).
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda dump: _write(source, dump, staging / dump.name), FORMATS))
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreError(f"cannot write the dumps of {version} to {target}: {exc}") from None
    prune_dumps(store)
    return target


def _write(source: ox.Store, dump: DumpFormat, path: Path) -> None:
    # mtime=0: no build time in the gzip header, so rebuilding a version changes no header byte.
    # Level 6 (zlib's default) gives files within a few percent of level 9 in a third of the time.
    with gzip.GzipFile(path, "wb", mtime=0, compresslevel=6) as out:
        if dump.whole_dataset:
            source.dump(out, format=dump.format)
        elif dump.format == ox.RdfFormat.N_TRIPLES:
            source.dump(out, format=dump.format, from_graph=ox.DefaultGraph())
        else:
            source.dump(out, format=dump.format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)


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
