"""Releases for readers: a steward's summary of a change (German and English) and the release list as RDF.

The release log itself (numbers, causes, stored RDF Patches) is graph/store/releases.py.
"""

from __future__ import annotations

from datetime import datetime

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from graph.publish.publication import Publication
from graph.store.releases import Release

_WHAT = {"de": {"new": "neu", "changed": "geändert", "removed": "entfernt"},
         "en": {"new": "new", "changed": "changed", "removed": "removed"}}
_CAUSE = {"de": {"build": "Neuaufbau", "write": "Schreibzugriff", "restore": "Wiederherstellung", "unknown": "unbekannt"},
          "en": {"build": "build", "write": "write", "restore": "restore", "unknown": "unknown"}}
_NOTHING = {"de": "keine inhaltliche Änderung", "en": "no change in content"}
DCAT3 = Namespace("http://www.w3.org/ns/dcat#")
_LABELS = """SELECT ?c ?label WHERE { GRAPH ?g { ?c a <http://www.w3.org/2002/07/owl#Class> ;
  <http://www.w3.org/2000/01/rdf-schema#label> ?label } }"""


def class_labels(store: ox.Store) -> dict[str, dict[str, str]]:
    """Class IRI → {language: label} from the ontology in a store version."""
    labels: dict[str, dict[str, str]] = {}
    for row in store.query(_LABELS):
        label = row["label"]
        if isinstance(label, ox.Literal) and label.language:
            labels.setdefault(row["c"].value, {})[label.language] = label.value
    return labels


def _name(cls: str, labels: dict, lang: str) -> str:
    if not cls:
        return {"de": "ohne Klasse", "en": "untyped"}[lang]
    return labels.get(cls, {}).get(lang) or cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def summary_text(summary: dict, labels: dict, lang: str = "de") -> str:
    """'3 Workshop neu, 1 Vortrag geändert' (by class, most changes first)."""
    parts = []
    for cls, counts in sorted(summary.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        for what in ("new", "changed", "removed"):
            if counts.get(what):
                parts.append(f"{counts[what]} {_name(cls, labels, lang)} {_WHAT[lang][what]}")
    return ", ".join(parts) if parts else _NOTHING[lang]


def cause_text(cause: dict, lang: str = "de") -> str:
    """What made a release, in words: 'Schreibzugriff (update von steward)'."""
    kind = cause.get("kind", "unknown")
    words = _CAUSE[lang].get(kind, kind)
    details = ", ".join(f"{v}" for k, v in cause.items() if k != "kind" and v not in (None, ""))
    return f"{words} ({details})" if details else words


def diff_summary(summary: dict, graphs: dict, labels: dict) -> dict:
    """A diff as JSON-ready data: counts per graph and the summary in German and English."""
    return {"graphs": graphs, "added": sum(g["added"] for g in graphs.values()),
            "removed": sum(g["removed"] for g in graphs.values()),
            "summary": {"de": summary_text(summary, labels, "de"), "en": summary_text(summary, labels, "en")},
            "classes": summary}


def release_iri(publication: Publication, release: Release) -> URIRef:
    """The IRI of a release (stable: its sequence number)."""
    return URIRef(publication.iri(f"release/{release.seq}"))


def releases_graph(releases: list[Release], publication: Publication, labels: dict) -> Graph:
    """The releases as RDF: each a version of the dataset (DCAT 3 versioning), made by a PROV activity."""
    g = Graph()
    for prefix, namespace in (("dcat", DCAT3), ("dct", DCTERMS), ("prov", PROV)):
        g.bind(prefix, namespace)
    dataset = URIRef(publication.iri("dataset"))
    previous = None
    for release in releases:
        node = release_iri(publication, release)
        g.add((node, RDF.type, DCAT3.Dataset))
        g.add((node, DCTERMS.isVersionOf, dataset))
        g.add((dataset, DCAT3.hasVersion, node))
        g.add((node, DCAT3.version, Literal(str(release.seq))))
        g.add((node, DCTERMS.identifier, Literal(release.version)))
        g.add((node, DCTERMS.issued, Literal(release.time, datatype=XSD.dateTime)))
        for lang in ("de", "en"):
            g.add((node, DCTERMS.description, Literal(summary_text(release.summary, labels, lang), lang=lang)))
        activity = URIRef(str(node) + "#activity")
        g.add((node, PROV.wasGeneratedBy, activity))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, RDFS.label, Literal(cause_text(release.cause, "en"), lang="en")))
        g.add((activity, RDFS.label, Literal(cause_text(release.cause, "de"), lang="de")))
        patch = URIRef(publication.url(f"/releases/{release.seq}.rdfp"))
        g.add((node, DCAT3.distribution, patch))
        g.add((patch, RDF.type, DCAT3.Distribution))
        g.add((patch, DCAT3.downloadURL, patch))
        g.add((patch, DCAT3.mediaType, URIRef("https://www.iana.org/assignments/media-types/application/rdf-patch")))
        if previous is not None:
            g.add((node, DCAT3.previousVersion, previous))
        previous = node
    return g


def release_time(release: Release) -> datetime:
    """When a release was published."""
    return datetime.fromisoformat(release.time)
