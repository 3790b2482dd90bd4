"""A DCAT-AP.de 2.0 catalogue of the dataset, harvestable by GovData (https://www.dcat-ap.de/).

One catalogue, one dataset, a distribution per dump and one for the SPARQL endpoint (served by
a dcat:DataService). The political geocoding names the municipalities (AGS) and states the
reports cover, as the GovData conventions ask (K08, K09); the licence sits on every
distribution (K32) with its attribution text (K35).
"""

from __future__ import annotations

import calendar
from typing import Callable

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL

from graph.engine import QueryRequest, QueryResult
from graph.ns import DCATDE, ONTOLOGY_IRI
from graph.publication import Publication
from graph.void import rows

Execute = Callable[[QueryRequest], QueryResult]
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
IANA = "https://www.iana.org/assignments/media-types/"
FILE_TYPES = {"text/turtle": "RDF_TURTLE", "application/n-triples": "RDF_N_TRIPLES",
              "application/ld+json": "JSON_LD", "application/n-quads": "RDF_N_QUADS"}

_PREFIX = "PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>\n"
# Covered: places that something a report describes points to (not the whole gazetteer).
_MUNICIPALITIES = _PREFIX + """SELECT DISTINCT ?ags WHERE {
  ?m a kg:Municipality ; kg:ags ?ags . ?x kg:reportedIn ?report ; ?p ?m } ORDER BY ?ags"""
_STATES = _PREFIX + """SELECT DISTINCT ?key WHERE {
  { ?x kg:reportedIn ?report ; ?p ?m . ?m a kg:Municipality ; kg:inState ?state }
  UNION { ?x kg:reportedIn ?report ; kg:withinArea ?state }
  ?state a kg:FederalState ; kg:stateKey ?key } ORDER BY ?key"""
_DATES = _PREFIX + "SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE { ?e a kg:Event ; kg:date ?d }"


def coverage(execute: Execute) -> dict:
    """The AGS, state keys and first and last event dates the data covers."""
    dates = rows(execute, _DATES)
    return {"municipalities": [r["ags"] for r in rows(execute, _MUNICIPALITIES)],
            "states": [r["key"] for r in rows(execute, _STATES)],
            "first": dates[0].get("first") if dates else None, "last": dates[0].get("last") if dates else None}


def _period_end(value: str) -> str:
    """The last day a YYYY, YYYY-MM or YYYY-MM-DD date stands for."""
    if len(value) == 4:
        return f"{value}-12-31"
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return value


def _period_start(value: str) -> str:
    return {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)


def _text(graph: Graph, node, predicate, german: str, english: str) -> None:
    graph.add((node, predicate, Literal(german, lang="de")))
    graph.add((node, predicate, Literal(english, lang="en")))


def catalog_graph(cover: dict, publication: Publication) -> Graph:
    """The catalogue as an rdflib graph, from coverage() and the publication settings."""
    g = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("dcatde", DCATDE), ("foaf", FOAF),
                              ("vcard", VCARD), ("adms", ADMS)):
        g.bind(prefix, namespace)
    catalog, dataset = URIRef(publication.iri("catalog")), URIRef(publication.iri("dataset"))
    publisher = URIRef(publication.iri("publisher"))
    modified = Literal(publication.modified.isoformat(), datatype=XSD.dateTime) if publication.modified else None
    license_ = URIRef(publication.license)
    attribution = f"Kommunalgraph, {publication.url('/')}"
    if publication.publisher != "Kommunalgraph":
        attribution = f"{publication.publisher}: {attribution}"

    g.add((catalog, RDF.type, DCAT.Catalog))
    _text(g, catalog, DCTERMS.title, "Kommunalgraph", "Kommunalgraph")
    _text(g, catalog, DCTERMS.description, "Katalog der offenen Daten des Kommunalgraphen.",
          "Catalogue of Kommunalgraph's open data.")
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, FOAF.homepage, URIRef(publication.url("/"))))
    g.add((catalog, DCTERMS.language, URIRef(EU + "language/DEU")))
    g.add((catalog, DCTERMS.license, license_))
    if modified:
        g.add((catalog, DCTERMS.modified, modified))

    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(publication.publisher)))
    if publication.publisher_url:
        g.add((publisher, FOAF.homepage, URIRef(publication.publisher_url)))

    g.add((dataset, RDF.type, DCAT.Dataset))
    _text(g, dataset, DCTERMS.title, "Workshops der kommunalen Digitalisierung",
          "Workshops on municipal digitalisation")
    _text(g, dataset, DCTERMS.description,
          "Welche Kommunen welche Workshops zu ihrer Digitalstrategie durchgeführt haben, wer dort "
          "gesprochen hat, zu welchen Themen und mit welchem Ergebnis; aus Berichten erfasst, mit SHACL "
          "und OWL geprüft und mit Wikidata verknüpft.",
          "Which municipalities held which workshops on their digital strategy, who spoke, on which "
          "topics and with what outcome; taken from reports, checked with SHACL and OWL, linked to Wikidata.")
    for word in ("Digitalisierung", "Kommunen", "Digitalstrategie", "Workshop", "Linked Open Data"):
        g.add((dataset, DCAT.keyword, Literal(word, lang="de")))
    for theme in ("GOVE", "TECH"):
        g.add((dataset, DCAT.theme, URIRef(EU + "data-theme/" + theme)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, DCAT.landingPage, URIRef(publication.url("/"))))
    g.add((dataset, DCTERMS.language, URIRef(EU + "language/DEU")))
    g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")))
    g.add((dataset, DCTERMS.spatial, URIRef(EU + "country/DEU")))
    g.add((dataset, DCTERMS.conformsTo, ONTOLOGY_IRI))
    if publication.version:
        g.add((dataset, OWL.versionInfo, Literal(publication.version)))
    if modified:
        g.add((dataset, DCTERMS.modified, modified))
    if publication.contributor_id:
        g.add((dataset, DCATDE.contributorID, URIRef(publication.contributor_id)))
    g.add((dataset, DCATDE.politicalGeocodingLevelURI, URIRef(GEOCODING + "Level/municipality")))
    for ags in cover["municipalities"]:
        g.add((dataset, DCATDE.politicalGeocodingURI, URIRef(GEOCODING + "municipalityKey/" + ags)))
    for key in cover["states"]:
        g.add((dataset, DCATDE.politicalGeocodingURI, URIRef(GEOCODING + "stateKey/" + key)))
    if cover["first"]:
        period = BNode()
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(_period_start(cover["first"]), datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(_period_end(cover["last"]), datatype=XSD.date)))
    contact = BNode()
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(publication.contact_name)))
    g.add((contact, VCARD.hasEmail, URIRef("mailto:" + publication.contact_email)) if publication.contact_email
          else (contact, VCARD.hasURL, URIRef(publication.url("/"))))

    for dump, size in publication.dumps:
        dist = URIRef(publication.iri("dataset/distribution/" + dump.name.replace(".", "-")))
        download = URIRef(publication.url("/downloads/" + dump.name))
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        _text(g, dist, DCTERMS.title, f"Gesamtabzug {dump.name}", f"Full dump {dump.name}")
        g.add((dist, DCAT.accessURL, download))
        g.add((dist, DCAT.downloadURL, download))
        g.add((dist, DCTERMS.format, URIRef(EU + "file-type/" + FILE_TYPES[dump.media_type])))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        _license(g, dist, license_, attribution, modified)

    service, sparql = URIRef(publication.iri("dataset/service/sparql")), URIRef(publication.url("/sparql"))
    g.add((catalog, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    _text(g, service, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
    g.add((service, DCAT.endpointURL, sparql))
    g.add((service, DCAT.endpointDescription, sparql))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.license, license_))
    dist = URIRef(publication.iri("dataset/distribution/sparql"))
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    _text(g, dist, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
    g.add((dist, DCAT.accessURL, sparql))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.format, URIRef(EU + "file-type/SPARQLQ")))
    _license(g, dist, license_, attribution, modified)
    return g


def _license(g: Graph, dist, license_: URIRef, attribution: str, modified) -> None:
    g.add((dist, DCTERMS.license, license_))
    g.add((dist, DCATDE.licenseAttributionByText, Literal(attribution, lang="de")))
    g.add((dist, ADMS.status, URIRef("http://purl.org/adms/status/Completed")))
    if modified:
        g.add((dist, DCTERMS.modified, modified))
