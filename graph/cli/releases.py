"""`kommunalgraph releases` and `kommunalgraph diff A B`: what changed between published versions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graph.cli.common import STORE_OPTION, fail, out
from graph.errors import KommunalgraphError
from graph.publish.releases import cause_text, class_labels, diff_summary
from graph.store import releases as log
from graph.store.versions import VersionedStore


@click.command("releases")
@STORE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
def releases_command(store: Path, as_json: bool):
    """List the releases: number, time, cause and size of the change."""
    try:
        found = log.list_releases(store)
    except KommunalgraphError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps([{"seq": r.seq, "version": r.version, "time": r.time, "cause": r.cause,
                                "added": r.added, "removed": r.removed} for r in found], ensure_ascii=False, indent=1))
        return
    for r in found:
        out.print(f"{r.seq:>4}  {r.time}  {cause_text(r.cause, 'de'):<40}  +{r.added} −{r.removed}")


@click.command("diff")
@click.argument("start")
@click.argument("end")
@STORE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
@click.option("--patch", "as_patch", is_flag=True, help="Print the change as an RDF Patch.")
def diff_command(start: str, end: str, store: Path, as_json: bool, as_patch: bool):
    """What changed from release START to release END (sequence numbers or version names)."""
    try:
        first, last = log.find(store, start), log.find(store, end)
        added, removed = log.net_change(store, first, last)
        versioned = VersionedStore(store)
        current = versioned.open_read() if versioned.current() else None
    except KommunalgraphError as exc:
        fail(str(exc))
    if as_patch:
        import sys
        log.write_patch(sys.stdout.buffer, first.version, last.version, sorted(added), sorted(removed))
        return
    labels = class_labels(current) if current is not None else {}
    added_quads, removed_quads = log.parsed(sorted(added)), log.parsed(sorted(removed))
    result = diff_summary(log.summarise(added_quads, removed_quads, current), log.counts(added_quads, removed_quads), labels)
    if as_json:
        click.echo(json.dumps({"from": first.seq, "to": last.seq, **result}, ensure_ascii=False, indent=1))
        return
    out.print(f"{first.seq} → {last.seq}: +{result['added']} −{result['removed']}")
    out.print(f"  {result['summary']['de']}")
    out.print(f"  [dim]{result['summary']['en']}[/]")
    for graph, c in result["graphs"].items():
        out.print(f"  {graph or '(Standardgraph / default graph)'}: +{c['added']} −{c['removed']}")
