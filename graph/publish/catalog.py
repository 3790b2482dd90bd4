"""A DCAT-AP.de 2.0 catalogue of the dataset, harvestable by GovData (https://www.dcat-ap.de/).

One catalogue, one dataset, a distribution per dump and one for the SPARQL endpoint (served by
a dcat:DataService). The political geocoding names the municipalities (AGS) and states the
reports cover, as the GovData conventions ask (K08, K09); the licence sits on every
distribution (K32) with its attribution text (K35).

It passes GovData's validator for DCAT-AP.de 2.0 (specification + Konventionen) and 3.0
(graph/publish/govdata.py): byte sizes are xsd:decimal (DCAT-AP 2.1.1), every object of a
property with a class range in DCAT-AP 3.0 says its class (licence document, media type,
document …), and the data service names its publisher. adms:status is left out: 2.0 wants the
ADMS status list and 3.0 the EU distribution-status list, and the property is optional in both.
The one point where the two versions cannot agree is the byte size's datatype (2.0: xsd:decimal,
3.0: xsd:nonNegativeInteger), so the catalogue is written for one profile at a time.
"""

from __future__ import annotations

import calendar

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

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
# The application profiles the catalogue can be written for: name → its IRI (for Content-Profile).
PROFILES = {"2.0": "http://dcat-ap.de/def/dcatde/2.0", "3.0": "http://dcat-ap.de/def/dcatde/3.0"}
DEFAULT_PROFILE = "2.0"                     # what GovData harvests and checks by default
_BYTE_SIZE = {"2.0": XSD.decimal, "3.0": XSD.nonNegativeInteger}

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

    def __init__(self, publication: Publication, profile: str = DEFAULT_PROFILE):
        self.p, self.g, self.profile = publication, Graph(), profile
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

    def typed(self, subject, predicate, value, cls) -> None:
        """Add a statement whose object DCAT-AP 3.0 expects to be of class `cls` (its range)."""
        self.g.add((subject, predicate, value))
        self.g.add((value, RDF.type, cls))

    def write_catalog(self) -> None:
        g, catalog = self.g, self.catalog
        self.add(catalog, RDF.type, DCAT.Catalog)
        _text(g, catalog, DCTERMS.title, "Kommunalgraph", "Kommunalgraph")
        _text(g, catalog, DCTERMS.description, "Katalog der offenen Daten des Kommunalgraphen.",
              "Catalogue of Kommunalgraph's open data.")
        self.add(catalog, DCTERMS.publisher, self.publisher)
        self.add(catalog, DCAT.dataset, self.dataset)
        self.typed(catalog, FOAF.homepage, URIRef(self.p.url("/")), FOAF.Document)
        self.typed(catalog, DCTERMS.language, URIRef(EU + "language/DEU"), DCTERMS.LinguisticSystem)
        self.typed(catalog, DCTERMS.license, self.license, DCTERMS.LicenseDocument)
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
        # The identifier is the dataset's IRI, so it stays the same across releases (GovData
        # recognises a dataset it has seen by it).
        self.add(dataset, DCTERMS.publisher, self.publisher)
        self.add(dataset, DCTERMS.identifier, Literal(str(dataset)))
        for predicate, value, cls in ((DCAT.landingPage, URIRef(self.p.url("/")), FOAF.Document),
                                      (DCTERMS.language, URIRef(EU + "language/DEU"), DCTERMS.LinguisticSystem),
                                      (DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG"), DCTERMS.Frequency),
                                      (DCTERMS.spatial, URIRef(EU + "country/DEU"), DCTERMS.Location),
                                      (DCTERMS.conformsTo, ONTOLOGY_IRI, DCTERMS.Standard)):
            self.typed(dataset, predicate, value, cls)
        if self.p.version:
            # dcat:version, not owl:versionInfo, which DCAT-AP.de 3.0 deprecates.
            self.add(dataset, URIRef(str(DCAT) + "version"), Literal(self.p.version))  # DCAT 3; rdflib lists DCAT 2
        if self.p.issued:
            self.add(dataset, DCTERMS.issued, Literal(self.p.issued.isoformat(), datatype=XSD.dateTime))
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
            self.typed(dist, DCTERMS.format, URIRef(EU + "file-type/" + FILE_TYPES[dump.media_type]),
                       DCTERMS.MediaTypeOrExtent)
            self.typed(dist, DCAT.mediaType, URIRef(IANA + dump.media_type), DCTERMS.MediaType)
            self.typed(dist, DCAT.compressFormat, URIRef(IANA + "application/gzip"), DCTERMS.MediaType)
            self.add(dist, DCAT.byteSize, Literal(str(size), datatype=_BYTE_SIZE[self.profile]))
            _license(self.g, dist, self.license, self.attribution, self.modified)

    def write_service(self) -> None:
        """The SPARQL endpoint: a data service, and a distribution that is accessed through it."""
        service, sparql = URIRef(self.p.iri("dataset/service/sparql")), URIRef(self.p.url("/sparql"))
        self.add(self.catalog, DCAT.service, service)
        self.add(service, RDF.type, DCAT.DataService)
        _text(self.g, service, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
        for predicate, value in ((DCAT.endpointURL, sparql), (DCAT.endpointDescription, sparql),
                                 (DCAT.servesDataset, self.dataset), (DCTERMS.publisher, self.publisher)):
            self.add(service, predicate, value)
        self.typed(service, DCTERMS.license, self.license, DCTERMS.LicenseDocument)
        self.typed(service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/"), DCTERMS.Standard)
        dist = URIRef(self.p.iri("dataset/distribution/sparql"))
        self.add(self.dataset, DCAT.distribution, dist)
        self.add(dist, RDF.type, DCAT.Distribution)
        _text(self.g, dist, DCTERMS.title, "SPARQL-Endpunkt", "SPARQL endpoint")
        self.add(dist, DCAT.accessURL, sparql)
        self.add(dist, DCAT.accessService, service)
        self.typed(dist, DCTERMS.format, URIRef(EU + "file-type/SPARQLQ"), DCTERMS.MediaTypeOrExtent)
        _license(self.g, dist, self.license, self.attribution, self.modified)


def catalog_graph(cover: dict, publication: Publication, profile: str = DEFAULT_PROFILE) -> Graph:
    """The catalogue as an rdflib graph, from coverage() and the publication settings, written
    for DCAT-AP.de `profile` ("2.0" or "3.0").

    :raises ValueError: for another profile.
    """
    if profile not in PROFILES:
        raise ValueError(f"no DCAT-AP.de profile {profile!r}; use one of {', '.join(PROFILES)}")
    writer = _Writer(publication, profile)
    writer.write_catalog()
    writer.write_dataset(cover)
    writer.write_dumps()
    writer.write_service()
    return writer.g


HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


def add_paging(graph: Graph, publication: Publication, page: int, total: int, size: int) -> None:
    """Describe page `page` of a catalogue of `total` datasets, `size` per page, with Hydra, in both
    forms harvesters read: hydra:PagedCollection (first/next/last page, as the DCAT harvester
    GovData uses reads it) and hydra:PartialCollectionView.

    :raises ValueError: for a page that does not exist.
    """
    last = max(1, -(-total // size))
    if not 1 <= page <= last:
        raise ValueError(f"the catalogue has pages 1 to {last}; there is no page {page}")

    def url(n: int) -> URIRef:
        return URIRef(publication.url(f"/catalog?page={n}"))

    node = url(page)
    graph.bind("hydra", HYDRA)
    for cls in (HYDRA.PagedCollection, HYDRA.PartialCollectionView):
        graph.add((node, RDF.type, cls))
    graph.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(size, datatype=XSD.integer)))
    for old, new, n in ((HYDRA.firstPage, HYDRA.first, 1), (HYDRA.lastPage, HYDRA.last, last)):
        graph.add((node, old, url(n)))
        graph.add((node, new, url(n)))
    if page < last:
        graph.add((node, HYDRA.nextPage, url(page + 1)))
        graph.add((node, HYDRA.next, url(page + 1)))
    if page > 1:
        graph.add((node, HYDRA.previousPage, url(page - 1)))
        graph.add((node, HYDRA.previous, url(page - 1)))


def _license(g: Graph, dist, license_: URIRef, attribution: str, modified) -> None:
    g.add((dist, DCTERMS.license, license_))
    g.add((license_, RDF.type, DCTERMS.LicenseDocument))
    g.add((dist, DCATDE.licenseAttributionByText, Literal(attribution, lang="de")))
    if modified:
        g.add((dist, DCTERMS.modified, modified))
