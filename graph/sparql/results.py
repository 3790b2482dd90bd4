"""SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/), read in one place."""

from __future__ import annotations

import json

Binding = dict[str, dict[str, str]]


def parse(body: bytes | str) -> dict:
    """The results document; :raises ValueError: if `body` is not SPARQL JSON results."""
    data = json.loads(body)
    if not isinstance(data, dict) or not ("boolean" in data or isinstance(data.get("results"), dict)):
        raise ValueError("the answer is not SPARQL JSON results")
    return data


def bindings(body: bytes | str) -> list[Binding]:
    """The solutions of a SELECT answer: {variable: {"type", "value", …}} each, unbound ones left out."""
    return parse(body)["results"].get("bindings", [])


def rows(body: bytes | str) -> list[dict[str, str]]:
    """The solutions of a SELECT answer as {variable: value}."""
    return [{name: term["value"] for name, term in row.items()} for row in bindings(body)]


def boolean(body: bytes | str) -> bool:
    """The answer of an ASK query."""
    return bool(parse(body)["boolean"])
