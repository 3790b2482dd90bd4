"""Which graphs a SPARQL 1.1 Update may write, read from its syntax before it runs.

The update itself runs on Oxigraph. This module only reads its structure (with rdflib's
parser, never its evaluator) to refuse what writers may not do and to learn which named
graphs to compare before and after: the default graph is derived from the named graphs
(see graph/maintenance.py), LOAD and SERVICE would make the server fetch URLs, and a
graph given by a variable (GRAPH ?g, CLEAR NAMED) means every named graph may change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyparsing import ParseException, ParseResults
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import QuerySyntaxError, ReadOnlyGraph, UpdateError

DERIVED_DEFAULT = ("the default graph is derived from the named graphs and cannot be written; "
                   "write to a named graph (INSERT DATA { GRAPH <...> { ... } }, WITH <...>, or /store?graph=...)")


@dataclass
class Targets:
    """The named graphs an update may change; `every_graph` when that cannot be known in advance."""

    graphs: set[str] = field(default_factory=set)
    every_graph: bool = False
    operations: list[str] = field(default_factory=list)
    # The named graphs its WHERE clauses (and ADD/COPY/MOVE sources) read, and whether they also
    # read the default graph or a graph given by a variable. A remote store's writes need this:
    # the update runs on a copy of the graphs it reads (graph/writes/remote_gate.py).
    reads: set[str] = field(default_factory=set)
    reads_beyond: bool = False


def update_targets(text: str) -> Targets:
    """The graphs `text` writes.

    :raises QuerySyntaxError: if the update does not parse.
    :raises ReadOnlyGraph: if it writes the default graph.
    :raises UpdateError: if it uses LOAD or SERVICE.
    """
    try:
        parsed = parseUpdate(text)
    except ParseException as exc:
        raise QuerySyntaxError(f"error at {exc.lineno}:{exc.col}: {exc.msg}", exc.lineno, exc.col) from None
    targets = Targets()
    prologue = None
    for declarations, operation in zip(parsed.prologue or [], parsed.request or []):
        try:
            prologue = translatePrologue(declarations, None, None, prologue)
        except Exception as exc:  # rdflib raises bare Exception for an unknown prefix
            raise QuerySyntaxError(str(exc)) from None
        targets.operations.append(operation.name)
        _collect(operation, lambda term: _iri(term, prologue), targets)
    return targets


def _iri(term, prologue) -> str | None:
    """An IRI from a parse-tree term, or None for a variable."""
    try:
        resolved = translatePName(term, prologue) if isinstance(term, CompValue) else term
        if isinstance(resolved, URIRef):
            resolved = prologue.absolutize(resolved)
    except Exception as exc:  # unknown prefix
        raise QuerySyntaxError(str(exc)) from None
    return str(resolved) if isinstance(resolved, URIRef) else None


def _collect(operation: CompValue, iri, targets: Targets) -> None:
    name = operation.name
    if name == "Load":
        raise UpdateError("LOAD is not allowed: the server does not fetch URLs; "
                          "send the data with PUT or POST to /store?graph=...")
    if _uses_service(_field(operation, "where")):
        raise UpdateError("SERVICE is not allowed in an update: a write reads only this store")
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        _template(operation.quads, None, iri, targets)
        if name == "DeleteWhere":  # its template is its pattern
            targets.reads.update(targets.graphs)
    elif name == "Modify":
        with_graph = iri(operation.withClause) if _field(operation, "withClause") is not None else None
        for clause in (_field(operation, "delete"), _field(operation, "insert")):
            if clause is not None:
                _template(clause.quads, with_graph, iri, targets)
        using = [iri(clause.default) for clause in _field(operation, "using") or [] if "default" in clause]
        named = [iri(clause.named) for clause in _field(operation, "using") or [] if "named" in clause]
        targets.reads.update(g for g in using + named if g)
        defaults = using or ([with_graph] if with_graph else [])
        _reads(_field(operation, "where"), defaults, iri, targets)
    elif name in ("Clear", "Drop", "Create"):
        _graph_ref(operation.graphiri, iri, targets)
    elif name in ("Add", "Move", "Copy"):
        source, target = operation.graph
        _graph_ref(target, iri, targets)
        if source in ("DEFAULT", "ALL", "NAMED") or iri(source) is None:
            targets.reads_beyond = True
        else:
            targets.reads.add(iri(source))
        if name == "Move":
            _graph_ref(source, iri, targets)
    else:  # pragma: no cover - the grammar has no other operations
        raise UpdateError(f"unsupported update operation {name}")


def _template(quads, with_graph: str | None, iri, targets: Targets) -> None:
    """Graphs of a quad template: GRAPH blocks, and plain triples in WITH's graph or the default graph."""
    if quads is None:
        return
    if _field(quads, "triples"):
        if with_graph is None:
            raise ReadOnlyGraph(DERIVED_DEFAULT)
        targets.graphs.add(with_graph)
    for block in _field(quads, "quadsNotTriples") or []:
        graph = iri(block.term)
        if graph is None:
            targets.every_graph = True
        else:
            targets.graphs.add(graph)


def _reads(pattern, defaults: list[str], iri, targets: Targets) -> None:
    """Collect the graphs a WHERE pattern reads: GRAPH blocks, and triples outside them in `defaults`."""
    if isinstance(pattern, CompValue):
        if pattern.name == "GraphGraphPattern":
            graph = iri(pattern.term)
            if graph is None:
                targets.reads_beyond = True
            else:
                targets.reads.add(graph)
            # Its triples are in that graph; GRAPH blocks nested in it (in EXISTS) read their own.
            _reads(pattern.graph, [graph] if graph else [], iri, targets)
            return
        if pattern.name == "TriplesBlock":
            if defaults:
                targets.reads.update(defaults)
            else:
                targets.reads_beyond = True
            return
        for value in pattern.values():
            _reads(value, defaults, iri, targets)
    elif isinstance(pattern, (list, tuple, ParseResults)):
        for value in pattern:
            _reads(value, defaults, iri, targets)


def _graph_ref(ref, iri, targets: Targets) -> None:
    if ref in ("DEFAULT", "ALL"):
        raise ReadOnlyGraph(DERIVED_DEFAULT)
    if ref == "NAMED":
        targets.every_graph = True
        return
    targets.graphs.add(iri(ref))


def _field(node: CompValue, name: str):
    """A parse-tree field or None (CompValue.get returns the key itself when it is missing)."""
    return node[name] if name in node else None


def _uses_service(node) -> bool:
    """Whether a parse tree contains a SERVICE pattern."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(value) for value in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_uses_service(value) for value in node)
    return False
