"""A DCAT-AP.de 2.0 catalogue of the dataset, harvestable by GovData (https://www.dcat-ap.de/).

One catalogue, one dataset, a distribution per dump and one for the SPARQL endpoint (served by
a dcat:DataService). The political geocoding names the municipalities (AGS) and states the
reports cover, as the GovData conventions ask (K08, K09); the licence sits on every
distribution (K32) with its attribution text (K35).
"""

from __future__ import annotations

import calendar

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL

from graph.ns import DCATDE, ONTOLOGY_IRI
from graph.publish.publication import Publication
from graph.publish.void import rows
from graph.store.interface import Execute
from graph.formats import EU_FILE_TYPES as FILE_TYPES

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
IANA = "https://www.iana.org/assignments/media-types/"

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


class _Writer:
    """Writes one catalogue: the IRIs and values its parts share."""

    def __init__(self, publication: Publication):
        self.p, self.g = publication, Graph()
        for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("dcatde", DCATDE), ("foaf", FOAF),
                                  ("vcard", VCARD), ("adms", ADMS)):
            self.g.bind(prefix, namespace)
        self.catalog, self.dataset = URIRef(publication.iri("catalog")), URIRef(publication.iri("dataset"))
        self.publisher = URIRef(publication.iri("publisher"))
        self.modified = (Literal(publication.modified.isoformat(), datatype=XSD.dateTime)
                         if publication.modified else None)
        self.license = URIRef(publication.license)
        self.attribution = f"Kommunalgraph, {publication.url('/')}"
        if publication.publisher != "Kommunalgraph":
            self.attribution = f"{publication.publisher}: {self.attribution}"

    def add(self, subject, predicate, value) -> None:
        self.g.add((subject, predicate, value))

    def write_catalog(self) -> None:
        g, catalog = self.g, self.catalog
        self.add(catalog, RDF.type, DCAT.Catalog)
        _text(g, catalog, DCTERMS.title, "Kommunalgraph", "Kommunalgraph")
        _text(g, catalog, DCTERMS.description, "Katalog der offenen Daten des Kommunalgraphen.",
              "Catalogue of Kommunalgraph's open data.")
        self.add(catalog, DCTERMS.publisher, self.publisher)
        self.add(catalog, DCAT.dataset, self.dataset)
        self.add(catalog, FOAF.homepage, URIRef(self.p.url("/")))
        self.add(catalog, DCTERMS.language, URIRef(EU + "language/DEU"))
        self.add(catalog, DCTERMS.license, self.license)
        if self.modified:
            self.add(catalog, DCTERMS.modified, self.modified)
        self.add(self.publisher, RDF.type, FOAF.Organization)
        self.add(self.publisher, FOAF.name, Literal(self.p.publisher))
        if self.p.publisher_url:
            self.add(self.publisher, FOAF.homepage, URIRef(self.p.publisher_url))

    def write_dataset(self, cover: dict) -> None:
        g, dataset = self.g, self.dataset
        self.add(dataset, RDF.type, DCAT.Dataset)
        _text(g, dataset, DCTERMS.title, "Workshops der kommunalen Digitalisierung",
              "Workshops on municipal digitalisation")
        _text(g, dataset, DCTERMS.description,
              "Welche Kommunen welche Workshops zu ihrer Digitalstrategie durchgeführt haben, wer dort "
              "gesprochen hat, zu welchen Themen und mit welchem Ergebnis; aus Berichten erfasst, mit SHACL "
              "und OWL geprüft und mit Wikidata verknüpft.",
              "Which municipalities held which workshops on their digital strategy, who spoke, on which "
              "topics and with what outcome; taken from reports, checked with SHACL and OWL, linked to Wikidata.")
        for word in ("Digitalisierung", "Kommunen", "Digitalstrategie", "Workshop", "Linked Open Data"):
            self.add(dataset, DCAT.keyword, Literal(word, lang="de"))
        for theme in ("GOVE", "TECH"):
            self.add(dataset, DCAT.theme, URIRef(EU + "data-theme/" + theme))
        for predicate, value in ((DCTERMS.publisher, self.publisher), (DCTERMS.identifier, Literal(str(dataset))),
                                 (DCAT.landingPage, URIRef(self.p.url("/"))),
                                 (DCTERMS.language, URIRef(EU + "language/DEU")),
                                 (DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")),
                                 (DCTERMS.spatial, URIRef(EU + "country/DEU")), (DCTERMS.conformsTo, ONTOLOGY_IRI)):
            self.add(dataset, predicate, value)
        if self.p.version:
            self.add(dataset, OWL.versionInfo, Literal(self.p.version))
        if self.modified:
            self.add(dataset, DCTERMS.modified, self.modified)
        if self.p.contributor_id:
            self.add(dataset, DCATDE.contributorID, URIRef(self.p.contributor_id))
        self.write_coverage(cover)
        contact = BNode()
        self.add(dataset, DCAT.contactPoint, contact)
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, VCARD.fn, Literal(self.p.contact_name))
        if self.p.contact_email:
            self.add(contact, VCARD.hasEmail, URIRef("mailto:" + self.p.contact_email))
        else:
            self.add(contact, VCARD.hasURL, URIRef(self.p.url("/")))

    def write_coverage(self, cover: dict) -> None:
        """Places as political geocoding (K08, K09) and the period of the events."""
        dataset = self.dataset
        self.add(dataset, DCATDE.politicalGeocodingLevelURI, URIRef(GEOCODING + "Level/municipality"))
        for ags in cover["municipalities"]:
            self.add(dataset, DCATDE.politicalGeocodingURI, URIRef(GEOCODING + "municipalityKey/" + ags))
        for key in cover["states"]:
            self.add(dataset, DCATDE.politicalGeocodingURI, URIRef(GEOCODING + "stateKey/" + key))
        if cover["first"]:
            period = BNode()
            self.add(dataset, DCTERMS.temporal, period)
            self.add(period, RDF.type, DCTERMS.PeriodOfTime)
            self.add(period, DCAT.startDate, Literal(_period_start(cover["first"]), datatype=XSD.date))
            self.add(period, DCAT.endDate, Literal(_period_end(cover["last"]), datatype=XSD.date))

    def write_dumps(self) -> None:
        for dump, size in self.p.dumps:
            dist = URIRef(self.p.iri("dataset/distribution/" + dump.name.replace(".", "-")))
            download = URIRef(self.p.url("/downloads/" + dump.name))
            self.add(self.dataset, DCAT.distribution, dist)
            self.add(dist, RDF.type, DCAT.Distribution)
            _text(self.g, dist, DCTERMS.title, f"Gesamtabzug {dump.name}", f"Full dump {dump.name}")
            self.add(dist, DCAT.accessURL, download)
            self.add(dist, DCAT.downloadURL, download)
            self.add(dist, DCTERMS.format, URIRef(EU + "file-type/" + FILE_TYPES[dump.media_type]))
            self.add(dist, DCAT.mediaType, URIRef(IANA + dump.media_type))
            self.add(dist, DCAT.compressFormat, URIRef(IANA + "application/gzip"))
            self.add(dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger))
            _license(self.g, dist, self.license, self.attribution, self.modified)

    def write_service(self) -> None:
        """The SPARQL endpoint: a data service, and a distribution that is accessed through it."""
        service, sparql = URIRef(self.p.iri("dataset/service/sparql")), URIRef(self.p.url("/sparql"))
        self.add(self.catalog, DCAT.service, service)
        self.add(service, RDF.type, DCAT.DataService)
        _text(self.g, service, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
        for predicate, value in ((DCAT.endpointURL, sparql), (DCAT.endpointDescription, sparql),
                                 (DCAT.servesDataset, self.dataset), (DCTERMS.license, self.license),
                                 (DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/"))):
            self.add(service, predicate, value)
        dist = URIRef(self.p.iri("dataset/distribution/sparql"))
        self.add(self.dataset, DCAT.distribution, dist)
        self.add(dist, RDF.type, DCAT.Distribution)
        _text(self.g, dist, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
        self.add(dist, DCAT.accessURL, sparql)
        self.add(dist, DCAT.accessService, service)
        self.add(dist, DCTERMS.format, URIRef(EU + "file-type/SPARQLQ"))
        _license(self.g, dist, self.license, self.attribution, self.modified)


def catalog_graph(cover: dict, publication: Publication) -> Graph:
    """The catalogue as an rdflib graph, from coverage() and the publication settings."""
    writer = _Writer(publication)
    writer.write_catalog()
    writer.write_dataset(cover)
    writer.write_dumps()
    writer.write_service()
    return writer.g


def _license(g: Graph, dist, license_: URIRef, attribution: str, modified) -> None:
    g.add((dist, DCTERMS.license, license_))
    g.add((dist, DCATDE.licenseAttributionByText, Literal(attribution, lang="de")))
    g.add((dist, ADMS.status, URIRef("http://purl.org/adms/status/Completed")))
    if modified:
        g.add((dist, DCTERMS.modified, modified))
