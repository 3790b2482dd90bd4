"""The extractor: one report file in, one draft record (a dict in the record format) out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from graph.settings import current
from graph.extraction.confidence import Calibration
from graph.extraction.dates import find_dates
from graph.extraction.page_dates import (GivenPublication, address_publication, given_publication, publication,
                                         weekday_year)
from graph.extraction.sections import TRIGGER
from graph.extraction.event_place import PlaceClassifier
from graph.extraction.events import EventExtractor
from graph.extraction.people import PeopleFinder
from graph.extraction.places import PlaceFinder
from graph.extraction.records import record
from graph.extraction.tagger import MODEL_DIR, load, tag
from graph.text.documents import Document, load_document
from graph.text.page_meta import PageMeta, read_page_meta
from graph.extraction.lexicon import ORGANISERS_FILE, Lexicon
from graph.extraction.topic_model import TopicModel
from graph.extraction.topics import TopicFinder
from graph.checks.ontology import load_ontology
from graph.records.gazetteer import load_gazetteer
from graph.mapping.topics import TopicIndex


class Extractor:
    """Drafts records from report texts with the project's gazetteer and topic scheme."""

    def __init__(self, reference_dir: Path | None = None, ontology_dir: Path | None = None,
                 model_dir: Path | None = MODEL_DIR, today: dt.date | None = None):
        """`model_dir` is the trained tagger (built by `make`); None or a missing model means rules alone.
        `today` (default: the clock's) bounds the year of a page that writes none (page_dates.weekday_year)."""
        self.today = today
        self.tagger = load(model_dir) if model_dir is not None else None
        self.calibration = Calibration.load(model_dir) if self.tagger is not None else Calibration()
        self.gazetteer = load_gazetteer(reference_dir or current().reference_dir)
        ontology = load_ontology(ontology_dir or current().ontology_dir)
        self.places = PlaceFinder(self.gazetteer)
        self.events = EventExtractor(self.places, PeopleFinder(self.gazetteer),
                                     TopicFinder(ontology, TopicIndex.from_graph(ontology)))
        self.events.place_model = PlaceClassifier.load(model_dir)
        self.events.topic_model = TopicModel.load(model_dir)
        self.events.organisers = Lexicon.load(model_dir / ORGANISERS_FILE if model_dir is not None else None)

    @property
    def has_municipality_list(self) -> bool:
        """True when data/reference/gazetteer.csv was imported."""
        return bool(self.gazetteer.municipalities)

    def extract(self, path: Path, out_dir: Path | None = None, publisher: str | None = None,
                published: str | None = None, source: str | None = None) -> dict:
        """The draft record of the report at `path`; report.text is relative to `out_dir`. `published`
        ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY') is the page's date when the steward knows it from outside the text;
        it dates the days written without a year and tells held from planned events. `source` is the page's
        web address: the record's report.source, and its date when the page gives none.

        :raises ReportParseError: if the file cannot be read or holds no readable text.
        :raises ValueError: if `published` is no such date.
        """
        known = given_publication(published) if published else None
        doc = load_document(path)
        return self.extract_document(doc, out_dir, publisher, known, source)

    def extract_document(self, doc: Document, out_dir: Path | None = None, publisher: str | None = None,
                         published: GivenPublication | None = None, source: str | None = None) -> dict:
        """The draft record of an already loaded document; `published` is the steward's date for the page,
        `source` its address."""
        context_year = _context_year(doc.clean) or weekday_year(doc.clean, self.today or dt.date.today())
        lines = [(doc.text(b), b.furniture, b.start) for b in doc.blocks[:12]] + [
            (doc.text(b), b.furniture, b.start) for b in doc.blocks if b.furniture in ("published", "credit")]
        # The page's own publication line is found even when the steward gave the date: it dates no event.
        mention = publication(lines, context_year, TRIGGER)
        meta = read_page_meta(doc.source, self.today) if doc.format == "html" else PageMeta()
        address = source or meta.address
        if published is None and (mention is not None or meta.published):
            # the date line the reader sees, else the one the page's markup gives search engines
            value = mention.value if mention is not None else meta.published
            day = dt.date.fromisoformat(value)
            published = GivenPublication(day, day, value)
        elif published is None:
            published = address_publication(address)   # '/2019/06/03/': where the CMS filed the page
        # A month or a year dates the days written without a year, but no 'gestern'; and an event of the same
        # month is held or planned as the text's own tense says (_status_from).
        day = published.day if published else None
        year = published.first.year if published else context_year
        entities = tag(self.tagger, doc) if self.tagger is not None else []
        drafts = self.events.events(doc, day, year, entities, mention)
        if published is not None and day is None:
            _status_from(published, drafts)
        return record(doc, drafts, out_dir, (publisher, None) if publisher else _publisher(doc),
                      published.value if published else None, _title(doc), self.calibration, address)


def _status_from(published: GivenPublication, drafts: list) -> None:
    """Held or planned by the publication's month or year, where the event's date lies wholly on one side."""
    for draft in drafts:
        side = published.places(draft.date.value) if draft.date is not None else None
        if side is not None and side != draft.status:
            draft.status, draft.status_span = side, (draft.date.start, draft.date.end)


def _context_year(text: str) -> int | None:
    """The year that days without one belong to when the page gives no publication date: that of the
    first date written with its year, else the first year named (a project title's 'Vision 2030' or an
    'im Jahr 2030' would otherwise date every day of the page)."""
    written = [d for d in find_dates(text, 0, None, None) if d.precision >= 7]
    if written:
        return int(written[0].value[:4])
    for year in re.finditer(r"\b(19|20)\d{2}\b", text):
        if not _target_year(text, year):
            return int(year.group(0))
    return None


# A year a page looks ahead to: 'bis 2030', 'Vision 2030', or asked about ('… im Jahr 2030?'). It dates no day.
TARGET_BEFORE = re.compile(r"(?:\bbis\s+(?:zum\s+|ins\s+)?(?:Jahr\s+)?|\b(?:Vision|Agenda|Strategie|Zielbild|Horizont)\s+)$",
                           re.I)


def _target_year(text: str, year: re.Match) -> bool:
    if TARGET_BEFORE.search(text[max(0, year.start() - 24):year.start()]):
        return True
    end = re.search(r"[.!?\n]", text[year.end():])
    return end is not None and end.group(0) == "?"


def _publisher(doc: Document) -> tuple[str, tuple[int, int]] | None:
    """The publisher from a '© Name' credit line, if the page has one."""
    for block in doc.blocks:
        text = doc.text(block)
        match = re.match(r"^(?:©|\(c\)|Copyright)\s*(?:\d{4}\s*)?(?P<name>[^|·,]{2,80}?)\s*(?:[|·,].*)?$", text, re.I)
        if match and block.furniture == "credit":
            start = block.start + match.start("name")
            return match.group("name").strip(), (start, start + len(match.group("name").strip()))
    return None


def _title(doc: Document) -> tuple[str, tuple[int, int]] | None:
    """The report's title: its first heading."""
    for block in doc.blocks:
        if block.kind == "heading" and not block.furniture:
            text = doc.text(block)
            return text, (block.start, block.end)
    return None
