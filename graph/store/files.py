"""Serving RDF files instead of the store: they are loaded into a temporary store version."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


from graph.errors import ReportParseError, StoreError
from graph.formats import rdf_format_for_path
from graph.store.versions import VersionedStore


def store_from_files(paths: list[Path]) -> VersionedStore:
    """A temporary store holding `paths` (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD).

    Triples go to the default graph; quads keep their graph. Relative IRIs resolve against
    each file's own file: IRI. The caller removes `store.root` when done.

    :raises ReportParseError: if a file is missing, of unknown format or not valid.
    """
    for path in paths:
        if not path.is_file():
            raise ReportParseError(f"{path}: no such file")
        if rdf_format_for_path(path.name) is None:
            raise ReportParseError(f"{path}: unknown RDF format; use .ttl, .nt, .nq, .trig, .rdf/.owl or .jsonld")
    root = Path(tempfile.mkdtemp(prefix="kommunalgraph-files-"))
    store = VersionedStore(root)
    try:
        with store.writer(record=False) as version:
            for path in paths:
                try:
                    version.load(path=str(path), format=rdf_format_for_path(path.name),
                                 base_iri=path.resolve().as_uri())
                except SyntaxError as exc:
                    raise ReportParseError(f"{path}: {exc}") from None
    except (ReportParseError, StoreError):
        shutil.rmtree(root, ignore_errors=True)
        raise
    return store
