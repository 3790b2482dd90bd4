"""Namespaces; KG is generated from ontology/kommunalgraph.ttl so that a mistyped term fails."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class KG(DefinedNamespace):
    """The Kommunalgraph ontology (tests/test_ontology.py keeps this list in step)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kommunalgraph/ontology#")

    # classes
    ActionPlan: URIRef
    AdministrativeArea: URIRef
    Agency: URIRef
    CandidateTopic: URIRef
    CityAdministration: URIRef
    DigitalAgenda: URIRef
    DigitalStrategy: URIRef
    District: URIRef
    Event: URIRef
    EventStatus: URIRef
    FederalState: URIRef
    FrameworkStrategy: URIRef
    Goals: URIRef
    GovernmentDistrict: URIRef
    GuidingPrinciples: URIRef
    Initiative: URIRef
    Keynote: URIRef
    Ministry: URIRef
    MissionStatement: URIRef
    MunicipalAssociation: URIRef
    MunicipalGroup: URIRef
    Municipality: URIRef
    Office: URIRef
    Organisation: URIRef
    Outcome: URIRef
    Person: URIRef
    Place: URIRef
    Position: URIRef
    Post: URIRef
    Project: URIRef
    Region: URIRef
    RegionalWorkshop: URIRef
    Report: URIRef
    Roadmap: URIRef
    Role: URIRef
    StateWorkshop: URIRef
    Statement: URIRef
    Strategy: URIRef
    StrategyStarterWorkshop: URIRef
    Talk: URIRef
    Town: URIRef
    University: URIRef
    Vision: URIRef
    WorkingGroup: URIRef
    Workshop: URIRef

    # properties
    administers: URIRef
    affiliation: URIRef
    ags: URIRef
    ars: URIRef
    associationKey: URIRef
    attendanceMode: URIRef
    confidence: URIRef
    contains: URIRef
    coversArea: URIRef
    date: URIRef
    districtKey: URIRef
    endedBy: URIRef
    field: URIRef
    former: URIRef
    gaveTalk: URIRef
    governmentDistrictKey: URIRef
    hasOutcome: URIRef
    hasPart: URIRef
    hasTalk: URIRef
    hasWorkingGroup: URIRef
    heldAsOf: URIRef
    holder: URIRef
    holds: URIRef
    honorific: URIRef
    inAssociation: URIRef
    inDistrict: URIRef
    inGovernmentDistrict: URIRef
    inOrganisation: URIRef
    inState: URIRef
    isTopicOf: URIRef
    locatedIn: URIRef
    location: URIRef
    member: URIRef
    memberOf: URIRef
    object: URIRef
    organised: URIRef
    organiser: URIRef
    outcomeOf: URIRef
    owner: URIRef
    owns: URIRef
    partOfEvent: URIRef
    partOfOrganisation: URIRef
    participant: URIRef
    participatedIn: URIRef
    politicalGeocoding: URIRef
    predicate: URIRef
    presentedIn: URIRef
    presents: URIRef
    producedBy: URIRef
    published: URIRef
    publisher: URIRef
    region: URIRef
    reportedIn: URIRef
    reports: URIRef
    roleName: URIRef
    seat: URIRef
    sentence: URIRef
    sourceUrl: URIRef
    speaker: URIRef
    stateKey: URIRef
    status: URIRef
    title: URIRef
    topic: URIRef
    value: URIRef
    withinArea: URIRef
    workedOnIn: URIRef
    workingGroupOf: URIRef
    worksOn: URIRef
    year: URIRef

    # individuals
    Held: URIRef
    Planned: URIRef

KGT = Namespace("https://w3id.org/kommunalgraph/topic/")
TOPIC_SCHEME = URIRef("https://w3id.org/kommunalgraph/topics")
CANDIDATE_SCHEME = URIRef("https://w3id.org/kommunalgraph/topics/candidates")
ROLE_SCHEME = URIRef("https://w3id.org/kommunalgraph/roles")
ONTOLOGY_IRI = URIRef("https://w3id.org/kommunalgraph/ontology")
# The summary graph (graph/build/summary.py, issue 13): derived like the default graph, never
# asserted. Its name is fixed like the ontology graph's: the named queries (static files) name it.
SUMMARY_GRAPH = "https://w3id.org/kommunalgraph/graph/summary"
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
CV = Namespace("http://data.europa.eu/m8g/")
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")

PREFIXES = {
    "kg": str(KG._NS),
    "kgt": str(KGT),
    "schema": str(SCHEMA),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "oa": "http://www.w3.org/ns/oa#",
    "wd": str(WD),
    "time": str(TIME),
    "cv": str(CV),
}
