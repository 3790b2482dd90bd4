"""`kommunalgraph organisations`: list possible duplicate organisations across reports for the steward."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from graph.cli.common import EXIT_INVALID, JSON_OPTION, RECORDS_OPTION, out, print_problems
from graph.errors import RecordError
from graph.linking.mentioned import read_mentioned
from graph.linking.organisation_file import ORGANISATIONS_FILE, add_candidates, organisation_resolution
from graph.records.record import find_records
from graph.settings import current


@click.command("organisations")
@RECORDS_OPTION
@click.option("--links", "links_dir", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: current().links_dir, show_default="data/links",
              help=f"Folder of {ORGANISATIONS_FILE}, the steward's decisions.")
@JSON_OPTION
def organisations_command(records: tuple[Path, ...], links_dir: Path, as_json: bool):
    """Find organisation names of different reports that may name one organisation; add the
    undecided ones to data/links/organisations.yaml (decisions already there are kept) and list them."""
    try:
        files = [path for folder in records for path in find_records(folder)]
        resolution = organisation_resolution(read_mentioned(files).names, links_dir)
        path, added = add_candidates(links_dir, resolution)
    except RecordError as exc:
        print_problems(exc.problems, as_json)
        sys.exit(EXIT_INVALID)
    if as_json:
        click.echo(json.dumps({"ok": True, "names": len(resolution.keys), "organisations": resolution.organisations,
                               "added": added, "open": [{"names": [c.first.name, c.second.name], "why": c.why}
                                                        for c in resolution.open]},
                              ensure_ascii=False, indent=2))
        return
    out.print(f"{len(resolution.keys)} Namen, {resolution.organisations} Organisationen / names, organisations")
    for candidate in resolution.open:
        out.print(f"offen / open: {candidate.first.name} ({', '.join(candidate.first.reports)}) ~ "
                  f"{candidate.second.name} ({', '.join(candidate.second.reports)}): {candidate.why}")
    out.print(f"{added} neu in / new in {path}")
