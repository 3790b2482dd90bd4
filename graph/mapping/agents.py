"""Agents of a record as RDF: organisations, persons, and the positions, posts and roles that tie them (ORG).

The mapper (graph/mapping/mapper.py) walks the record and calls these functions with the run that
maps it. They use that run only through the `Run` interface below, so this module needs nothing
of the mapper and imports it neither (no cycle).
"""

from __future__ import annotations

from typing import Protocol

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from graph.iri import Minter, slug
from graph.mapping.dates import date_literal
from graph.mapping.places import PlaceMapper
from graph.mapping.provenance import Provenance
from graph.ns import KG, ORG, ROLE_SCHEME, TIME
from graph.records.record import Record

ORGANISATION_CLASSES = {
    "city_administration": KG.CityAdministration, "agency": KG.Agency, "university": KG.University,
    "initiative": KG.Initiative, "office": KG.Office, "ministry": KG.Ministry,
    "organisation": KG.Organisation,
}


class Run(Protocol):
    """What the functions here need of the run mapping one record (the mapper's `_Run`)."""

    minter: Minter
    record: Record
    g: Graph
    lang: str
    report: URIRef
    places: PlaceMapper
    provenance: Provenance
    organisations: dict[str, URIRef]  # by name; events and talks look organisations up here too

    def typed(self, node: URIRef, cls: URIRef, field_name: str) -> URIRef:
        """Type `node` with `cls` and remember the record field it came from."""

    def label(self, node: URIRef, text: str, lang: str | None = None, field_name: str = "") -> None:
        """Label `node` and remember the record field it came from."""

    def person_key(self, spec: dict, path: str) -> str:
        """The key of the person a speaker entry names, the same across reports."""

    def person_name(self, key: str, name: str) -> str:
        """The name the person `key` is labelled with across reports (`name` if there is no other)."""

    def organisation_key(self, name: str) -> str:
        """The key of the organisation a name names, the same across reports and spellings."""

    def moved_organisation(self, name: str) -> str | None:
        """The key the name's IRI had before names were joined (issue 14), if it is another, else None."""


# -- organisations -------------------------------------------------------------------------


def organisation(run: Run, name: str, field_name: str) -> URIRef:
    """The IRI of a named organisation, minting a plain one if the record does not describe it."""
    if name not in run.organisations:
        node = run.minter.thing("organisation", run.organisation_key(name))
        run.organisations[name] = node
        run.typed(node, KG.Organisation, field_name)
        run.label(node, name, field_name=field_name)
        run.g.add((node, KG.reportedIn, run.report))
        old = run.moved_organisation(name)
        if old:
            run.g.add((run.minter.thing("organisation", old), DCTERMS.isReplacedBy, node))
    return run.organisations[name]


def define_organisation(run: Run, spec: dict, path: str) -> None:
    """An organisation the record describes under 'organisations': its kind, seat and parent."""
    node = organisation(run, spec["name"], path)
    run.typed(node, ORGANISATION_CLASSES[spec.get("kind", "organisation")], path)
    run.provenance.add(node, spec.get("evidence"))
    if spec.get("place"):
        place = run.places.place(spec["place"], f"{path}.place")
        run.g.add((node, KG.seat, place))
        if spec.get("kind") == "city_administration" and place in run.places.administrative:
            # CPOV: the public organisation points to its territory with dct:spatial.
            run.g.add((node, KG.administers, place))
    if spec.get("part_of"):
        run.g.add((node, KG.partOfOrganisation, organisation(run, spec["part_of"], f"{path}.part_of")))
    if spec.get("wikidata"):
        run.g.add((node, URIRef("http://www.w3.org/2002/07/owl#sameAs"),
                   URIRef(f"http://www.wikidata.org/entity/{spec['wikidata']}")))


# -- persons -------------------------------------------------------------------------------


def person(run: Run, spec: dict, path: str) -> URIRef:
    """The IRI of a person the record names (a speaker), with their position if it says one."""
    key = run.person_key(spec, path)
    node = run.minter.thing("person", key)
    run.typed(node, KG.Person, path)
    run.provenance.add(node, spec.get("evidence"))
    # One name per person across reports (the shapes); this report's spelling, if another, stays findable.
    name = run.person_name(key, spec["name"])
    run.label(node, name, field_name=f"{path}.name")
    run.g.add((node, FOAF.name, Literal(name)))
    if name != spec["name"]:
        run.g.add((node, SKOS.altLabel, Literal(spec["name"])))
    run.g.add((node, KG.reportedIn, run.report))
    if spec.get("honorific"):
        run.g.add((node, KG.honorific, Literal(spec["honorific"])))
    if spec.get("organisation") or spec.get("role"):
        position(run, node, spec, path)
    return node


def position(run: Run, person: URIRef, spec: dict, path: str) -> None:
    """The person's membership (ORG pattern) with the time this report attests for it.

    One membership per person, organisation and role across reports; each report adds the
    date it was current as of (kg:heldAsOf) or, for "ehem.", a date by which it had ended
    (kg:endedBy). Whether it is current is decided over all reports (graph/build/roles.py).
    """
    organisation_key = run.organisation_key(spec["organisation"]) if spec.get("organisation") else ""
    parts = [run.person_key(spec, path), organisation_key, slug(spec.get("role", ""))]
    key = "-".join(p for p in parts if p)
    node = run.minter.thing("position", key)
    run.typed(node, KG.Position, path)
    run.g.add((node, KG.holder, person))
    run.g.add((person, KG.holds, node))
    organisation_node = role_node = None
    words = []
    if spec.get("role"):
        words.append(("ehem. " if spec.get("former") else "") + spec["role"])
        run.g.add((node, KG.roleName, Literal(spec["role"], lang=run.lang)))
        role_node = role(run, spec["role"], path)
        run.g.add((node, ORG.role, role_node))
    if spec.get("organisation"):
        words.append(spec["organisation"])
        organisation_node = organisation(run, spec["organisation"], f"{path}.organisation")
        run.g.add((node, KG.inOrganisation, organisation_node))
    if role_node is not None and organisation_node is not None:
        post = run.minter.thing("post", f"{organisation_key}-{slug(spec['role'])}")
        run.typed(post, KG.Post, path)
        run.label(post, f"{spec['role']}, {spec['organisation']}", field_name=path)
        run.g.add((post, ORG.postIn, organisation_node))
        run.g.add((post, ORG.role, role_node))
        run.g.add((post, ORG.heldBy, person))
    interval = run.minter.thing("interval", key)
    run.g.add((interval, RDF.type, TIME.Interval))
    run.g.add((node, ORG.memberDuring, interval))
    if spec.get("former"):
        # Ended: the end is an instant, dated (at the latest) by the report when it has a date.
        end = URIRef(f"{interval}-end")
        run.g.add((interval, TIME.hasEnd, end))
        run.g.add((end, RDF.type, TIME.Instant))
    as_of = run.record.report.get("date")
    if as_of:
        run.g.add((interval, KG.endedBy if spec.get("former") else KG.heldAsOf, date_literal(as_of)))
    run.label(node, f"{spec['name']}: {', '.join(words)}", field_name=path)


def role(run: Run, name: str, path: str) -> URIRef:
    """The role (org:Role, a concept of the role list) named `name`."""
    node = run.minter.thing("role", slug(name))
    run.typed(node, KG.Role, path)
    run.g.add((node, RDF.type, SKOS.Concept))
    run.g.add((node, SKOS.prefLabel, Literal(name, lang=run.lang)))
    run.g.add((node, SKOS.inScheme, ROLE_SCHEME))
    run.label(node, name, run.lang, path)
    return node
