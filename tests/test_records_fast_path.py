"""Issue 6: the fast record check (libyaml + jsonschema-rs) and the careful one (ruamel round trip +
jsonschema) agree on every record: the same verdict from both validators, and whatever the fast
path accepts, the careful path accepts too, with the same data."""

from __future__ import annotations

import copy
from io import StringIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from graph.errors import RecordError
from graph.records.record import _FAST_VALIDATOR, _VALIDATOR, _fast_load, careful_load, load_record

ROOT = Path(__file__).resolve().parent.parent
SEED = load_record(ROOT / "data" / "records" / "stadt-land-digital-2022-strategiestarterworkshops.yaml").data

# Strings near the edges of the schema's patterns and of the two regex dialects (Python's `$`
# also matches before a final newline; Rust's and ECMA's do not).
EDGE_STRINGS = ["", " ", "\n", "08317001", "08317001\n", "0831700", "083170011", "٠٨٣١٧٠٠١", "2022", "2022-05",
                "2022-05-11", "2022-13", "2022-02-30", "2022-05\n", "22-05", "Q42", "Q42\n", "Q0", "q42",
                "https://example.org", "http://x\n", "ftp://x", "mein-bericht", "Mein-Bericht", "a--b", "-a",
                "12345", "12345\n", "Strategiestarterworkshop", "held", "planned", "held\n", "de", "x" * 300]
# Plain YAML scalars that YAML 1.1 and 1.2 parsers read differently, or that need care.
EDGE_SCALARS = ["yes", "no", "on", "off", "y", "~", "null", "010", "0o10", "0x1F", "1:20", "1_000", "2022-05-11",
                "2022-05-11T10:00:00", ".inf", "-.inf", ".nan", "1e3", "+1", "0b11", "TRUE", "=", "<<", "!!str 1",
                "99999999999999999999999999", "-1", "0.5", "'08317001'", '"2022"', "[]", "{}", "|\n  text"]

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10, 10 ** 20), st.floats(allow_nan=False),
                    st.sampled_from(EDGE_STRINGS), st.text(max_size=12))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2),
                   st.dictionaries(st.sampled_from(["name", "ags", "id", "kind", "title", "x"]), SCALARS, max_size=2))


def paths(node, prefix=()):
    """Every path to a value inside `node`."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, prefix + (index,))
    return found


def parent_of(data, path):
    node = data
    for step in path[:-1]:
        node = node[step]
    return node


@st.composite
def mutated_records(draw):
    """The seed record with one to three fields replaced, removed, added or nudged."""
    data = copy.deepcopy(SEED)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        parent, last = parent_of(data, path), path[-1]
        action = draw(st.sampled_from(["replace", "delete", "add", "nudge"]))
        if action == "replace":
            parent[last] = draw(VALUES)
        elif action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "date", "topics", "ags", "wikidata"]))] = draw(VALUES)
        elif action == "nudge" and isinstance(parent[last], str):
            parent[last] = parent[last] + draw(st.sampled_from(["\n", " ", "\t", "-", "0", "\u0660"]))
    return data


def validators_agree(data) -> None:
    careful = not any(True for _ in _VALIDATOR.iter_errors(data))
    assert _FAST_VALIDATOR.is_valid(data) == careful, data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_both_schema_validators_give_the_same_verdict(data):
    validators_agree(data)


def focused(node, path):
    """A small valid copy of `node` that keeps the value at `path`: every list is cut to one item,
    the one on `path` where it passes through (python-jsonschema takes ~15 ms for the whole seed)."""
    if isinstance(node, dict):
        return {k: focused(v, path[1:] if path and path[0] == k else ()) for k, v in node.items()}
    if isinstance(node, list):
        index = path[0] if path else 0
        return [focused(node[index], path[1:])] if node else []
    return node


def test_every_string_field_with_each_edge_string_is_judged_alike():
    fields = {}
    for path in paths(SEED):
        if isinstance(parent_of(SEED, path)[path[-1]], str):
            fields.setdefault(tuple(0 if isinstance(step, int) else step for step in path), path)
    for generic, path in fields.items():
        small = focused(SEED, path)
        validators_agree(small)
        for value in EDGE_STRINGS:
            data = copy.deepcopy(small)
            parent_of(data, generic)[generic[-1]] = value
            validators_agree(data)


def yaml_text(data) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records(), st.data())
def test_what_the_fast_path_accepts_the_careful_path_accepts_alike(data, draw):
    text = yaml_text(data)
    # Put one plain scalar where a string value was, so the two YAML parsers see the same raw text.
    strings = [p for p in paths(data) if isinstance(parent_of(data, p)[p[-1]], str)]
    if strings and draw.draw(st.booleans()):
        path = draw.draw(st.sampled_from(strings))
        parent_of(data, path)[path[-1]] = "kgsentinel"
        text = yaml_text(data).replace("kgsentinel", draw.draw(st.sampled_from(EDGE_SCALARS)), 1)
    fast = _fast_load(text)
    if fast is None:
        return  # the careful path decides alone (load_record falls back to it)
    try:
        careful = careful_load(text, Path("record.yaml"))  # the path only names the file in problems
    except RecordError as exc:
        raise AssertionError(f"fast path accepted what the careful path refuses: {exc.problems}\n{text}") from None
    assert fast == careful.data
