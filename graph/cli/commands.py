"""The commands over the store and the records: build, validate, query, backup, restore."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table

from graph.settings import current
from graph.build.pipeline import Sources, build as run_build, check
from graph.cli.common import (BASE_OPTION, EXIT_INVALID, JSON_OPTION, NO_OWL_OPTION, QUIET_OPTION, RECORDS_OPTION,
                              LINKS_OPTION, REFERENCE_OPTION, STORE_OPTION, err, fail, out, print_problems, progress_bar)
from graph.errors import KommunalgraphError, RecordError, ValidationFailed
from graph.publish.dumps import write_dumps
from graph.sparql.named_queries import bind, get, load_named_queries, query_text
from graph.store.engine import QueryRequest, run_query
from graph.store.versions import VersionedStore
from graph.formats import RESULT_NAMES
from graph.sparql import results


@click.command()
@RECORDS_OPTION
@STORE_OPTION
@BASE_OPTION
@QUIET_OPTION
@JSON_OPTION
@NO_OWL_OPTION
@REFERENCE_OPTION
@LINKS_OPTION
def build(records: tuple[Path, ...], store: Path, base_iri: str, quiet: bool, as_json: bool, no_owl: bool, reference: Path,
          links_dir: Path):
    """Check the records and publish them as a new store version (atomically)."""
    bar, update = progress_bar(quiet or as_json)
    try:
        if bar:
            bar.start()
        try:
            result = run_build(VersionedStore(store), Sources.of(records, reference, links_dir), base_iri,
                               owl=not no_owl,
                               progress=update)
        finally:
            if bar:
                bar.stop()
    except ValidationFailed as exc:
        print_problems(exc.problems, as_json)
        if not as_json:
            err.print("[bold red]Nichts veröffentlicht; der Store ist unverändert.[/] Nothing published; the store is unchanged.")
        sys.exit(EXIT_INVALID)
    except KommunalgraphError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps({"ok": True, **result.__dict__, "warnings": [w.as_dict() for w in result.warnings]},
                              ensure_ascii=False, indent=2))
    elif not quiet:
        out.print(f"Version {result.version}: {result.reports} Bericht(e), {result.events} Veranstaltungen, "
                  f"{result.default_triples} Tripel ({result.inferred_triples} abgeleitet) in {store}")


@click.command()
@RECORDS_OPTION
@BASE_OPTION
@QUIET_OPTION
@JSON_OPTION
@NO_OWL_OPTION
@REFERENCE_OPTION
@LINKS_OPTION
def validate(records: tuple[Path, ...], base_iri: str, quiet: bool, as_json: bool, no_owl: bool, reference: Path,
             links_dir: Path):
    """Run every check of `build` without writing anything."""
    try:
        checked = check(Sources.of(records, reference, links_dir), base_iri, owl=not no_owl)
        checked.close()
    except RecordError as exc:
        print_problems(exc.problems, as_json)
        sys.exit(EXIT_INVALID)
    except KommunalgraphError as exc:
        fail(str(exc))
    if checked.violations:
        print_problems(checked.problems, as_json)
        sys.exit(EXIT_INVALID)
    if as_json:
        click.echo(json.dumps({"ok": True, "reports": checked.report_count,
                               "warnings": [p.as_dict() for p in checked.problems]}, ensure_ascii=False))
    elif not quiet:
        out.print(f"Alles gültig / all valid: {checked.report_count} Bericht(e).")


# `table` prints the JSON results as a table.
FORMATS = {"table": RESULT_NAMES["json"], **RESULT_NAMES}


@click.command()
@click.argument("name", required=False)
@STORE_OPTION
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter.")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="table", show_default=True)
@click.option("--queries", "queries_dir", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: current().queries_dir, show_default="queries", help="Folder of named queries.")
def query(name: str | None, store: Path, params: tuple[str, ...], output_format: str, queries_dir: Path):
    """Run the named query NAME (without NAME: list them)."""
    try:
        queries = load_named_queries(queries_dir)
        if name is None:
            for q in queries.values():
                names = ", ".join(q.parameters) or "-"
                out.print(f"[bold]{q.name}[/] ({names}): {q.title}")
            return
        arguments = {}
        for param in params:
            key, sep, value = param.partition("=")
            if not sep or not key:
                fail(f"--param needs KEY=VALUE, not {param!r}")
            arguments[key] = value
        named = get(queries, name)
        opened = VersionedStore(store).open_read()
        execute = lambda request: run_query(opened, request)  # noqa: E731 - the engine, in-process
        substitutions = bind(named, arguments, execute)
        request = QueryRequest(query_text(named, substitutions), result_types=(FORMATS[output_format],),
                               substitutions=substitutions)
        result = execute(request)
    except KommunalgraphError as exc:
        fail(str(exc))
    if output_format == "table":
        print_table(result.body)
    else:
        sys.stdout.buffer.write(result.body)


def print_table(body: bytes) -> None:
    """SPARQL JSON results as a rich table."""
    columns = results.parse(body)["head"]["vars"]
    table = Table(*columns)
    for row in results.bindings(body):
        table.add_row(*[row.get(c, {}).get("value", "") for c in columns])
    out.print(table)


@click.command()
@click.argument("target", type=click.Path(path_type=Path))
@STORE_OPTION
def backup(target: Path, store: Path):
    """Copy the current store version to TARGET, a new directory."""
    try:
        VersionedStore(store).backup(target)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.print(f"Sicherung / backup: {target}")


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@STORE_OPTION
def restore(source: Path, store: Path):
    """Publish the backup at SOURCE as the current store version."""
    try:
        VersionedStore(store).restore(source)
        write_dumps(VersionedStore(store))  # the restored version's downloads (issue 4)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.print(f"Wiederhergestellt / restored from {source}")
