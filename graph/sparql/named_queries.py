"""Named queries (queries/*.rq): header parsing, parameter binding through the engine."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from graph.sparql.paging import RESERVED
from graph.sparql.binding import insert_into_where, write_terms
from graph.store.engine import QueryRequest
from graph.errors import ParameterError, QuerySyntaxError, UnknownQuery
from graph.ns import PREFIXES
from graph.store.interface import Execute
from graph.sparql import results

PARAMETER_TYPES = ("iri", "string", "integer", "date", "boolean")
XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")



@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query, as declared in its header."""

    name: str
    type: str
    description: str = ""
    cls: str | None = None
    required: bool = False
    default: str | None = None
    example: str | None = None
    # A graph pattern the query gets when the parameter is given, with the value written in, so
    # the engine looks the value up by index instead of filtering every row. It must follow from
    # the query's own filter on the parameter and match at most once per row, or it changes answers.
    pattern: str | None = None


@dataclass
class NamedQuery:
    """A query file: its name (the file stem), header and SPARQL text."""

    name: str
    title: str
    description: str
    text: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    columns: dict[str, dict] = field(default_factory=dict)
    form: str = "select"
    # German title and description for German pages (header keys title_de, description_de).
    title_de: str | None = None
    description_de: str | None = None
    # Page numbers derived into the summary (header key pages: the pattern that finds a page's rows by
    # ?page, and the parameters that choose the list paged through; graph/build/pages.py).
    pages: dict | None = None

    def text_in(self, lang: str) -> tuple[str, str, str]:
        """(title, description, their language) for a page in `lang`: German where the header has it."""
        if lang == "de" and self.title_de:
            return self.title_de, self.description_de or self.description, "de" if self.description_de else "en"
        return self.title, self.description, "en"


def parse_named_query(path: Path) -> NamedQuery:
    """Read one .rq file; its leading '#' comment block is YAML with title, description,
    parameters and columns.

    :raises QuerySyntaxError: if the header or the query is malformed, or the declared
        columns differ from the query's projection.
    """
    name = path.stem
    if not _NAME.match(name):
        raise QuerySyntaxError(f"{path.name}: a query name is lower-case letters, digits, '-' and '_'")
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header_lines.append(line[2:] if line.startswith("# ") else line[1:])
    try:
        header = YAML(typ="safe").load("\n".join(header_lines)) or {}
    except YAMLError as exc:
        raise QuerySyntaxError(f"{path.name}: header is not valid YAML: {exc}") from None
    if not isinstance(header, dict) or "title" not in header:
        raise QuerySyntaxError(f"{path.name}: the header needs at least 'title'")
    parameters = {}
    for pname, spec in (header.get("parameters") or {}).items():
        spec = spec or {}
        if pname in RESERVED:
            raise QuerySyntaxError(f"{path.name}: {pname!r} is not a parameter name: every named query takes it "
                                   f"for paging (graph/sparql/paging.py)")
        if spec.get("type", "string") not in PARAMETER_TYPES:
            raise QuerySyntaxError(f"{path.name}: parameter {pname!r} has unknown type {spec.get('type')!r}")
        parameters[pname] = Parameter(pname, spec.get("type", "string"), str(spec.get("description", "")).strip(),
                                      _expand(spec["class"]) if spec.get("class") else None,
                                      bool(spec.get("required", False)),
                                      None if spec.get("default") is None else str(spec["default"]),
                                      None if spec.get("example") is None else str(spec["example"]),
                                      None if spec.get("pattern") is None else str(spec["pattern"]))
    query = NamedQuery(name, str(header["title"]), str(header.get("description", "")).strip(), text,
                       parameters, dict(header.get("columns") or {}),
                       title_de=str(header["title_de"]) if header.get("title_de") else None,
                       description_de=str(header["description_de"]).strip() if header.get("description_de") else None,
                       pages=_pages(path.name, header.get("pages"), parameters))
    _check_against_engine(path.name, query)
    return query


def _pages(file_name: str, spec, parameters: dict[str, Parameter]) -> dict | None:
    """The header's `pages`: {pattern: '… ?page …', by: [parameter, …]}."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or "?page" not in str(spec.get("pattern", "")) \
            or not set(spec.get("by") or []) <= set(parameters):
        raise QuerySyntaxError(f"{file_name}: 'pages' needs a pattern with ?page and 'by' naming its parameters")
    return {"pattern": str(spec["pattern"]), "by": list(spec.get("by") or []),
            "within": [str(text) for text in spec.get("within") or []]}


def _check_against_engine(file_name: str, query: NamedQuery) -> None:
    """Parse the query with Oxigraph on an empty store and compare its projection to the header."""
    try:
        result = ox.Store().query(query.text)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"{file_name}: {exc}") from None
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        if query.columns and variables != list(query.columns):
            raise QuerySyntaxError(f"{file_name}: header columns {list(query.columns)} differ from the "
                                   f"projection {variables}")
        missing = [p for p in query.parameters if p not in variables]
        if missing:
            # Oxigraph binds parameters through substitutions, which need projected variables.
            raise QuerySyntaxError(f"{file_name}: parameters {missing} must be projected variables")
    else:
        query.form = "ask" if isinstance(result, ox.QueryBoolean) else "construct"
    missing = [w for w in (query.pages or {}).get("within", []) if w not in query.text[_body_start(query.text):]]
    if missing:
        raise QuerySyntaxError(f"{file_name}: pages.within {missing[0]!r} is not in the query")
    if any(p.pattern for p in query.parameters.values()) or query.pages:
        placeholders = tuple((name, _PLACEHOLDERS[p.type]) for name, p in query.parameters.items())
        try:
            ox.Store().query(query_text(query, placeholders, f"{query.name} all 1" if query.pages else None))
        except (SyntaxError, ValueError) as exc:
            raise QuerySyntaxError(f"{file_name}: with the parameters' patterns the query does not parse: {exc}") from None


# Values of each parameter type, to check that a query still parses with its patterns in.
_PLACEHOLDERS = {"iri": ("iri", "urn:x-kommunalgraph:check"), "string": ("literal", "x", None, None),
                 "integer": ("literal", "0", XSD + "integer", None), "date": ("literal", "2000-01-01", XSD + "date", None),
                 "boolean": ("literal", "true", XSD + "boolean", None)}


def query_text(query: NamedQuery, substitutions: tuple, page: str | None = None) -> str:
    """The text to run for `query` with these bound parameters: the patterns of those given put in, and
    the pattern of the summary page `page` (a page_key) when given."""
    given = dict(substitutions)
    fragments = [write_terms(p.pattern, ((name, given[name]),)) for name, p in query.parameters.items()
                 if p.pattern and name in given]
    if page is not None and query.pages is not None:
        # First: Oxigraph joins the patterns of a group in their order when they are alike, and the page's
        # hundred members are fewer than a state's thousands (118 against 20 ms at 10 M).
        pattern = write_terms(query.pages["pattern"], (("page", ("literal", page, None, None)),))
        fragments.insert(0, pattern)
        text = query.text
        # Again before each `within` text: Oxigraph evaluates an OPTIONAL's group on its own before it joins,
        # so the page's members must be named there too (speakers: 46 instead of 630 ms at 10 M).
        body = _body_start(text)
        for within in query.pages["within"]:
            at = text.index(within, body)
            text = f"{text[:at]}{pattern} {text[at:]}"
        return insert_into_where(text, " ".join(fragments))
    return insert_into_where(query.text, " ".join(fragments)) if fragments else query.text


def _body_start(text: str) -> int:
    """Where the query starts after its '#' header (which may quote the query's own text)."""
    match = re.search(r"^(?!#)", text, re.M)
    return match.start() if match else len(text)


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """All named queries of `directory` by name.

    :raises QuerySyntaxError: if any of them is malformed (so a broken query never hides).
    """
    return {q.name: q for q in (parse_named_query(p) for p in sorted(directory.glob("*.rq")))}


def get(queries: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    """The named query `name`.

    :raises UnknownQuery: if there is none.
    """
    try:
        return queries[name]
    except KeyError:
        known = ", ".join(sorted(queries)) or "none"
        raise UnknownQuery(f"no named query {name!r}; known: {known}") from None


def bind(query: NamedQuery, arguments: Mapping[str, str], execute: Execute) -> tuple:
    """Substitutions for `arguments`, checked against the header; labels of IRI parameters
    are looked up through `execute` (the same engine that runs the query).

    :raises ParameterError: for an unknown, missing or malformed parameter.
    """
    unknown = sorted(set(arguments) - set(query.parameters))
    if unknown:
        allowed = ", ".join(query.parameters) or "none"
        raise ParameterError(f"unknown parameter {unknown[0]!r} for query {query.name!r}; allowed: {allowed}",
                             unknown[0])
    substitutions = []
    for name, parameter in query.parameters.items():
        value = arguments.get(name, parameter.default)
        if value is None or value == "":
            if parameter.required:
                raise ParameterError(f"parameter {name!r} is required", name)
            continue
        substitutions.append((name, _term(parameter, value, execute)))
    return tuple(substitutions)


def _term(parameter: Parameter, value: str, execute: Execute) -> tuple:
    name = parameter.name
    if parameter.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", value.strip()):
            raise ParameterError(f"parameter {name!r} must be an integer, not {value!r}", name)
        return ("literal", str(int(value)), XSD + "integer", None)
    if parameter.type == "boolean":
        if value.lower() not in ("true", "false", "1", "0"):
            raise ParameterError(f"parameter {name!r} must be true or false, not {value!r}", name)
        return ("literal", "true" if value.lower() in ("true", "1") else "false", XSD + "boolean", None)
    if parameter.type == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ParameterError(f"parameter {name!r} must be a date YYYY-MM-DD, not {value!r}", name)
        return ("literal", value, XSD + "date", None)
    if parameter.type == "string":
        return ("literal", value, None, None)
    return ("iri", _resolve_iri(parameter, value, execute))


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie


_KEYS = "rdfs:label|skos:prefLabel|skos:altLabel|skos:notation|kg:stateKey|kg:ags|kg:districtKey"
_PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg: <https://w3id.org/kommunalgraph/ontology#>
"""
# A value as written is looked up by the index on the object: the key itself, or it as a German or English
# label (0.15 ms at 1 M, against 0.7-1.9 ms for comparing every label of the class; on Virtuoso that
# comparison took 0.6-0.8 s cold, bench/RESULTS.md). The terms are written into the text (write_terms): bound
# by substitution, or with the predicates as a path, Oxigraph did not look the object up (1-7 ms).
_EXACT_LOOKUP = _PREFIXES + """SELECT DISTINCT ?resource WHERE {
  VALUES ?value { ?key ?keyDe ?keyEn }
  VALUES ?keyProperty { rdfs:label skos:prefLabel skos:altLabel skos:notation kg:stateKey kg:ags kg:districtKey }
  ?resource ?keyProperty ?value .
  ?resource a ?class .
} LIMIT 6
"""
# Only when nothing is written so: compare without case ("bayern", "LORAWAN").
_LOOKUP = _PREFIXES + f"""SELECT DISTINCT ?resource ?key ?class WHERE {{
  ?resource a ?class .
  ?resource {_KEYS} ?value .
  FILTER (LCASE(STR(?value)) = LCASE(?key))
}} LIMIT 6
"""


def _resolve_iri(parameter: Parameter, value: str, execute: Execute) -> str:
    """An IRI parameter may be an IRI, a CURIE, or a label/key of a resource of its class."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        return value
    expanded = _expand(value)
    if expanded != value:
        return expanded
    if parameter.cls is None:
        raise ParameterError(f"parameter {parameter.name!r} must be an IRI, not {value!r}", parameter.name)
    key = (("key", ("literal", value, None, None)), ("class", ("iri", parameter.cls)))
    as_labels = (("keyDe", ("literal", value, None, "de")), ("keyEn", ("literal", value, None, "en")))
    found = []
    # Only the exact lookup uses an index; the comparison without case reads every label of the class.
    for request in (QueryRequest(write_terms(_EXACT_LOOKUP, key + as_labels), index_lookup=True),
                    QueryRequest(_LOOKUP, substitutions=key)):
        rows = results.bindings(execute(request).body)
        found = sorted({row["resource"]["value"] for row in rows})
        if found:
            break
    if not found:
        raise ParameterError(f"no {parameter.cls.rsplit('#', 1)[-1]} named {value!r} for parameter "
                             f"{parameter.name!r}", parameter.name)
    if len(found) > 1:
        raise ParameterError(f"{value!r} is ambiguous for parameter {parameter.name!r}: "
                             f"{', '.join(found[:5])}", parameter.name)
    return found[0]
