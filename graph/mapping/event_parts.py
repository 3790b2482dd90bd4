"""The parts of an event as RDF: its talks, working groups and outcomes.

The mapper (graph/mapping/mapper.py) calls these with the run that maps the record, as it calls
graph/mapping/agents.py for organisations and persons.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from graph.mapping import agents
from graph.ns import KG


class Run(agents.Run):
    """What the functions here need of the run mapping one record (the mapper's `_Run`), beyond agents.Run."""

    def moved(self, kind: str, suffix: str, node: URIRef) -> None:
        """Point the IRI minted from the event's full date (before issue 16) to `node`: a 301."""

    def named(self, name: str, path: str) -> URIRef | None:
        """A strategy or organisation the record names, for talks that present it."""

    def add_topics(self, node: URIRef, topics: list, path: str) -> None:
        """Give `node` the record's topics, each a concept of the scheme or a candidate."""

    def problem(self, german: str, english: str, field_name: str, value=None) -> None:
        """Report a problem of the record's field `field_name`."""

OUTCOME_CLASSES = {
    "Maßnahmenplan": KG.ActionPlan, "Leitsätze": KG.GuidingPrinciples, "Vision": KG.Vision,
    "Fahrplan": KG.Roadmap, "Ziele": KG.Goals, "Ergebnis": KG.Outcome,
}
KEYNOTE_KINDS = {"Impulsvortrag", "keynote", None}


def talk(run: Run, event: URIRef, event_key: str, i: int, spec: dict, path: str) -> None:
    """The talk `spec` (the i-th of its event): speakers, what it presents, topics and a title or a label."""
    node = run.minter.thing("talk", f"{event_key}-{i + 1}")
    run.moved("talk", f"-{i + 1}", node)
    keynote = spec.get("kind") in KEYNOTE_KINDS
    run.typed(node, KG.Keynote if keynote else KG.Talk, path)
    run.provenance.add(node, spec.get("evidence"))
    run.g.add((event, KG.hasTalk, node))
    run.g.add((node, KG.reportedIn, run.report))
    # A talk shares the status of its event: held talks at held events.
    run.g.add((node, KG.status, run.g.value(event, KG.status)))
    speakers = [agents.person(run, s, f"{path}.speakers[{j}]") for j, s in enumerate(spec.get("speakers", []))]
    for speaker in speakers:
        run.g.add((node, KG.speaker, speaker))
    presented = [run.named(name, f"{path}.presents[{j}]") for j, name in enumerate(spec.get("presents", []))]
    for target in filter(None, presented):
        run.g.add((node, KG.presents, target))
    run.add_topics(node, spec.get("topics", []), f"{path}.topics")
    if spec.get("title"):
        run.label(node, spec["title"], run.lang, f"{path}.title")
        run.g.add((node, KG.title, Literal(spec["title"], lang=run.lang)))
        return
    # No title in the report: describe the talk by who gave it or what it presents.
    kind_de, kind_en = ("Impulsvortrag", "Keynote") if keynote else ("Vortrag", "Talk")
    names = [s["name"] for s in spec.get("speakers", [])]
    if names:
        run.label(node, f"{kind_de} von {' und '.join(names)}", "de", path)
        run.label(node, f"{kind_en} by {' and '.join(names)}", "en", path)
    else:
        subject = ", ".join(spec.get("presents", []))
        run.label(node, f"{kind_de} zu {subject}", "de", path)
        run.label(node, f"{kind_en} on {subject}", "en", path)


def working_group(run: Run, event: URIRef, event_key: str, i: int, spec, path: str) -> dict:
    """A working group of the event (a name or {name, topics}); its name and node, for the outcomes to name."""
    spec = {"name": spec} if isinstance(spec, str) else spec
    node = run.minter.thing("working_group", f"{event_key}-{i + 1}")
    run.moved("working_group", f"-{i + 1}", node)
    run.typed(node, KG.WorkingGroup, path)
    run.label(node, spec["name"], run.lang, f"{path}.name")
    run.g.add((event, KG.hasWorkingGroup, node))
    run.add_topics(node, spec.get("topics", []), f"{path}.topics")
    return {spec["name"]: node}


def outcome(run: Run, event: URIRef, event_key: str, i: int, spec, groups: dict, title: str, path: str) -> None:
    """An outcome of the event (a kind or {kind, description, working_group, topics}), produced by a group in `groups`."""
    spec = {"kind": spec} if isinstance(spec, str) else spec
    node = run.minter.thing("outcome", f"{event_key}-{i + 1}")
    run.moved("outcome", f"-{i + 1}", node)
    run.typed(node, OUTCOME_CLASSES[spec["kind"]], path)
    run.label(node, f"{spec['kind']}: {title}", run.lang, path)
    run.g.add((event, KG.hasOutcome, node))
    if spec.get("description"):
        run.g.add((node, DCTERMS.description, Literal(spec["description"], lang=run.lang)))
    if spec.get("working_group"):
        group = groups.get(spec["working_group"])
        if group is None:
            run.problem(f"Arbeitsgruppe {spec['working_group']!r} ist in dieser Veranstaltung nicht beschrieben",
                         f"working group {spec['working_group']!r} is not described in this event",
                         f"{path}.working_group", spec["working_group"])
        else:
            run.g.add((node, KG.producedBy, group))
    run.add_topics(node, spec.get("topics", []), f"{path}.topics")
