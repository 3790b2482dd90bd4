"""Record files (data/records/*.yaml): reading, schema checks, and readable problems."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError, validators
from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from graph.errors import Problem, RecordError

RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass
class Record:
    """One report record: its file, key and validated content."""

    path: Path
    key: str
    data: dict
    lines: dict = field(default_factory=dict)

    @property
    def report(self) -> dict:
        """The report metadata."""
        return self.data["report"]

    @property
    def events(self) -> list[dict]:
        """The events, in report order."""
        return self.data.get("events", [])

    def event_label(self, index: int) -> str:
        """How a steward recognises event `index`: number and title."""
        event = self.events[index]
        return f"{index + 1}: {event.get('title', '?')}"


def schema() -> dict:
    """The record JSON Schema shipped with the package."""
    return json.loads(resources.files("graph.records").joinpath("record.schema.json").read_text("utf-8"))


def _ecma_pattern(validator, pattern, instance, schema):
    r"""`pattern` as JSON Schema means it (ECMA-262): `$` ends the text. Python's `$` also matches
    before a final newline, which would let "08317001\n" pass as an AGS (jsonschema-rs refuses it)."""
    if validator.is_type(instance, "string") and not re.search(_ECMA_END.sub(r"\\Z", pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_ECMA_END = re.compile(r"(?<!\\)\$")
_VALIDATOR = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})(schema())
# The same schema compiled in Rust: it only decides "valid"; problems always come from _VALIDATOR.
_FAST_VALIDATOR = jsonschema_rs.validator_for(schema())


def draft_schema() -> dict:
    """The record schema as a draft must meet it: an event may lack its place when the page names none the
    gazetteer knows; its review list then asks for one (graph/extraction/records.py), and `review accept`
    checks the record against the full schema."""
    data = schema()
    event = data["$defs"]["event"]
    event["required"] = [name for name in event["required"] if name != "municipality"]
    return data


_DRAFT_VALIDATOR = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})(draft_schema())


def find_records(directory: Path) -> list[Path]:
    """All record files in `directory`, sorted; raises RecordError if it does not exist."""
    if not directory.is_dir():
        raise RecordError([Problem(
            f"Verzeichnis mit Datensätzen nicht gefunden: {directory}",
            f"records directory not found: {directory}", file=str(directory))])
    return sorted(p for p in directory.iterdir() if p.suffix in RECORD_SUFFIXES and p.is_file())


def load_record(path: Path) -> Record:
    """Read and check one record file.

    :raises RecordError: if the file cannot be read, is not YAML, or breaks the schema.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError([Problem(f"Datei nicht lesbar: {exc}", f"cannot read file: {exc}",
                                   file=str(path))]) from None
    fast = _fast_load(text)
    if fast is not None:
        # Fast path for large builds (issue 6): libyaml and a compiled schema check. Line
        # numbers are only needed for problems, so a record that fails is read again below.
        key = fast["report"].get("id") or _stem_key(path)
        return Record(path=path, key=key, data=fast)
    return careful_load(text, path)


def careful_load(text: str, path: Path, draft: bool = False) -> Record:
    """The careful path of load_record: the round-trip parser keeps line numbers, and the
    reference validator explains every problem. It alone decides on records the fast path refuses.
    `draft`: check against the draft schema (draft_schema: an event may lack its place).

    :raises RecordError: if `text` is not YAML or breaks the schema.
    """
    try:
        data = YAML(typ="rt").load(text)
    except (MarkedYAMLError, YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (Zeile {mark.line + 1}, Spalte {mark.column + 1})" if mark else ""
        where_en = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RecordError([Problem(f"Kein gültiges YAML{where}: {problem}",
                                   f"not valid YAML{where_en}: {problem}", file=str(path))]) from None
    lines = _line_index(data)
    data = _plain(data)
    if not isinstance(data, dict):
        raise RecordError([Problem("Die Datei muss ein YAML-Objekt mit 'report' und 'events' enthalten.",
                                   "the file must hold a YAML mapping with 'report' and 'events'",
                                   file=str(path))])
    problems = check(data, str(path), lines, draft)
    if problems:
        raise RecordError(problems)
    key = data["report"].get("id") or _stem_key(path)
    return Record(path=path, key=key, data=data, lines=lines)


def _fast_load(text: str) -> dict | None:
    """The record's data if the C parser reads it and the compiled schema accepts it, else None."""
    try:
        data = _plain(YAML(typ="safe", pure=False).load(text))
    except Exception:  # any failure: the careful path below reports it with its position
        return None
    return data if isinstance(data, dict) and _FAST_VALIDATOR.is_valid(data) else None


def check(data: dict, file: str, lines: dict | None = None, draft: bool = False) -> list[Problem]:
    """Schema problems of a record (of a draft: see draft_schema), most specific first, in German and English."""
    problems = []
    validator = _DRAFT_VALIDATOR if draft else _VALIDATOR
    errors = [leaf for error in validator.iter_errors(data) for leaf in _leaves(error)]
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        field_name = _field_path(path)
        line = (lines or {}).get(tuple(path))
        german, english = _explain(error)
        if line:
            german, english = f"{german} (Zeile {line})", f"{english} (line {line})"
        problems.append(Problem(german, english, file=file, event=_event_of(data, path),
                                field=field_name, value=_short(error.instance)))
    return problems


def _stem_key(path: Path) -> str:
    from graph.iri import slug
    return slug(path.stem)


STR_TAG = "tag:yaml.org,2002:str"


def _plain(node):
    """Plain Python from ruamel's round-trip types; YAML dates become ISO strings."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()[:10]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, TaggedScalar) and str(node.tag) == STR_TAG:
        return str(node.value)  # `!!str 1`: the safe loader (fast path) reads it as the text "1" too
    return node


def _line_index(node, path=()) -> dict:
    """Map each key path to its 1-based line in the file (from ruamel's position marks)."""
    index = {}
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        for key, value in node.items():
            if lc is not None:
                try:
                    index[path + (str(key),)] = lc.key(key)[0] + 1
                except (KeyError, TypeError):
                    pass
            index.update(_line_index(value, path + (str(key),)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if lc is not None:
                try:
                    index[path + (i,)] = lc.item(i)[0] + 1
                except (KeyError, TypeError, IndexError):
                    pass
            index.update(_line_index(value, path + (i,)))
    # A tagged scalar (`!!str 1`) has a position object without a line.
    if lc is not None and path not in index and getattr(lc, "line", None) is not None:
        index[path] = lc.line + 1
    return index


def _leaves(error) -> list:
    """For oneOf/anyOf, the errors of the branch that fits the value's type, not the summary."""
    if not error.context:
        return [error]
    if error.validator == "anyOf" and all(e.validator == "required" for e in error.context):
        return [error]
    branches: dict = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [b for b in branches.values()
               if not any(e.validator == "type" and len(e.absolute_path) == len(error.absolute_path) for e in b)]
    if not fitting:
        return [error]
    best = max(fitting, key=lambda b: max(len(e.absolute_path) for e in b))
    return [leaf for sub in best for leaf in _leaves(sub)]


def _field_path(path: list) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(Datei)"


def _event_of(data: dict, path: list) -> str | None:
    if len(path) >= 2 and path[0] == "events" and isinstance(path[1], int):
        events = data.get("events") or []
        if path[1] < len(events) and isinstance(events[path[1]], dict):
            return f"{path[1] + 1}: {events[path[1]].get('title', '?')}"
        return str(path[1] + 1)
    return None


def _short(value) -> str | None:
    if isinstance(value, (dict, list)):
        return None
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _explain(error) -> tuple[str, str]:
    """A German and an English sentence for one schema error."""
    kind, value, schema_value = error.validator, error.instance, error.validator_value
    if kind == "required":
        match = re.match(r"^'(.+)' is a required property", error.message)
        name = match.group(1) if match else ", ".join(schema_value)
        return f"Pflichtfeld fehlt: {name}", f"required field missing: {name}"
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return (f"Unbekanntes Feld {', '.join(extra)} (erlaubt: {allowed})",
                f"unknown field {', '.join(extra)} (allowed: {allowed})")
    if kind == "enum":
        options = ", ".join(map(str, schema_value))
        return (f"Wert {value!r} ist nicht erlaubt; erlaubt sind: {options}",
                f"value {value!r} is not allowed; allowed values: {options}")
    if kind == "pattern":
        return _explain_pattern(value, schema_value)
    if kind == "type":
        hint_de = hint_en = ""
        if isinstance(value, int) and schema_value == "string":
            hint_de = " – Schlüssel und Daten in Anführungszeichen setzen, damit führende Nullen bleiben"
            hint_en = " – quote keys and dates so that leading zeros are kept"
        return (f"Falscher Typ: {value!r} ist kein {_TYPE_DE.get(str(schema_value), schema_value)}{hint_de}",
                f"wrong type: {value!r} is not of type {schema_value}{hint_en}")
    if kind == "minLength":
        return "Leerer Text ist nicht erlaubt", "empty text is not allowed"
    if kind == "const":
        return f"Wert muss {schema_value!r} sein", f"value must be {schema_value!r}"
    if kind in ("minimum", "maximum"):
        return f"Wert {value!r} außerhalb des erlaubten Bereichs", f"value {value!r} out of range"
    if kind == "anyOf" and isinstance(value, dict):
        return ("Vortrag braucht einen Titel, Vortragende oder etwas, das er vorstellt",
                "a talk needs a title, speakers or something it presents")
    return f"Ungültiger Wert: {error.message}", f"invalid value: {error.message}"


_TYPE_DE = {"string": "Text", "array": "Liste", "object": "Objekt", "integer": "ganze Zahl",
            "number": "Zahl", "boolean": "Wahrheitswert"}


def _explain_pattern(value, pattern: str) -> tuple[str, str]:
    if "[0-9]{8}" in pattern:
        return (f"AGS {value!r} muss aus genau 8 Ziffern bestehen",
                f"AGS {value!r} must be exactly 8 digits")
    if "[0-9]{4}" in pattern:
        return (f"Datum {value!r} muss die Form JJJJ, JJJJ-MM oder JJJJ-MM-TT haben",
                f"date {value!r} must have the form YYYY, YYYY-MM or YYYY-MM-DD")
    if pattern.startswith("^Q"):
        return (f"Wikidata-Kennung {value!r} muss die Form Q123 haben",
                f"Wikidata id {value!r} must look like Q123")
    if "[0-9]{5}" in pattern:
        return (f"Kreisschlüssel {value!r} muss aus genau 5 Ziffern bestehen",
                f"district key {value!r} must be exactly 5 digits")
    if "https?" in pattern:
        return (f"Quelle {value!r} muss eine http(s)-Adresse sein", f"source {value!r} must be an http(s) URL")
    if "[a-z0-9]+" in pattern:
        return (f"Kennung {value!r} darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten",
                f"id {value!r} may only contain lower-case letters, digits and hyphens")
    return f"Text {value!r} ist leer oder hat eine ungültige Form", f"text {value!r} is empty or malformed"
