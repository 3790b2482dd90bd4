"""What every command shares: options, exit codes, consoles, error and problem output.

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

from graph.settings import Settings, current
from graph.errors import Problem

EXIT_INVALID = 1
EXIT_FAILED = 2

# Piped output (scripts, CI logs) is not wrapped at 80 columns.
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)

STORE_OPTION = click.option("--store", type=click.Path(file_okay=False, path_type=Path),
                            default=lambda: current().store, show_default="var/store", envvar="KG_STORE",
                            help="Store directory.")
RECORDS_OPTION = click.option("--records", type=click.Path(path_type=Path), multiple=True,
                              default=lambda: (current().records_dir,), show_default="data/records",
                              help="Folder of record files (*.yaml); repeat it to read several folders.")
REFERENCE_OPTION = click.option("--reference", type=click.Path(file_okay=False, path_type=Path),
                                default=lambda: current().reference_dir, show_default="data/reference",
                                help="Folder of reference places (places.yaml, gazetteer.csv).")
LINKS_OPTION = click.option("--links", "links_dir", type=click.Path(file_okay=False, path_type=Path),
                            default=lambda: current().links_dir, show_default="data/links",
                            help="Folder of the link and decision files (wikidata.yaml, persons.yaml, "
                                 "organisations.yaml, moved.yaml).")
BASE_OPTION = click.option("--base-iri", default=lambda: current().base_iri, show_default=Settings.base_iri,
                           envvar="KG_BASE_IRI", help="Base under which IRIs are minted.")
QUIET_OPTION = click.option("--quiet", is_flag=True, help="No progress, only errors.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
PUBLISHER_OPTION = click.option("--publisher", help="Publisher of the reports, when the texts do not name it.")
PUBLISHED_OPTION = click.option(
    "--published", metavar="YYYY[-MM[-DD]]",
    help="Publication date of the reports, when you know it and the texts may not say it (the page's header or "
         "address): it dates the days written without a year and tells held from planned events.")
SOURCE_OPTION = click.option(
    "--source", metavar="URL",
    help="Web address of the report (one FILE): the record's report.source; a date in it ('/2019/06/03/') dates "
         "the report when the text gives none.")
NO_OWL_OPTION = click.option("--no-owl", is_flag=True, help="Skip the HermiT consistency check.")


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
