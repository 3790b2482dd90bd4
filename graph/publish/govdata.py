"""Check a catalogue the way GovData's validator does: its shape files, combined per validation type.

GovData's validator (an ITB SHACL validator) reads `config.properties`: for each validation type
(v20_de_spec_implr = DCAT-AP.de 2.0 specification + Konventionen, v30_de_spec = DCAT-AP.de 3.0)
a list of local shape files and remote ones (SEMIC's DCAT-AP shapes). It loads the shapes'
owl:imports (FOAF, vCard, ORG mirrors and the controlled vocabularies) and validates the data
together with them. Offline, the remote files are the SEMIC copies beside GovData's, the
ontology mirrors come from GovData's `mirror/` folder, and the vocabulary entries the catalogue
uses come from `vocabulary_entries()` (our own small list: which scheme each IRI belongs to).

The shape files are not part of this project (licence); `shapes_root` points to a copy of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from graph.errors import KommunalgraphError

PROFILES = ("v20_de_spec_implr", "v30_de_spec")
# SEMIC's DCAT-AP 3.0.0 shapes alone, ranges included (GovData's 3.0 profile switches the range
# checks off; a European harvester may not).
SEMIC_30 = "semic-3.0.0"
# Where the remote files named in config.properties lie in the local copy (by file name).
_REMOTE = {"dcat-ap_2.1.1_shacl_shapes.ttl": "semic-2.1.1", "dcat-ap-SHACL.ttl": "semic-3.0.0"}
_MIRRORS = ("foaf_0_1.rdf", "vcard.ttl", "org.ttl")
_GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
# The official key formats: 8-digit Amtlicher Gemeindeschlüssel, 2-digit state key (01-16).
_KEYS = {"municipalityKey": re.compile(r"^[0-9]{8}$"), "stateKey": re.compile(r"^(0[1-9]|1[0-6])$")}


class ShapesMissing(KommunalgraphError):
    """The folder with GovData's and SEMIC's shape files is not there or incomplete."""


@dataclass(frozen=True)
class Finding:
    """One validation result, reduced to what a reader needs."""

    severity: str      # Violation, Warning or Info
    focus: str
    path: str
    message: str
    component: str     # the SHACL constraint component, e.g. ClassConstraintComponent


def shape_files(shapes_root: Path, profile: str) -> list[Path]:
    """The shape files GovData's validator combines for `profile`, in its order.

    :raises ShapesMissing: if config.properties or a file it names is absent.
    """
    if profile == SEMIC_30:
        path = Path(shapes_root) / "semic-3.0.0" / "dcat-ap-SHACL.ttl"
        if not path.is_file():
            raise ShapesMissing(f"shape file missing: {path}")
        return [path]
    config = Path(shapes_root) / "govdata" / "config.properties"
    if not config.is_file():
        raise ShapesMissing(f"no GovData validator configuration at {config}")
    settings = {}
    for line in config.read_text("utf-8").splitlines():
        match = re.match(r"^\s*(validator\.[^=#\s]+)\s*=\s*(.*?)\s*$", line)
        if match:
            settings[match.group(1)] = match.group(2)
    local = settings.get(f"validator.shaclFile.{profile}")
    if local is None:
        raise ShapesMissing(f"GovData's configuration has no validation type {profile!r}")
    files = [Path(shapes_root) / "govdata" / name.strip() for name in local.split(",") if name.strip()]
    for key, url in sorted(settings.items()):
        if key.startswith(f"validator.shaclFile.{profile}.remote.") and key.endswith(".url"):
            name = url.rsplit("/", 1)[-1]
            if name not in _REMOTE:
                raise ShapesMissing(f"no local copy of the remote shapes {url}")
            files.append(Path(shapes_root) / _REMOTE[name] / name)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise ShapesMissing(f"shape files missing: {', '.join(missing)}")
    return files


def load_shapes(shapes_root: Path, profile: str) -> Graph:
    """All shapes of `profile` in one graph."""
    shapes = Graph()
    for path in shape_files(shapes_root, profile):
        shapes.parse(path, format="xml" if path.suffix == ".rdf" else "turtle")
    return shapes


def mirrors(shapes_root: Path) -> Graph:
    """The ontologies GovData's validator imports from its mirror folder (FOAF, vCard, ORG)."""
    graph = Graph()
    for name in _MIRRORS:
        path = Path(shapes_root) / "govdata" / "mirror" / name
        if not path.is_file():
            raise ShapesMissing(f"ontology mirror missing: {path}")
        graph.parse(path, format="xml" if path.suffix == ".rdf" else "turtle")
    return graph


def vocabulary_entries(catalogue: Graph, vocabulary: Graph) -> Graph:
    """The entries of `vocabulary` the catalogue uses, and its political-geocoding keys.

    This stands in for the vocabularies GovData's validator imports (whole EU tables and
    dcat-ap.de lists): only the entries used. Municipality and state keys are entries of their
    scheme when their IRI has the official key format.
    """
    entries = Graph()
    for term in {o for o in catalogue.objects() if isinstance(o, URIRef)}:
        for triple in vocabulary.triples((term, None, None)):
            entries.add(triple)
        kind, _, key = str(term).removeprefix(_GEOCODING).partition("/")
        if str(term).startswith(_GEOCODING) and kind in _KEYS and _KEYS[kind].match(key):
            entries.add((term, RDF.type, SKOS.Concept))
            entries.add((term, SKOS.inScheme, URIRef(_GEOCODING + kind)))
    return entries


def check(catalogue: Graph, shapes_root: Path, profile: str, vocabulary: Graph) -> list[Finding]:
    """Validate `catalogue` as GovData's validator does for `profile`; all results, any severity.

    `vocabulary` holds the controlled-vocabulary entries to load with it (see vocabulary_entries).
    For SEMIC's shapes alone, RDFS inference supplies what the shapes' `rdfs:Resource` ranges
    presume (every IRI is a resource), as a validator with the RDFS entailment regime does.
    """
    from pyshacl import validate

    data = Graph()
    data += catalogue
    data += vocabulary_entries(catalogue, vocabulary)
    _conforms, report, _text = validate(data, shacl_graph=load_shapes(shapes_root, profile),
                                        ont_graph=mirrors(shapes_root), allow_warnings=True,
                                        inference="rdfs" if profile == SEMIC_30 else "none")
    return findings(report)


def findings(report: Graph) -> list[Finding]:
    """The results of a SHACL validation report graph, sorted."""
    sh = "http://www.w3.org/ns/shacl#"
    out = []
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        def value(name):
            found = report.value(result, URIRef(sh + name))
            return "" if found is None else str(found)
        messages = sorted(str(m) for m in report.objects(result, URIRef(sh + "resultMessage")))
        component = value("sourceConstraintComponent").rsplit("#", 1)[-1]
        out.append(Finding(value("resultSeverity").rsplit("#", 1)[-1], value("focusNode"), value("resultPath"),
                           messages[0] if messages else component, component))
    return sorted(out, key=lambda f: (f.severity, f.path, f.focus))
