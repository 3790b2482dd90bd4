"""One event reported under several headings is one event: merging the drafts of a page."""

from __future__ import annotations

from graph.extraction.dates import DateMention
from graph.extraction.topics import unique_topics


def merge(drafts: list) -> list:
    """One event reported under several headings is one event: drafts with the same place whose dates agree
    (or one has none) are merged into the first, which keeps its title and gains the other's facts."""
    out: list = []
    for draft in drafts:
        same = next((d for d in out if d.place is not None and draft.place is not None
                     and d.place.key == draft.place.key and d.place.category == draft.place.category
                     and _same_time(d.date, draft.date)), None)
        if same is None:
            out.append(draft)
            continue
        _absorb(same, draft)
    return _join_district_into_town(_join_state_and_venue(out))


def _join_district_into_town(drafts: list) -> list:
    """An undated draft for a district, of the same kind as an earlier draft in one of the district's towns, tells
    that event again: a later section names the district around the town ('das Forum' in a greeting of the
    'Region Fulda' under a report of Eichenzell's forum). The town's draft keeps the facts of both."""
    out = list(drafts)
    for district in [d for d in drafts if d.place is not None and d.place.category == "district" and d.date is None]:
        town = next((d for d in out[:out.index(district)] if d.place is not None
                     and d.place.district_key == district.place.key and _same_kind(d.type, district.type)), None)
        if town is not None:
            _absorb(town, district)
            out.remove(district)
    return out


def _join_state_and_venue(drafts: list) -> list:
    """A state-wide event and a draft of the same kind in a town of that state whose days do not disagree are one
    event told twice: the state's meeting and the town it met in ('Viertes Thüringer Netzwerktreffen' and, further
    down, 'in diesen Treffen' next to the host town). The state's draft keeps the facts of both."""
    out = list(drafts)
    for state in [d for d in drafts if d.place is not None and d.place.category == "state"]:
        for venue in [d for d in out if d is not state and d.place is not None and d.place.category != "state"
                      and d.place.state_key == state.place.key and _same_kind(state.type, d.type)
                      and (_same_time(state.date, d.date) or state.date is d.date is None)]:
            _absorb(state, venue)
            out.remove(venue)
    return out


def _same_kind(first: str, second: str) -> bool:
    """Kinds of one event: equal, one the head of the other ('Netzwerktreffen', 'Treffen'), or one unnamed."""
    first, second = first.casefold(), second.casefold()
    return "veranstaltung" in (first, second) or first.endswith(second) or second.endswith(first)


def _absorb(same, draft) -> None:
    """`same` gains `draft`'s facts: a more precise date, a named kind, speakers, topics and the listed fields."""
    if draft.date is not None and (same.date is None or draft.date.precision > same.date.precision):
        same.date, same.status, same.status_span = draft.date, draft.status, draft.status_span
    if same.type == "Veranstaltung":
        same.type = draft.type
    names = {s.name for s in same.speakers}
    same.speakers += [s for s in draft.speakers if s.name not in names]
    same.topics = unique_topics(same.topics + draft.topics)
    for key in ("organisers", "participants", "working_groups", "outcomes"):
        values = {f.value for f in getattr(same, key)}
        getattr(same, key).extend(f for f in getattr(draft, key) if f.value not in values)
    same.district = same.district or draft.district


def _same_time(first: DateMention | None, second: DateMention | None) -> bool:
    """Dates of one event: equal, one a coarser form of the other ('2025' and '2025-12-11'), or only one given.
    Two undated drafts stay apart: a report of two undated workshops in one village has two events."""
    if first is None or second is None:
        return (first is None) != (second is None)
    return first.value.startswith(second.value) or second.value.startswith(first.value)
