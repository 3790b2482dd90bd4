"""What the extractor found for one event, before it becomes a record (graph/extraction/records.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.extraction.dates import DateMention
from graph.extraction.people import Speaker
from graph.extraction.places import Mention
from graph.extraction.topics import TopicMention
from graph.records.gazetteer import Place


@dataclass
class EventDraft:
    """What the extractor found for one event; spans are clean-text offsets."""

    type: str
    title: str
    title_span: tuple[int, int] | None
    place: Place | None = None
    place_mention: Mention | None = None
    ambiguous: list[Place] = field(default_factory=list)
    state: Place | None = None
    state_span: tuple[int, int] | None = None
    date: DateMention | None = None
    status: str = "held"
    status_span: tuple[int, int] | None = None
    format: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    possible_speakers: list[Speaker] = field(default_factory=list)   # for the review list only
    topics: list[TopicMention] = field(default_factory=list)
    members: list[Place] = field(default_factory=list)
    organisers: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    district: object = None
    working_groups: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    place_voted: bool = False
    date_voted: bool = False

    def take_place_of(self, other: "EventDraft") -> None:
        """Be held where `other` is: its place, the mention that names it, its state and its alternatives."""
        self.place, self.place_mention, self.state, self.ambiguous = (other.place, other.place_mention, other.state,
                                                                      other.ambiguous)
