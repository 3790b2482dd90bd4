"""Quality as data: per-release measurements (W3C DQV) and the build's SHACL report as RDF.

Measured on a store version (SPARQL over its default graph):

- completeness: share of events with a day-exact date, of persons with an affiliation, of
  municipalities with a Wikidata link; the first and the last also per federal state;
- confidence: mean confidence of the facts read from reports, per record field, and the share
  of facts read with a confidence below LOW_CONFIDENCE.

Kept with the release as `releases/<version>.quality.json`, so each release keeps its numbers
after its version is pruned; the build's problems that did not block publishing (warnings)
are kept as `releases/<version>.problems.json` and published as a sh:ValidationReport.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.publish.publication import Publication
from graph.store.releases import Release, folder, list_releases

DQV = Namespace("http://www.w3.org/ns/dqv#")
SH = Namespace("http://www.w3.org/ns/shacl#")
REF_AREA = URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
LOW_CONFIDENCE = 0.8
_P = """PREFIX kg: <https://w3id.org/kommunalgraph/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# name → (dimension, German, English definition, query giving ?state (optional), ?n, ?k)
METRICS = {
    "event-day-date": ("completeness", "Anteil der Veranstaltungen mit tagesgenauem Datum",
                       "Share of events with a day-exact date",
                       "SELECT ?s ?key (COUNT(DISTINCT ?e) AS ?n) (COUNT(DISTINCT ?d) AS ?k) WHERE { ?e a kg:Event "
                       "OPTIONAL { ?e kg:withinArea ?s . ?s a kg:FederalState ; kg:stateKey ?key } "
                       "OPTIONAL { ?e kg:date ?d FILTER(DATATYPE(?d) = xsd:date) } } GROUP BY ?s ?key"),
    "person-affiliation": ("completeness", "Anteil der Personen mit Organisation", "Share of persons with an organisation",
                           "SELECT (COUNT(DISTINCT ?p) AS ?n) (COUNT(DISTINCT ?q) AS ?k) WHERE { ?p a kg:Person "
                           "OPTIONAL { ?p kg:affiliation ?o BIND(?p AS ?q) } }"),
    "municipality-wikidata": ("completeness", "Anteil der Gemeinden mit Wikidata-Verknüpfung",
                              "Share of municipalities linked to Wikidata",
                              "SELECT ?s ?key (COUNT(DISTINCT ?m) AS ?n) (COUNT(DISTINCT ?q) AS ?k) WHERE { ?m a kg:Municipality "
                              "OPTIONAL { ?m kg:inState ?s . ?s kg:stateKey ?key } OPTIONAL { ?m owl:sameAs ?w "
                              "FILTER(STRSTARTS(STR(?w), 'http://www.wikidata.org/entity/')) BIND(?m AS ?q) } } "
                              "GROUP BY ?s ?key"),
    "low-confidence": ("confidence", f"Anteil der aus Berichten gelesenen Angaben mit Sicherheit unter {LOW_CONFIDENCE}",
                       f"Share of facts read from reports with a confidence below {LOW_CONFIDENCE}",
                       "SELECT (COUNT(?x) AS ?n) (SUM(IF(?c < %s, 1, 0)) AS ?k) WHERE { ?x kg:confidence ?c }"
                       % LOW_CONFIDENCE),
}
_CONFIDENCE = _P + ("SELECT ?field (AVG(?c) AS ?mean) (COUNT(?x) AS ?n) "
                    "WHERE { ?x kg:field ?field ; kg:confidence ?c } GROUP BY ?field")


def _number(term) -> float:
    return float(term.value) if term is not None else 0.0


def measure(store) -> dict:
    """The measurements of a store version (pyoxigraph store)."""
    out: dict = {"metrics": {}, "by_state": {}, "confidence": {}, "counts": {}, "states": {}}
    for name, (_dim, _de, _en, query) in METRICS.items():
        total_n = total_k = 0.0
        for row in store.query(_P + query):
            n, k = _number(row["n"]), _number(row["k"])
            total_n, total_k = total_n + n, total_k + k
            key = row["key"] if "key" in query.split("WHERE")[0] else None
            if key is not None and n:
                out["by_state"].setdefault(name, {})[key.value] = round(k / n, 4)
                out["states"][key.value] = row["s"].value
        out["metrics"][name] = round(total_k / total_n, 4) if total_n else None
        out["counts"][name] = int(total_n)
    for row in store.query(_CONFIDENCE):
        out["confidence"][row["field"].value] = round(_number(row["mean"]), 4)
    return out


def _path(root: Path, version: str, kind: str) -> Path:
    return folder(root) / f"{version}.{kind}.json"


def _write(path: Path, data) -> None:
    staging = path.with_name(".tmp-" + path.name)
    staging.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(staging, path)


def record(root: Path, version: str, store) -> dict:
    """Measure `store` (the version `version`) and keep the numbers with its release."""
    measured = measure(store)
    _write(_path(root, version, "quality"), measured)
    return measured


def record_problems(root: Path, version: str, problems) -> None:
    """Keep the build's non-blocking problems (warnings) with its release."""
    _write(_path(root, version, "problems"), [p.as_dict() for p in problems])


def load(root: Path, release: Release, kind: str = "quality"):
    """The kept measurements (or problems) of a release, or None if there are none."""
    path = _path(root, release.version, kind)
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


def for_version(root: Path, version: str | None, open_store) -> tuple[Release | None, dict | None, dict | None]:
    """(the release of `version`, its measurements, those of the newest earlier measured release).

    A release made by a gated write is measured the first time someone asks (builds measure
    their release themselves); the numbers are then kept with it. `open_store()` opens the version.
    """
    found = list_releases(root)
    release = next((r for r in reversed(found) if r.version == version), None)
    if release is None:
        return None, None, None
    measured = load(root, release)
    if measured is None:
        measured = record(root, release.version, open_store())
    earlier = [m for m in (load(root, r) for r in found if r.seq < release.seq) if m is not None]
    return release, measured, earlier[-1] if earlier else None


def metric_iri(publication: Publication, name: str) -> URIRef:
    """The IRI of one of our metrics (stable)."""
    return URIRef(publication.iri(f"quality/metric/{name}"))


def dqv_graph(publication: Publication, release_iri: URIRef, measured: dict) -> Graph:
    """The measurements as DQV: metrics with their dimension, measurements computed on the release."""
    g = Graph()
    for prefix, namespace in (("dqv", DQV), ("dct", DCTERMS), ("skos", SKOS), ("prov", PROV)):
        g.bind(prefix, namespace)
    dataset = URIRef(publication.iri("dataset"))
    for dimension in ("completeness", "confidence"):
        node = URIRef(publication.iri(f"quality/dimension/{dimension}"))
        g.add((node, RDF.type, DQV.Dimension))
        g.add((node, DQV.inCategory, URIRef(publication.iri("quality/category/content"))))
        g.add((node, SKOS.prefLabel, Literal(dimension, lang="en")))
    g.add((URIRef(publication.iri("quality/category/content")), RDF.type, DQV.Category))

    def metric(name, german, english, dimension):
        node = metric_iri(publication, name)
        g.add((node, RDF.type, DQV.Metric))
        g.add((node, SKOS.definition, Literal(german, lang="de")))
        g.add((node, SKOS.definition, Literal(english, lang="en")))
        g.add((node, DQV.expectedDataType, XSD.double))
        g.add((node, DQV.inDimension, URIRef(publication.iri(f"quality/dimension/{dimension}"))))
        return node

    def measurement(node_name, metric_node, value, area=None):
        node = URIRef(f"{release_iri}/quality/{node_name}")
        g.add((dataset, DQV.hasQualityMeasurement, node))
        g.add((node, RDF.type, DQV.QualityMeasurement))
        g.add((node, DQV.computedOn, release_iri))
        g.add((node, DQV.isMeasurementOf, metric_node))
        g.add((node, DQV.value, Literal(float(value), datatype=XSD.double)))
        if area is not None:
            g.add((node, REF_AREA, URIRef(measured["states"][area])))

    for name, (dimension, german, english, _query) in METRICS.items():
        node = metric(name, german, english, dimension)
        if measured["metrics"].get(name) is not None:
            measurement(name, node, measured["metrics"][name])
        for key, value in measured["by_state"].get(name, {}).items():
            measurement(f"{name}/state/{key}", node, value, key)
    for field_name, value in measured["confidence"].items():
        node = metric(f"confidence-{field_name}", f"Mittlere Sicherheit des Felds {field_name}",
                      f"Mean confidence of the field {field_name}", "confidence")
        measurement(f"confidence-{field_name}", node, value)
    return g


def report_graph(publication: Publication, problems: list[dict]) -> Graph:
    """The build's SHACL findings that did not block publishing, as a sh:ValidationReport."""
    g = Graph()
    g.bind("sh", SH)
    report = URIRef(publication.iri("quality/shacl-report"))
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not any(p["severity"] == "violation" for p in problems))))
    for index, problem in enumerate(problems):
        result = URIRef(f"{report}#result-{index + 1}")
        g.add((report, SH.result, result))
        g.add((result, RDF.type, SH.ValidationResult))
        g.add((result, SH.resultSeverity, SH.Warning if problem["severity"] == "warning" else
               SH.Violation if problem["severity"] == "violation" else SH.Info))
        g.add((result, SH.focusNode, Literal(problem.get("event") or problem.get("file") or "")))
        g.add((result, SH.resultMessage, Literal(problem["german"], lang="de")))
        g.add((result, SH.resultMessage, Literal(problem["english"], lang="en")))
        if problem.get("value"):
            g.add((result, SH.value, Literal(problem["value"])))
        if problem.get("field"):
            g.add((result, DCTERMS.subject, Literal(problem["field"])))
    return g


def grouped(problems: list[dict], lang: str) -> list[dict]:
    """Problems grouped by severity and message, for a page: [{severity, message, count, where}]."""
    groups: dict[tuple, dict] = {}
    for p in problems:
        message = p["german"] if lang == "de" else p["english"]
        entry = groups.setdefault((p["severity"], p.get("field") or "", message),
                                  {"severity": p["severity"], "field": p.get("field") or "", "message": message,
                                   "where": []})
        entry["where"].append(p.get("event") or p.get("file") or "")
    order = {"violation": 0, "warning": 1}
    return sorted(groups.values(), key=lambda e: (order.get(e["severity"], 2), -len(e["where"]), e["message"]))
