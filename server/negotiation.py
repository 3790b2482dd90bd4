"""Content negotiation with Werkzeug's Accept parsing: the acceptable formats in order of preference."""

from __future__ import annotations

from flask import request

from graph.formats import FORMAT_NAMES, GRAPH_FORMATS, RESULT_FORMATS


def ranked(candidates) -> tuple[str, ...]:
    """Media types from `candidates` the client accepts, best first; ties keep `candidates`' order."""
    candidates = list(candidates)
    accept = request.accept_mimetypes
    if not accept:
        return tuple(candidates)
    scored = [(accept.quality(c), -i, c) for i, c in enumerate(candidates)]
    return tuple(c for q, _, c in sorted(scored, reverse=True) if q > 0)


def query_formats(format_name: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Acceptable (result types, graph types) from a `format` parameter or the Accept header."""
    if format_name:
        if format_name in FORMAT_NAMES:
            results, graphs = FORMAT_NAMES[format_name]
            return tuple(filter(None, [results])), tuple(filter(None, [graphs]))
        if format_name in RESULT_FORMATS or format_name in GRAPH_FORMATS:
            return ((format_name,) if format_name in RESULT_FORMATS else (),
                    (format_name,) if format_name in GRAPH_FORMATS else ())
        return (), ()
    return ranked(RESULT_FORMATS), ranked(GRAPH_FORMATS)
