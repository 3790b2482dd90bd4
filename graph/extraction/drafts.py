"""The `extract` command's work: all files read first, then every draft written whole, or none."""

from __future__ import annotations

import json
import os
import tempfile
from io import StringIO
from pathlib import Path
from typing import Callable, TextIO

from ruamel.yaml import YAML

from graph.errors import KommunalgraphError, ParameterError, ReportParseError
from graph.extraction.extractor import Extractor
from graph.extraction.page_dates import given_publication
from graph.extraction.tagger import MODEL_DIR
from graph.records.record import check
from graph.text.page_meta import IRI


def draft_records(files: list[Path], out: Path | None, publisher: str | None,
                  warn: Callable[[str], None], model_dir: Path | None = MODEL_DIR,
                  published: str | None = None, source: str | None = None) -> list[tuple[Path, dict]]:
    """(input, record) for each file; raises before anything is written if one file cannot be read.
    `published` is the reports' publication date when the steward knows it and the texts may not say it;
    `source` is the web address of the one report given (its report.source; it may carry the date).

    :raises ReportParseError: if a file is missing, empty, too large, binary, not UTF-8 or has no text.
    :raises ParameterError: if `published` is no date (YYYY-MM-DD, YYYY-MM, YYYY) or lies in the future, or
        `source` is no http(s) address or is given with more than one file.
    """
    if published:
        try:
            given_publication(published)
        except ValueError as exc:
            raise ParameterError(f"Veröffentlichungsdatum / publication date: {exc}", "published") from None
    if source:
        if not IRI.match(source):
            raise ParameterError(f"Quelle / source {source!r}: write the page's whole http(s) address, without "
                                 "spaces, quotes or angle brackets", "source")
        if len(files) > 1:
            raise ParameterError(f"Quelle / source: an address names one page; give it with one file, not "
                                 f"{len(files)}", "source")
    extractor = Extractor(model_dir=model_dir)
    if not extractor.has_municipality_list:
        warn("Gemeindeverzeichnis fehlt / municipality list missing: run `kommunalgraph gazetteer import`; "
             "places resolve only against data/reference/places.yaml")
    if extractor.tagger is None:
        warn("Extraktionsmodell fehlt / extraction model missing (var/extraction-model): run `make model`; "
             "extracting with the rules alone")
    drafts = []
    for path in files:
        record = extractor.extract(path, out, publisher, published or None, source or None)
        problems = check(record, str(path), draft=True)
        if problems:  # a bug in the extractor, not in the text: say so plainly
            raise KommunalgraphError(f"{path}: draft breaks the record schema: {problems[0].english}")
        if not record["events"]:
            warn(f"{path}: keine Veranstaltung gefunden / no event found")
        drafts.append((path, record))
    if len({_name(p) for p, _ in drafts}) < len(drafts):
        raise ReportParseError("two input files have the same name; their drafts would overwrite each other")
    return drafts


def write_records(drafts: list[tuple[Path, dict]], out: Path | None, output_format: str, stdout: TextIO) -> list[Path]:
    """Write each draft to OUT/<name>.<format> atomically (or to stdout); return the paths written."""
    texts = [(_name(path), _serialise(record, output_format)) for path, record in drafts]
    if out is None:
        separator = "\n" if output_format == "json" else "---\n"
        stdout.write(separator.join(text for _, text in texts))
        return []
    try:
        out.mkdir(parents=True, exist_ok=True)
        staged = []
        for name, text in texts:
            handle, temporary = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".partial")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            staged.append((Path(temporary), out / f"{name}.{'json' if output_format == 'json' else 'yaml'}"))
        for temporary, final in staged:
            temporary.replace(final)
    except OSError as exc:
        for temporary, _ in locals().get("staged", []):
            temporary.unlink(missing_ok=True)
        raise KommunalgraphError(f"cannot write drafts to {out}: {exc.strerror or exc}") from None
    return [final for _, final in staged]


def _name(path: Path) -> str:
    return path.stem


def _serialise(record: dict, output_format: str) -> str:
    if output_format == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    yaml = YAML()
    yaml.width = 110
    yaml.default_flow_style = None
    stream = StringIO()
    stream.write("# Entwurf von `kommunalgraph extract`: prüfen (siehe review), dann `kommunalgraph build`.\n"
                 "# Draft by `kommunalgraph extract`: review (see review), then `kommunalgraph build`.\n")
    yaml.dump(record, stream)
    return stream.getvalue()
