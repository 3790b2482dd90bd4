"""Evidence of records as RDF: W3C Web Annotation statements with PROV-O links to the report.

Each evidence entry {field, value, start, end, sentence?, confidence?} of a resource becomes

    <{base}id/statement/<report>-<n>> a kg:Statement (⊑ oa:Annotation, prov:Entity) ;
        oa:hasBody <resource> ; kg:field "…" ; kg:value "…" ; kg:confidence 0.9 ;
        kg:sentence "…"@de ; prov:wasDerivedFrom <report> ;
        oa:hasTarget <…-target> .
    <…-target> a oa:SpecificResource ; oa:hasSource <report> ;
        oa:hasSelector <…-position>, <…-quote> .
    <…-position> a oa:TextPositionSelector ; oa:start 123 ; oa:end 140 .
    <…-quote> a oa:TextQuoteSelector ; oa:exact "…" ; oa:prefix "…" ; oa:suffix "…" .

Offsets are character offsets into the report text (report.text, relative to the record file).
When a sentence is not written in the record it is read from that text; if the text is not
there, the statement keeps its offsets and the build warns.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from graph.errors import Problem, ReportParseError
from graph.iri import Minter
from graph.ns import KG, OA
from graph.records.record import Record
from graph.text.documents import load_document

PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


class ReportText:
    """The clean text of a report file and its sentences, to quote evidence from."""

    def __init__(self, path: Path):
        self.doc = load_document(path)
        self._sentences: dict[int, list] = {}

    def quote(self, start: int, end: int) -> tuple[str, str, str] | None:
        """(prefix, exact, suffix) of the sentence that holds source[start:end], or None."""
        span = self.doc.clean_span(start, end)
        if span is None:
            return None
        block = next((b for b in self.doc.blocks if b.start <= span[0] < b.end + 1), None)
        if block is None:
            return None
        if block.start not in self._sentences:
            # Imported when first needed: SoMaJo loads its models on import.
            from graph.text.sentences import split

            self._sentences[block.start] = split(self.doc, [block], tag=False)
        for sentence in self._sentences[block.start]:
            if sentence.start <= span[0] < sentence.end:
                stop = min(span[1], sentence.end)
                return (self.doc.clean[sentence.start:span[0]], self.doc.clean[span[0]:stop],
                        self.doc.clean[stop:sentence.end])
        return None


# The RDF property each record field's evidence supports, per class of the resource it is about
# (falls back to the field alone); the object is read from the graph once the record is mapped.
FIELD_PREDICATES = {
    "municipality": KG.location, "date": KG.date, "status": KG.status, "title": KG.title, "topics": KG.topic,
    "organisers": KG.organiser, "format": KG.attendanceMode, "participants": KG.participant,
    "name": RDFS.label, "honorific": KG.honorific, "organisation": KG.holds, "role": KG.holds,
    "state": KG.inState, "place": KG.seat, "owner": KG.owner, "speakers": KG.speaker, "publisher": KG.publisher,
}


class Provenance:
    """Writes the statements of one record into its report graph."""

    def __init__(self, minter: Minter, record: Record, graph: Graph, report: URIRef, problems: list[Problem]):
        self.minter, self.record, self.g, self.report = minter, record, graph, report
        self.problems, self.count, self.lang = problems, 0, record.report.get("language", "de")
        self._text: ReportText | None | bool = None
        self._pending: list[tuple[URIRef, URIRef, str, object]] = []

    def text(self) -> ReportText | None:
        """The report text named by report.text, or None (with one warning) when it cannot be read."""
        if self._text is None:
            self._text = False
            name = self.record.report.get("text")
            if name:
                path = (self.record.path.parent / name).resolve()
                try:
                    self._text = ReportText(path)
                except ReportParseError as exc:
                    self.problems.append(Problem(
                        f"Berichtstext nicht lesbar, Belege ohne Satz: {exc}",
                        f"report text not readable, evidence without sentences: {exc}",
                        file=str(self.record.path), field="report.text", value=name, severity="warning"))
        return self._text or None

    def add(self, node: URIRef, evidence: list[dict] | None) -> None:
        """One statement per evidence entry about `node`."""
        for entry in evidence or []:
            self.count += 1
            statement = self.minter.thing("statement", f"{self.record.key}-{self.count}")
            target, position = URIRef(f"{statement}-target"), URIRef(f"{statement}-position")
            g = self.g
            g.add((statement, RDF.type, KG.Statement))
            g.add((statement, OA.hasBody, node))
            g.add((statement, KG.field, Literal(entry["field"])))
            value = entry.get("value")
            label = f"{entry['field']}: {value}" if value is not None else entry["field"]
            g.add((statement, RDFS.label, Literal(label)))
            if value is not None:
                g.add((statement, KG.value, Literal(str(value))))
            self._pending.append((statement, node, entry["field"], value))
            if entry.get("confidence") is not None:
                g.add((statement, KG.confidence, Literal(Decimal(str(entry["confidence"])), datatype=XSD.decimal)))
            g.add((statement, PROV_DERIVED, self.report))
            g.add((statement, OA.hasTarget, target))
            g.add((target, RDF.type, OA.SpecificResource))
            g.add((target, OA.hasSource, self.report))
            g.add((target, OA.hasSelector, position))
            g.add((position, RDF.type, OA.TextPositionSelector))
            # xsd:integer, not the Web Annotation model's xsd:nonNegativeInteger: Oxigraph stores every
            # integer type as xsd:integer, so the other type would hold only until the first store, and
            # a gated write or a dump of the store would break the shapes (≥ 0 is checked there).
            g.add((position, OA.start, Literal(entry["start"], datatype=XSD.integer)))
            g.add((position, OA.end, Literal(entry["end"], datatype=XSD.integer)))
            self._sentence(statement, target, entry)

    def _sentence(self, statement: URIRef, target: URIRef, entry: dict) -> None:
        sentence = entry.get("sentence")
        text = None if sentence else self.text()
        quote = text.quote(entry["start"], entry["end"]) if text else None
        if quote:
            sentence = "".join(quote)
            selector = URIRef(f"{statement}-quote")
            self.g.add((target, OA.hasSelector, selector))
            self.g.add((selector, RDF.type, OA.TextQuoteSelector))
            for predicate, part in zip((OA.prefix, OA.exact, OA.suffix), quote):
                self.g.add((selector, predicate, Literal(part)))
        if sentence:
            self.g.add((statement, KG.sentence, Literal(sentence, lang=self.lang)))

    def finish(self) -> None:
        """Name, on each statement, the RDF property and object of the fact it supports.

        Called once the whole record is mapped, when the facts are in the graph. The object is
        the value whose text matches the evidence value where several exist; a place's state
        is read through the place.
        """
        for statement, node, field_name, value in self._pending:
            predicate = FIELD_PREDICATES.get(field_name.split(".")[-1].split("[")[0])
            if predicate is None:
                continue
            subject = node
            if predicate == KG.inState and (node, KG.location, None) in self.g:
                subject = self.g.value(node, KG.location)
            objects = list(self.g.objects(subject, predicate))
            if not objects:
                continue
            self.g.add((statement, KG.predicate, predicate))
            chosen = _matching(self.g, objects, value)
            if chosen is not None and not isinstance(chosen, Literal):
                self.g.add((statement, KG.object, chosen))


def _matching(graph: Graph, objects: list, value) -> object | None:
    """The one object, or the one whose text or label equals `value`."""
    if len(objects) == 1:
        return objects[0]
    text = str(value).casefold() if value is not None else None
    for candidate in objects:
        names = {str(candidate).casefold()} | {str(label).casefold() for label in graph.objects(candidate, RDFS.label)}
        if text in names:
            return candidate
    return None
