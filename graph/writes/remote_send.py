"""One validated write sent to a remote store as one request, and checked when the store fails it.

What Virtuoso 7.2 (Debian's virtuoso-opensource, 07.20.3229) does with a SPARQL Update request,
measured on a throwaway server (tests/virtuoso.py) in December 2026:

- one statement is applied whole or not at all: `DELETE { … } INSERT { … } WHERE { }` and INSERT
  DATA that went over TransactionAfterImageLimit (SR325) left nothing of themselves;
- the statements of a request share one transaction. A transaction abort (SR325) in a later
  statement undoes the earlier ones too; a statement that cannot be compiled fails the request
  before anything runs. But a statement that fails with an ordinary error (DROP GRAPH of a graph
  it does not know) stops the request with HTTP 500 while the statements before it stay applied:
  a request of several statements is not all or nothing;
- a DELETE template (DELETE DATA, or DELETE { … } WHERE { }) with more than one GRAPH block, or
  next to an INSERT template for another graph, silently keeps triples whose object is a
  language-tagged literal (openlink/virtuoso-opensource#1055, #335): in small tests those with
  non-ASCII characters ("für"@de), and in the old gate's single DELETE DATA over all graphs also
  "Werkstatt 0"@de, 4 triples per removed workshop (bench/RESULTS.md, 1 M);
- a statement of ground triples compiles to some 9 lines of SQL per triple, and Virtuoso refuses
  more than 10,000 lines (SP031: about 1,100 triples); its parser runs out of stack on a few
  thousand triples in one block (SP030).

So the change cannot be one statement, and goes as one request of several: DELETE DATA with one
GRAPH block each, then INSERT DATA, each of at most STATEMENT_QUADS quads. Ground statements
like these have no ordinary error to fail on; what can fail them (a transaction abort, a compile
error) undoes the whole request. As that is the store's behaviour and not a promise, `send` asks
the store, whenever the request fails, which of the quads are as the write wanted them, and says
so in the error: none (nothing was written), all (the store applied it after all: the write
stands) or some (the store holds part of the write and needs repair; the error says how much).
"""

from __future__ import annotations

import logging

import pyoxigraph as ox

from graph.errors import (EvaluationError, QuerySyntaxError, QueryTimeout, RemoteWriteFailed, StoreError,
                          UnsupportedQuery, UpdateError)
from graph.store.remote import skolem

log = logging.getLogger("kommunalgraph.writes")
# Quads per statement: below Virtuoso's limit of 10,000 lines of SQL (about 1,100 triples, see above).
STATEMENT_QUADS = 1000
# Patterns per UNION when the quads are looked up after a failure (see RemoteView.held_elsewhere).
CHECK_BATCH = 25


def send(engine, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
    """Remove `removed` and add `added` in one request to the store.

    :raises UpdateError: if a quad to remove has a blank node (no request can name it).
    :raises RemoteWriteFailed: if the store fails the request and does not hold the whole change.
    """
    text = change_request(removed, added)
    try:
        engine.update(text)
    except (EvaluationError, StoreError, QueryTimeout, UnsupportedQuery, QuerySyntaxError) as exc:
        failure = str(exc)
        if isinstance(exc, QueryTimeout):
            failure += "; it may still be applying it"
    else:
        return
    try:
        wanted = as_wanted(engine, removed, added)
    except (EvaluationError, StoreError, QueryTimeout) as exc:
        raise RemoteWriteFailed(f"the remote store failed the write ({failure}), and whether any of it was applied "
                                f"could not be checked ({exc}): compare the store with the write log") from None
    total = len(removed) + len(added)
    if wanted == total:
        log.warning("the remote store failed the write (%s) but holds all of it: the write stands", failure)
        return
    if wanted == 0:
        raise RemoteWriteFailed(f"the remote store failed the write ({failure}); nothing of it was written")
    raise RemoteWriteFailed(f"the remote store failed the write ({failure}) and holds part of it: {wanted} of its "
                            f"{total} quad changes are in the store; repair it (push the store again, or repeat "
                            f"the write) before further writes")


def change_request(removed: list[ox.Quad], added: list[ox.Quad]) -> str:
    """The SPARQL Update that makes the change, as several statements (see above for why).

    :raises UpdateError: if a quad to remove has a blank node.
    """
    if any(isinstance(x, ox.BlankNode) for q in removed for x in (q.subject, q.object)):
        raise UpdateError("a remote store cannot delete triples with blank nodes (DELETE DATA cannot name them); "
                          "use IRIs for the nodes you may later remove")
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in removed:
        by_graph.setdefault(str(quad.graph_name), []).append(quad)
    statements = [f"DELETE DATA {{ {_block(quads[i:i + STATEMENT_QUADS])} }}"
                  for _, quads in sorted(by_graph.items()) for i in range(0, len(quads), STATEMENT_QUADS)]
    statements += [f"INSERT DATA {{ {_block(added[i:i + STATEMENT_QUADS])} }}"
                   for i in range(0, len(added), STATEMENT_QUADS)]
    return " ;\n".join(statements)


def as_wanted(engine, removed: list[ox.Quad], added: list[ox.Quad]) -> int:
    """How many of the quads the store holds as the write wants them: `added` there, `removed` gone."""
    present = _present(engine, [*removed, *added])
    return sum(1 for q in removed if q not in present) + sum(1 for q in added if q in present)


def _present(engine, quads: list[ox.Quad]) -> set[ox.Quad]:
    """Those of `quads` the store holds, CHECK_BATCH patterns per query."""
    found = set()
    for start in range(0, len(quads), CHECK_BATCH):
        batch = quads[start:start + CHECK_BATCH]
        union = " UNION ".join(f"{{ {_block([q])} BIND({i} AS ?i) }}" for i, q in enumerate(batch))
        found.update(batch[int(r["i"].value)] for r in engine.solutions(f"SELECT DISTINCT ?i WHERE {{ {union} }}"))
    return found


def _block(quads: list[ox.Quad]) -> str:
    """Quads in SPARQL syntax, one GRAPH block per named graph, blank nodes as their skolem IRIs."""
    by_graph: dict[str | None, list[str]] = {}
    for q in quads:
        graph = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        by_graph.setdefault(graph, []).append(f"{skolem(q.subject)} {q.predicate} {skolem(q.object)} .")
    return " ".join(" ".join(lines) if graph is None else f"GRAPH <{graph}> {{ {' '.join(lines)} }}"
                    for graph, lines in sorted(by_graph.items(), key=lambda item: item[0] or ""))
