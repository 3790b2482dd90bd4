"""`kommunalgraph ingest` and `kommunalgraph review`: from report files to reviewed records in a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graph.cli.common import (EXIT_INVALID, JSON_OPTION, PUBLISHED_OPTION, PUBLISHER_OPTION, SOURCE_OPTION, err,
                               fail, out, print_problems)
from graph.errors import KommunalgraphError, RecordError, ValidationFailed
from graph.records import review
from graph.settings import current

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm")
DRAFTS_OPTION = click.option("--drafts", type=click.Path(file_okay=False, path_type=Path),
                             default=lambda: current().data_dir / "drafts", show_default="data/drafts",
                             help="Folder of the drafts waiting for review.")


def report_files(paths: tuple[Path, ...]) -> list[Path]:
    """The report files named, and those inside the folders named (not recursive)."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in REPORT_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return found


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@DRAFTS_OPTION
@PUBLISHER_OPTION
@PUBLISHED_OPTION
@SOURCE_OPTION
def ingest(paths: tuple[Path, ...], drafts: Path, publisher: str | None, published: str | None,
           source: str | None):
    """Extract every report FILE (or every report in a DIR) into a draft and list the drafts.

    A report that already has a draft, open or decided, is left alone: a steward's edits are never
    overwritten by a new extraction."""
    from graph.extraction.drafts import draft_records, write_records

    files = report_files(paths)
    if not files:
        fail("keine Berichte gefunden / no report files (.txt, .md, .html) found")
    if source and len(files) > 1:   # checked before the drafted ones drop out: the address names one page
        fail(f"Quelle / source: an address names one page; give it with one file, not {len(files)}")
    decided = review.drafted_names(drafts)
    new = [f for f in files if f.stem not in decided]
    for skipped in sorted(set(files) - set(new)):
        err.print(f"schon als Entwurf da / already drafted: {skipped}")
    try:
        made = draft_records(new, drafts, publisher, warn=lambda message: err.print(f"[yellow]{message}[/]"),
                             published=published, source=source)
        write_records(made, drafts, "yaml", sys.stdout)
    except KommunalgraphError as exc:
        fail(str(exc))
    _print_drafts(review.list_drafts(drafts), as_json=False)


@click.group("review")
def review_group():
    """Review drafts: list them, edit one in $EDITOR, accept it as a record or reject it."""


@review_group.command("list")
@DRAFTS_OPTION
@JSON_OPTION
def review_list(drafts: Path, as_json: bool):
    """The open drafts with their events and open review items."""
    _print_drafts(review.list_drafts(drafts), as_json)


@review_group.command("edit")
@click.argument("draft", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def review_edit(draft: Path):
    """Open DRAFT in $EDITOR; save it back unless another steward changed it meanwhile."""
    opened = review.fingerprint(draft)
    edited = click.edit(draft.read_text("utf-8"), extension=".yaml", require_save=True)
    if edited is None:
        out.print("nicht geändert / unchanged")
        return
    try:
        review.save_edit(draft, edited, opened)
    except review.ReviewConflict as exc:
        fail(str(exc), EXIT_INVALID)
    out.print(f"gespeichert / saved: {draft}")


@review_group.command("accept")
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--records", type=click.Path(file_okay=False, path_type=Path), default=lambda: current().records_dir,
              show_default="data/records", help="Folder the record is written to.")
@JSON_OPTION
def review_accept(draft: Path, records: Path, as_json: bool):
    """Check DRAFT like a build does and make it a record; exit 1 with the problems otherwise."""
    from graph.build.pipeline import check_folder

    try:
        record = review.accept(draft, records, lambda folder: check_folder(folder, current().base_iri))
    except (ValidationFailed, RecordError) as exc:
        print_problems(exc.problems, as_json)
        sys.exit(EXIT_INVALID)
    except review.ReviewConflict as exc:
        fail(str(exc), EXIT_INVALID)
    except KommunalgraphError as exc:
        fail(str(exc))
    out.print(json.dumps({"ok": True, "record": str(record)}) if as_json else f"Datensatz / record: {record}")


@review_group.command("reject")
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reason", required=True, help="Why: kept with the rejected draft.")
def review_reject(draft: Path, reason: str):
    """Move DRAFT to the rejected drafts, with REASON; nothing is deleted."""
    if not reason.strip():
        fail("--reason darf nicht leer sein / must not be empty")
    try:
        kept = review.reject(draft, reason)
    except review.ReviewConflict as exc:
        fail(str(exc), EXIT_INVALID)
    out.print(f"abgelehnt / rejected: {kept}")


def _print_drafts(drafts: list[review.Draft], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([{"draft": str(d.path), "events": d.events, "open": d.open_items} for d in drafts],
                              ensure_ascii=False, indent=2))
        return
    for d in drafts:
        out.print(f"{d.path}: {d.events} Veranstaltung(en) / events, {len(d.open_items)} offen / open")
        for item in d.open_items:
            out.print(f"  - {item}")
    if not drafts:
        out.print("keine offenen Entwürfe / no open drafts")
