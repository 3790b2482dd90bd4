"""The Virtuoso side of bench/cold.py (--virtuoso): raw runs on Virtuoso, the rows of whole lists on both back
ends, and one round with the remote back end."""

from __future__ import annotations

import json
import time
from pathlib import Path

import requests

from cold_http import case_key, http_pass
from graph.sparql.binding import bind_in_text, names_dataset
from graph.sparql.named_pages import plan
from graph.sparql.named_queries import bind
from graph.sparql.paging import page_of
from graph.store.engine import QueryRequest, run_query
from graph.store.remote import RemoteEngine, RemoteSettings
from graph.store.remote_results import RESULTS_ACCEPT
from graph.store.versions import VersionedStore
from virtuoso_scale import DEFAULT_GRAPH, start


def virtuoso_ms(session: requests.Session, url: str, queries, case) -> tuple[float, float, int]:
    """One raw run on Virtuoso, in the order the server works: the labels of the parameters looked up
    on Virtuoso (RemoteEngine, as the server does it), then the text the remote back end sends
    (parameters written in, our default graph chosen unless the query names its dataset), answered as
    SPARQL results and read in full. The lookup's milliseconds, the query's, and the number of rows."""
    name, arguments = case
    engine = RemoteEngine(RemoteSettings(url, timeout=600, max_bytes=None, default_graph=DEFAULT_GRAPH))
    page, arguments = page_of(arguments, paged=queries[name].pages is not None)
    started = time.perf_counter()
    substitutions = bind(queries[name], arguments, engine.query)
    lookup = (time.perf_counter() - started) * 1000
    text = bind_in_text(plan(queries[name], substitutions, page, engine.query).text, substitutions)
    form = {"query": text, **({} if names_dataset(text) else {"default-graph-uri": DEFAULT_GRAPH})}
    started = time.perf_counter()
    response = session.post(url, data=form, headers={"Accept": RESULTS_ACCEPT}, timeout=600)
    response.raise_for_status()
    elapsed = (time.perf_counter() - started) * 1000
    return lookup, elapsed, len(response.json()["results"]["bindings"])


def whole_list(case) -> tuple[str, dict]:
    """The case asked for its whole list (page=all): the same rows on any back end, whatever its pages."""
    name, arguments = case
    return name, {**arguments, "page": "all"}


def embedded_rows(store: VersionedStore, queries, case) -> int:
    """The number of rows the embedded store answers for `case`."""
    name, arguments = case
    opened = store.open_read()
    page, arguments = page_of(arguments, paged=queries[name].pages is not None)
    execute = lambda request: run_query(opened, request)  # noqa: E731
    substitutions = bind(queries[name], arguments, execute)
    body = run_query(opened, QueryRequest(plan(queries[name], substitutions, page, execute).text,
                                          substitutions=substitutions, max_bytes=None)).body
    return len(json.loads(body)["results"]["bindings"])


def same_data(store: VersionedStore, queries, drawn, work: Path) -> dict:
    """Per case, the rows of its whole list when Virtuoso answers as many as the embedded store, else False.
    Whole lists, because a page is not the same cut on the two back ends: the embedded store's page numbers
    count a list's members (100 speakers, with all their talks), a remote store's pages are 100 rows
    (LIMIT and OFFSET), so page 1 of the speakers holds 113 rows on one and 100 on the other at 1 M."""
    virtuoso = start(work)
    try:
        with requests.Session() as session:
            same = {}
            for case in drawn:
                rows = embedded_rows(store, queries, whole_list(case))
                same[case_key(case)] = rows if virtuoso_ms(session, virtuoso.url, queries, whole_list(case))[2] == rows \
                    else False
            return same
    finally:
        virtuoso.stop(timeout=600)


def remote_round(store: VersionedStore, queries, drawn, work: Path, raw: dict, http: dict, statuses: dict,
                 embedded: dict, lookup: dict, client=requests.Session) -> None:
    """One round with Virtuoso: the embedded server (Virtuoso down), every case straight to Virtuoso,
    then through a fresh server on the remote back end; Virtuoso is restarted for each of its passes.
    `lookup` gets the time of the parameters' lookup on Virtuoso."""
    http_pass(store, drawn, embedded, {case_key(c): {} for c in drawn}, {}, client=client)
    virtuoso = start(work)
    try:
        with requests.Session() as session:
            for case in drawn:
                took, elapsed, _ = virtuoso_ms(session, virtuoso.url, queries, case)
                lookup[case_key(case)].append(took)
                raw[case_key(case)].append(elapsed)
    finally:
        virtuoso.stop(timeout=600)
    virtuoso = start(work)
    try:
        # Ready when it lists the named queries: /health would count the default graph on Virtuoso first.
        http_pass(store, drawn, http, statuses, {"KG_BACKEND": "remote", "KG_REMOTE_QUERY_URL": virtuoso.url,
                                                 "KG_REMOTE_DEFAULT_GRAPH": DEFAULT_GRAPH}, ready="/api/queries",
                  client=client)
    finally:
        virtuoso.stop(timeout=600)
