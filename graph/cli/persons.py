"""`kommunalgraph persons`: list possible duplicate persons across reports for the steward."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graph.cli.common import EXIT_INVALID, JSON_OPTION, RECORDS_OPTION, out, print_problems
from graph.errors import RecordError
from graph.linking.organisation_file import organisation_resolution
from graph.linking.person_file import PERSONS_FILE, add_candidates, decisions
from graph.linking.mentioned import read_mentioned
from graph.linking.persons import resolve
from graph.records.record import find_records
from graph.settings import current


@click.command("persons")
@RECORDS_OPTION
@click.option("--links", "links_dir", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: current().links_dir, show_default="data/links",
              help=f"Folder of {PERSONS_FILE}, the steward's decisions.")
@JSON_OPTION
def persons_command(records: tuple[Path, ...], links_dir: Path, as_json: bool):
    """Find speakers of different reports who may be one person; add the undecided ones to
    data/links/persons.yaml (decisions already there are kept) and list them."""
    try:
        files = [path for folder in records for path in find_records(folder)]
        # Two spellings of one organisation are one organisation here too (organisations.yaml).
        mentioned = read_mentioned(files)
        organisations = organisation_resolution(mentioned.names, links_dir).keys
        resolution = resolve(mentioned.mentions, decisions(links_dir), organisations)
        path, added = add_candidates(links_dir, resolution)
    except RecordError as exc:
        print_problems(exc.problems, as_json)
        sys.exit(EXIT_INVALID)
    people = len(set(resolution.keys.values()))
    if as_json:
        click.echo(json.dumps({"ok": True, "mentions": len(resolution.keys), "persons": people, "added": added,
                               "open": [{"mentions": sorted(c.key), "why": c.why} for c in resolution.open]},
                              ensure_ascii=False, indent=2))
        return
    out.print(f"{len(resolution.keys)} Nennungen, {people} Personen / mentions, persons")
    for candidate in resolution.open:
        out.print(f"offen / open: {candidate.first.described} ~ {candidate.second.described}: {candidate.why}")
    out.print(f"{added} neu in / new in {path}")
