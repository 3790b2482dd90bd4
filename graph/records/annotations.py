"""Records from the reviewed annotations of the real-world extraction corpus (issue 14, part 3).

Each text of tests/extraction/corpus/real is written from one real public report, and its `.yaml`
is a careful reader's reading of that report: source address, publisher, and every event with place,
date, status, speakers, organisers and topics. That reading is the reviewed truth a steward would
save after correcting an extraction draft, so it becomes a record here, field by field, with nothing
added: the report's title is the text's own headline (written for this project), and a missing event
title is the event's kind and place, which the annotation states. Two steps a steward takes by hand
are taken here the same way: a municipality name the gazetteer knows several times gets the one AGS
that the annotated state, district and kind leave; and an event the report gives no date for is left
out (the shapes require one), named in the record's header comment.

    python -m graph.records.annotations CORPUS_DIR OUT_DIR     (make reports)

Writes one record per annotated text, all or none; data/reports is what it wrote from the corpus,
and a test keeps the two in step.
"""

from __future__ import annotations

import os
import sys
import tempfile
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from graph.records.gazetteer import KIND_CATEGORY, Gazetteer, load_gazetteer, normalise
from graph.records.record import check
from graph.settings import current
from graph.text.documents import load_document

TEXT_SUFFIXES = (".txt", ".md", ".html")
# First words of every record written here: what marks a file in OUT_DIR as ours to replace or remove.
HEADER = "# From the annotation"
# Place kinds of the annotation guidelines; the record schema knows the same German names.
_STATE_KINDS = {"Land", "Bundesland"}
# Where an official name with a parenthesis ("Halle (Saale)") is looked up.
_PLACE_CATEGORIES = ("municipality", "district", "group", "region", "state")


def annotated_texts(corpus: Path) -> list[tuple[Path, Path]]:
    """(annotation, text) for every annotated text under `corpus`, sorted by file name."""
    pairs = []
    for annotation in sorted(corpus.rglob("*.yaml"), key=lambda p: p.name):
        texts = [annotation.with_suffix(s) for s in TEXT_SUFFIXES if annotation.with_suffix(s).is_file()]
        if texts:
            pairs.append((annotation, texts[0]))
    return pairs


def same_events(annotation: dict, by_stem: dict[str, dict], path: Path) -> dict:
    """The annotation with each `same_as: "<stem>#<n>"` event taking id, date, title and kind from the
    n-th event (from 0) of the annotation `<stem>`: two reports on one real event give one resource,
    whose facts must agree (the build checks the merge), though each text may state them less
    precisely. The annotation itself stays as its text says, for the extraction scores.

    :raises ValueError: if a reference names no annotated event.
    """
    events = []
    for event in annotation.get("events") or []:
        if event.get("same_as"):
            stem, _, index = str(event["same_as"]).partition("#")
            other = (by_stem.get(stem) or {}).get("events") or []
            if not index.isdigit() or int(index) >= len(other):
                raise ValueError(f"{path}: same_as {event['same_as']!r} names no annotated event")
            event = {**event, **{k: other[int(index)][k] for k in ("id", "date", "title", "type") if k in other[int(index)]}}
        events.append(event)
    return {**annotation, "events": events}


def record_from_annotation(annotation: dict, text: Path, out_dir: Path, gazetteer: Gazetteer) -> dict:
    """The record for one annotated text; `text` is referenced relative to `out_dir`."""
    report = {"id": text.stem, "title": headline(text), "publisher": publisher_name(annotation["publisher"], gazetteer),
              "source": annotation["source"], "language": "de",
              "text": Path(os.path.relpath(text.resolve(), out_dir.resolve())).as_posix()}
    if annotation.get("published"):
        report["date"] = _date(annotation["published"])
    events = [_event(e, gazetteer) for e in annotation.get("events") or [] if e.get("date")]
    return {"report": report, "events": events}


def publisher_name(publisher: str, gazetteer: Gazetteer) -> str:
    """The organisation a publisher names: "Hansestadt Lübeck (Pressestelle)" → "Hansestadt Lübeck".

    The parenthesis names the outlet or its context, not another organisation (issue 14, part 2:
    one resource per organisation); an official place name with a parenthesis, "Stadt Krumbach
    (Schwaben)", is kept whole.
    """
    name, bracket, _ = publisher.partition(" (")
    if not bracket or not name.strip() or any(gazetteer.by_name(category, publisher) for category in _PLACE_CATEGORIES):
        return publisher
    return name.strip()


def undated(annotation: dict) -> list[str]:
    """Titles (or kinds) of the annotated events without a date, which the record leaves out."""
    return [e.get("title") or e["type"] for e in annotation.get("events") or [] if not e.get("date")]


def headline(text: Path) -> str:
    """The text's first heading, or its first line when it has none."""
    document = load_document(text)
    for block in document.blocks:
        line = document.text(block).strip()
        if line:
            return line[:200]
    raise ValueError(f"{text}: no text")


def _event(annotated: dict, gazetteer: Gazetteer) -> dict:
    place = _place(annotated, gazetteer)
    event = {"id": annotated["id"]} if annotated.get("id") else {}
    event |= {"type": annotated["type"],
              "title": annotated.get("title") or f"{annotated['type']} – {place['name']}",
              "status": annotated["status"], "municipality": place}
    if annotated.get("date"):
        event["date"] = _date(annotated["date"])
    if annotated.get("state"):
        event["state"] = annotated["state"]
    if annotated.get("participants"):
        event["participants"] = [_participant(name, annotated.get("state"), gazetteer)
                                 for name in annotated["participants"]]
    for key in ("organisers", "topics", "working_groups"):
        if annotated.get(key):
            event[key] = list(annotated[key])
    if annotated.get("speakers"):
        event["talks"] = [{"speakers": [dict(speaker)]} for speaker in annotated["speakers"]]
    if annotated.get("outcomes"):
        event["outcomes"] = [{"kind": "Ergebnis", "description": str(o)} for o in annotated["outcomes"]]
    return event


def _date(value) -> DoubleQuotedScalarString:
    """A date quoted, so that YAML never reads it back as a date or a number."""
    return DoubleQuotedScalarString(str(value))


def _place(annotated: dict, gazetteer: Gazetteer) -> dict:
    place = {"name": annotated["municipality"]}
    if annotated.get("kind"):
        place["kind"] = annotated["kind"]
    if annotated.get("district"):
        place["district"] = annotated["district"]
    if annotated.get("state") and annotated.get("kind") not in _STATE_KINDS:
        place["state"] = annotated["state"]
    if KIND_CATEGORY.get(annotated.get("kind") or "Gemeinde") in ("municipality", "town"):
        ags = _ags(place["name"], annotated.get("state"), annotated.get("district"), annotated.get("kind"), gazetteer)
        if ags:
            place["ags"] = ags
    return place


def _participant(spec: str | dict, state: str | None, gazetteer: Gazetteer) -> str | dict:
    """A participating place: with its AGS when the name and state (and the district the annotation
    may give, `{name: Tiefenbach, district: Landkreis Passau}`) point to one municipality."""
    name, district = (spec, None) if isinstance(spec, str) else (spec.get("name"), spec.get("district"))
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a participant needs a name, not {spec!r}")
    ags = _ags(name, state, district, None, gazetteer)
    return {"name": name, "ags": ags} if ags else name


def _ags(name: str, state: str | None, district: str | None, kind: str | None, gazetteer: Gazetteer) -> str | None:
    """The AGS of the one municipality called `name` that lies in `state` (and `district`, and is of
    `kind`, when given), or None when there is none or more than one."""
    found = gazetteer.by_name("municipality", name)
    state_place = gazetteer.state(state) if state else None
    if state_place:
        found = [p for p in found if p.state_key == state_place.key]
    if district:
        found = [p for p in found if p.district_name and normalise(district) in normalise(p.district_name)]
    if kind and len(found) > 1:
        found = [p for p in found if p.kind == kind] or found
    return found[0].ags if len(found) == 1 and found[0].ags else None


def write_records(corpus: Path, out_dir: Path) -> list[Path]:
    """Every record from `corpus` written to `out_dir`, or none if one breaks the record schema;
    records written earlier from annotations that are gone are removed.

    :raises ValueError: naming the first annotation whose record is not valid.
    """
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096  # a long address stays on its line
    loader = YAML(typ="safe")
    gazetteer = load_gazetteer(current().reference_dir)
    written: list[tuple[Path, str]] = []
    loaded = [(path, text, loader.load(path.read_text("utf-8"))) for path, text in annotated_texts(corpus)]
    by_stem = {path.stem: annotation for path, _, annotation in loaded}
    for annotation_path, text, annotation in loaded:
        annotation = same_events(annotation, by_stem, annotation_path)
        try:
            record = record_from_annotation(annotation, text, out_dir, gazetteer)
        except ValueError as error:
            raise ValueError(f"{annotation_path}: {error}") from None
        problems = check(record, str(annotation_path))
        if problems:
            raise ValueError(f"{annotation_path}: {problems[0].english}")
        buffer = StringIO()
        buffer.write(f"{HEADER} {annotation_path.name} of the extraction corpus "
                     f"(graph/records/annotations.py); do not edit here.\n")
        for title in undated(annotation):
            buffer.write(f"# Left out, the report gives no date: {title}\n")
        yaml.dump(record, buffer)
        written.append((out_dir / f"{text.stem}.yaml", buffer.getvalue()))
    out_dir.mkdir(parents=True, exist_ok=True)
    ours = {path for path, _ in written}
    for stale in out_dir.glob("*.yaml"):
        # A record written from an annotation that is gone; files a steward wrote are never touched.
        if stale not in ours and stale.read_text("utf-8").startswith(HEADER):
            stale.unlink()
    for path, content in written:
        # Each file whole or not at all: a reader never meets half a record.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out_dir, delete=False, suffix=".tmp") as handle:
            handle.write(content)
        os.replace(handle.name, path)
    return [path for path, _ in written]


def main(argv: list[str]) -> int:
    """The command line: exit 0 with a count, 1 when an annotation gives no valid record, 2 on bad use."""
    if len(argv) != 2:
        print("usage: python -m graph.records.annotations CORPUS_DIR OUT_DIR", file=sys.stderr)
        return 2
    try:
        written = write_records(Path(argv[0]), Path(argv[1]))
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{len(written)} records written to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
