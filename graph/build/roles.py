"""What follows from time across reports: current memberships, "former", affiliation (issue 16).

Each report attests a membership as current on its date (kg:heldAsOf) or as ended by it
(kg:endedBy). Over all reports, a membership is former when some report attests its end after
(or on) the last date a report attests it current; only current memberships give the person an
affiliation (kg:affiliation). This is not monotonic — a later report can end a membership — so
it is computed over the whole default graph when a version is built, not by the OWL rules.
"""

from __future__ import annotations

import pyoxigraph as ox

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

FORMER = _PREFIXES + "CONSTRUCT { ?m kg:former true } WHERE { ?m a kg:Position ." + _ENDED + " }"
AFFILIATION = _PREFIXES + """CONSTRUCT { ?p kg:affiliation ?o } WHERE {
  ?m kg:holder ?p ; kg:inOrganisation ?o .
  FILTER NOT EXISTS {""" + _ENDED.replace("?m ", "?m ", 1) + """ }
}"""


def derive_roles(store: ox.Store) -> bytes:
    """N-Triples of kg:former and kg:affiliation that follow from the default graph's memberships."""
    out = b""
    for query in (FORMER, AFFILIATION):
        out += store.query(query).serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    return out
