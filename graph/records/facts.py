"""Deciding on single extracted facts of a draft (issue 14): list them, reject one, reject an event.

A draft (graph/extraction/drafts.py) keeps each extracted fact's evidence next to it: the dict that
holds a value (the report, an event, a speaker) has an `evidence` list of {field, start, end,
confidence, value}. Rejecting a fact removes that value and its evidence from the dict; rejecting a
speaker's name removes the speaker; rejecting an event removes it and renumbers the review items
that point to later events. The draft is edited round-trip (ruamel.yaml), so comments stay.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ruamel.yaml import YAML

from graph.errors import Problem, RecordError

_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
_EVENT_ITEM = re.compile(r"^events\[(\d+)\]")
_SPEAKER = re.compile(r"\.speakers\[\d+\]$")


@dataclass(frozen=True)
class Fact:
    """One extracted fact with its evidence: where it sits, which field, what value, how sure."""

    owner: str         # path of the dict holding it: report, events[0], events[0].talks[1].speakers[0]
    index: int         # its position in that dict's evidence list
    field: str
    value: str
    confidence: float | None
    start: int
    end: int

    @property
    def key(self) -> str:
        """What a form sends to reject it."""
        return f"{self.owner}|{self.index}"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 110   # as drafts are written (graph/extraction/drafts.py), so a decision changes only its lines
    yaml.preserve_quotes = True
    return yaml


def facts(data: dict) -> list[Fact]:
    """Every fact of a loaded draft that has evidence, in the order of the draft."""
    found: list[Fact] = []

    def visit(node, path: str) -> None:
        if isinstance(node, dict):
            for i, entry in enumerate(node.get("evidence") or []):
                if isinstance(entry, dict) and {"field", "start", "end"} <= set(entry):
                    found.append(Fact(path, i, str(entry["field"]), str(entry.get("value", "")),
                                      entry.get("confidence"), entry["start"], entry["end"]))
            for key, value in node.items():
                if key != "evidence" and isinstance(value, (dict, list)):
                    visit(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                visit(item, f"{path}[{i}]")

    visit(data, "")
    return found


def _resolve(data, path: str):
    """The node at a path such as events[0].talks[1].speakers[0]; None if there is none."""
    node = data
    for step in path.split("."):
        match = _STEP.fullmatch(step)
        if not match or not isinstance(node, dict) or match.group(1) not in node:
            return None
        node = node[match.group(1)]
        if match.group(2) is not None:
            i = int(match.group(2))
            if not isinstance(node, list) or i >= len(node):
                return None
            node = node[i]
    return node


def _gone(what: str) -> RecordError:
    return RecordError([Problem(f"{what} gibt es im Entwurf nicht (mehr); Seite neu laden",
                                f"{what} is not (or no longer) in the draft; reload the page", field=what)])


def reject_fact(text: str, key: str) -> str:
    """The draft `text` without the fact `key` (Fact.key) and its evidence.

    :raises RecordError: if the draft has no such fact (it changed meanwhile, or the key is malformed).
    """
    data = _yaml().load(text)
    owner_path, _, index = key.rpartition("|")
    owner = _resolve(data, owner_path)
    if not isinstance(owner, dict) or not index.isdigit() or int(index) >= len(owner.get("evidence") or []):
        raise _gone(key)
    entry = owner["evidence"].pop(int(index))
    if not owner["evidence"]:
        del owner["evidence"]
    field, value = str(entry.get("field")), str(entry.get("value", ""))
    if field == "name" and re.search(r"speakers\[\d+\]$", owner_path):
        talk_path, _, _ = owner_path.rpartition(".")
        talk = _resolve(data, talk_path)
        talk["speakers"].remove(owner)   # a wrong name is a wrong speaker
        if not talk["speakers"] and not talk.get("title"):
            talks_path, _, talk_index = talk_path.rpartition("[")
            talks = _resolve(data, talks_path)
            talks.remove(talk)
            _forget(data, talks_path, int(talk_index.rstrip("]")))
            if not talks:
                del _resolve(data, talks_path.rpartition(".")[0])["talks"]
        else:
            _drop_items(data, talk_path)
        return _dump(data)
    _drop_items(data, f"{owner_path}.{field}")
    # Drafts name a speaker's open items by their talk ('events[0].talks[1].role').
    _drop_items(data, f"{_SPEAKER.sub('', owner_path)}.{field}")
    if isinstance(owner.get(field), list):
        kept = [item for item in owner[field] if _label(item) != value]
        owner[field].clear()
        owner[field].extend(kept)
        if not kept:
            del owner[field]
    elif field in owner and _label(owner[field]) == value:
        del owner[field]
    return _dump(data)


def reject_event(text: str, index: int) -> str:
    """The draft `text` without event `index`; review items about later events are renumbered.

    :raises RecordError: if the draft has no such event.
    """
    data = _yaml().load(text)
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not 0 <= index < len(events):
        raise _gone(f"events[{index}]")
    del events[index]
    _forget(data, "events", index)
    return _dump(data)


def _review_lists(data, path: str):
    """The review lists that may name `path`: the draft's (full paths) and its event's (paths from the event)."""
    yield data.get("review"), path
    match = _EVENT_ITEM.match(path)
    if match and path[match.end():].startswith("."):
        event = _resolve(data, match.group(0))
        if isinstance(event, dict):
            yield event.get("review"), path[match.end() + 1:]


def _drop_items(data, path: str) -> None:
    """Remove the open review items about `path` (the fact is decided: rejected)."""
    for items, prefix in _review_lists(data, path):
        if isinstance(items, list):
            kept = [item for item in items if not _about(str(item), prefix)]
            items.clear()
            items.extend(kept)


def _forget(data, list_path: str, index: int) -> None:
    """After item `index` of the list at `list_path` is removed: drop the review items about it and
    renumber those about later items."""
    for items, prefix in _review_lists(data, f"{list_path}[{index}]"):
        if not isinstance(items, list):
            continue
        base = prefix.rpartition("[")[0]
        pattern = re.compile(re.escape(base) + r"\[(\d+)\]")
        kept = []
        for item in map(str, items):
            match = pattern.match(item)
            if match and int(match.group(1)) == index:
                continue
            if match and int(match.group(1)) > index:
                item = f"{base}[{int(match.group(1)) - 1}]{item[match.end():]}"
            kept.append(item)
        items.clear()
        items.extend(kept)


def _about(item: str, path: str) -> bool:
    """Whether review item `item` ('events[0].date', 'type: Workshop (0.52) – …') is about `path`."""
    return item == path or item.startswith((f"{path}.", f"{path}:", f"{path}["))


def _label(item) -> str:
    """The text a value is shown by: itself, or its name or label."""
    if isinstance(item, dict):
        return str(item.get("name") or item.get("label") or "")
    return str(item)


def _dump(data) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()
