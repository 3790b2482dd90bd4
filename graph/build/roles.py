"""What follows from time across reports: current memberships, "former", affiliation (issue 16).

Each report attests a membership as current on its date (kg:heldAsOf) or as ended by it
(kg:endedBy). Over all reports, a membership is former when some report attests its end after
(or on) the last date a report attests it current; only current memberships give the person an
affiliation (kg:affiliation). This is not monotonic — a later report can end a membership — so
it is not one of the OWL rules. It is one layer above them: it reads what the rules derive
(a kg:holds gives a kg:holder) and its conclusions feed the rules (kg:affiliation gives
schema:affiliation) but never its own inputs. The build derives it over the whole default graph
(`add_roles`); a write re-derives it for the memberships and persons it touched (`derive_roles`
with a scope, graph/writes/derived.py), so both give the same default graph.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from graph.checks.reasoning import Rules, closure, materialise, to_ntriples

_PREFIXES = """PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
"""

# Dates are compared as text at the precision both have (gYear, gYearMonth, date).
# Ended: a report dates the end and no report has it current later; or an undated "ehem."
# (time:hasEnd without dates) and no report dates it at all.
_ENDED = """
  ?m org:memberDuring ?i .
  { ?i kg:endedBy ?end .
    FILTER NOT EXISTS {
      ?i kg:heldAsOf ?held .
      BIND (IF(STRLEN(STR(?held)) < STRLEN(STR(?end)), STRLEN(STR(?held)), STRLEN(STR(?end))) AS ?n)
      FILTER (SUBSTR(STR(?held), 1, ?n) > SUBSTR(STR(?end), 1, ?n))
    } }
  UNION
  { ?i time:hasEnd ?x FILTER NOT EXISTS { ?i kg:endedBy|kg:heldAsOf ?any } }"""

# {scope} is empty for the whole graph, or a pattern limiting ?m (memberships) or ?p (persons).
FORMER = _PREFIXES + "CONSTRUCT { ?m kg:former true } WHERE { {scope} ?m a kg:Position ." + _ENDED + " }"
AFFILIATION = _PREFIXES + """CONSTRUCT { ?p kg:affiliation ?o } WHERE { {scope}
  ?m kg:holder ?p ; kg:inOrganisation ?o .
  FILTER NOT EXISTS {""" + _ENDED + """ }
}"""

# Which nodes a change reaches whose roles may change: the changed nodes themselves, the
# memberships whose interval changed, and the holders of all these memberships.
MEMBER_DURING = ox.NamedNode("http://www.w3.org/ns/org#memberDuring")
HOLDER = ox.NamedNode("https://w3id.org/kommunalgraph/ontology#holder")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
AFFECTED = "urn:kommunalgraph:scratch:Affected"


def derive_roles(store: ox.Store, scope: ox.NamedNode | None = None) -> bytes:
    """N-Triples of kg:former and kg:affiliation that follow from the default graph's memberships.

    With `scope`, the name of a graph listing nodes (`scope_nodes`), only the conclusions about
    those nodes: kg:former of listed memberships, kg:affiliation of listed persons.
    """
    out = b""
    for query, variable in ((FORMER, "?m"), (AFFILIATION, "?p")):
        limit = f"GRAPH <{scope.value}> {{ {variable} a <{AFFECTED}> }}" if scope is not None else ""
        out += store.query(query.replace("{scope}", limit)).serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    return out


def scope_nodes(store: ox.Store, triples: list[ox.Triple], scope: ox.NamedNode) -> None:
    """List in the graph `scope` every node whose roles `triples` (added or removed) may change.

    Read before the change, so the holders a change removes are found too; holders it adds
    appear in the changed triples themselves (or by kg:holds, whose subject is the holder).
    """
    default = ox.DefaultGraph()
    nodes = {t.subject for t in triples} | {t.object for t in triples if not isinstance(t.object, ox.Literal)}
    memberships = set(nodes)
    for node in nodes:
        memberships.update(q.subject for q in store.quads_for_pattern(None, MEMBER_DURING, node, default))
    persons = set()
    for membership in memberships:
        persons.update(q.object for q in store.quads_for_pattern(membership, HOLDER, None, default))
    marker = ox.NamedNode(AFFECTED)
    store.extend(ox.Quad(node, TYPE, marker, scope) for node in memberships | persons)


def add_roles(store: ox.Store, rules: Rules) -> None:
    """Add the roles of the whole default graph and what the rules derive from them.

    Run after the rules are materialised (roles read what the rules derive). Hierarchy and
    inverses need one triple, so the closure of the roles alone completes the graph unless a
    chain or transitive property joins on them; then the rules run again over the store.
    """
    roles = derive_roles(store)
    if not roles:
        return
    graph = Graph().parse(data=roles, format="nt")
    added = closure(graph, rules)
    store.load(roles + to_ntriples(added), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    joined = set(rules.transitive) | {p for chain in rules.chains for p in chain[1:]}
    predicates = {str(t[1]) for t in graph} | {str(t[1]) for t in added}
    if joined & predicates:
        materialise(store, rules, max_rounds=50)
