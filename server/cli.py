"""The `kommunalgraph` entry point: graph's commands plus `serve`, which needs the HTTP layer."""

from __future__ import annotations

import gc
import logging
import signal
import sys
from pathlib import Path

import click

from graph.cli.common import BASE_OPTION, STORE_OPTION, fail
from graph.cli.group import make_cli
from graph.errors import KommunalgraphError


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@STORE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@BASE_OPTION
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Query worker processes (queries that run at once) [default: QUERY_WORKERS, 2].")
@click.option("--timeout", default=None, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run [default: QUERY_TIMEOUT, 30].")
def serve(files: tuple[Path, ...], store: Path, host: str, port: int, base_iri: str, workers: int | None,
          timeout: float | None):
    """Serve the store (or the RDF FILEs instead) over HTTP with a production WSGI server."""
    from server import http_limits
    from server.app import create_app
    from server.hardening import body_limit

    config = {"STORE": str(store), "FILES": [str(f) for f in files], "BASE_IRI": base_iri}
    # Options given on the command line win; otherwise KG_QUERY_WORKERS / KG_QUERY_TIMEOUT or DEFAULTS apply.
    if workers is not None:
        config["QUERY_WORKERS"] = workers
    if timeout is not None:
        config["QUERY_TIMEOUT"] = timeout
    try:
        app = create_app(config)
    except (KommunalgraphError, ValueError) as exc:
        fail(str(exc))
    # SIGTERM (service managers, tests) must run the atexit cleanup: stop workers, drop temp stores.
    signal.signal(signal.SIGTERM, _shut_down)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Kommunalgraph auf / on http://{host}:{port}/sparql", err=True)
    # Waitress spools large bodies to disk itself; let uploads up to the cap through to the app.
    largest = max(int(app.config["MAX_UPLOAD_BYTES"]), int(app.config["MAX_CONTENT_LENGTH"])) + 1
    proxy = {"trusted_proxy": app.config["TRUSTED_PROXY"],
             "trusted_proxy_headers": app.config["TRUSTED_PROXY_HEADERS"]} if app.config["TRUSTED_PROXY"] else {}
    # What exists now (modules, the app, named queries, places) lives as long as the server. Left to the
    # collector, each full collection walked all of it again: 40-70 ms inside one request (bench/RESULTS.md).
    gc.collect()
    gc.freeze()
    # Each route's own limit, applied by waitress before it reads a body (server/http_limits.py).
    http_limits.serve(app, lambda method, path: body_limit(method, path, app.config), host=host, port=port,
                      threads=app.config["HTTP_THREADS"], ident="kommunalgraph",
                      max_request_body_size=largest, **proxy)


def _shut_down(*_) -> None:
    """Exit through the atexit cleanup. A second SIGTERM while it runs (a service manager that repeats
    itself) is ignored: raised inside the cleanup it would leave workers and temporary stores behind."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.getLogger("kommunalgraph").info("SIGTERM: shutting down")
    sys.exit(0)


def main() -> None:
    """Console script entry point."""
    make_cli(serve)(prog_name="kommunalgraph")


if __name__ == "__main__":
    main()
