"""Writes may not publish a person the steward suppressed (data/suppressed.yaml, issue 14).

A build erases them (graph/mapping/erasure.py); without this check a token holder could write
them back between two builds, and the next release's history would hold them again.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.errors import RecordError, StoreError, SuppressedPerson
from graph.iri import Minter
from graph.records.suppressions import load_suppressions


def refuse_suppressed(added: list[ox.Quad], data_dir: Path, base_iri: str) -> None:
    """Raise SuppressedPerson if an added quad names a suppressed person as subject or object.

    :raises StoreError: if the steward's list is unreadable; writes wait until it is fixed, since
        no write can be checked against it.
    """
    try:
        suppressed = {entry.person for entry in load_suppressions(data_dir, Minter(base_iri))}
    except RecordError as exc:
        raise StoreError(f"writes are refused until the list of suppressed persons is fixed: {exc}") from None
    if not suppressed:
        return
    for quad in added:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value in suppressed:
                raise SuppressedPerson(
                    f"<{term.value}> is a suppressed person (data/suppressed.yaml) and cannot be published; "
                    "nothing was changed")
