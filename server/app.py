"""The app factory: configuration, blueprints, error handlers and CORS."""

from __future__ import annotations

from typing import Mapping

from flask import Flask
from flask_cors import CORS

from server import (api_docs, auth, backend, errors, feed, graph_store, hardening, home, limits, metadata, metrics,
                    named_queries, ops, publishing, quality, reconcile, releases, resources, review, search, sparql)
from graph.settings import current
from server.config import DEFAULTS


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app: DEFAULTS, then KG_* environment variables, then `config`."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    # Where the library's files are (KG_PROJECT_DIR moves them all), built once per process.
    library = current()
    app.config.update(STORE=str(library.store), BASE_IRI=library.base_iri, QUERIES_DIR=str(library.queries_dir),
                      DRAFTS_DIR=str(library.data_dir / "drafts"), RECORDS_DIR=str(library.records_dir),
                      PUBLISH_RECORDS=[str(library.records_dir), str(library.data_dir / "reports")])
    app.config.from_prefixed_env("KG")
    if config:
        app.config.update(config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    CORS(app, origins=app.config["CORS_ORIGINS"], send_wildcard=app.config["CORS_ORIGINS"] == "*",
         expose_headers=["Retry-After", "ETag"])
    errors.init_app(app)
    hardening.init_app(app)
    auth.init_app(app)
    backend.init_app(app)
    metrics.init_app(app)
    limits.init_app(app)
    # resources.bp answers every other path (minted IRIs), so it comes last.
    for blueprint in (sparql.bp, named_queries.bp, ops.bp, graph_store.bp, reconcile.bp, home.bp, metadata.bp,
                      api_docs.bp, releases.bp, feed.bp, quality.bp, search.bp, review.bp, publishing.bp,
                      resources.bp):
        app.register_blueprint(blueprint)
    return app
