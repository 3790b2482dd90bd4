"""A statistical span tagger (spaCy's blank German pipeline with an NER component) trained on the corpus.

Labels: PER (a speaker), ORG (a speaker's organisation or an organiser), ROLE (a speaker's role), LOC_EVENT (the
place an event is for), DATE_EVENT (an event's date). Training spans are weak labels: the annotation's values
found again in the text (exact, else fuzzy with rapidfuzz). The model is built by `make` with a fixed seed into
var/ and never downloaded; without it the extractor uses its rules alone.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from graph.settings import CHECKOUT
from graph.extraction.dates import find_dates
from graph.text.documents import Document

MODEL_DIR = CHECKOUT / "var" / "extraction-model"
LABELS = ("PER", "ORG", "ROLE", "LOC_EVENT", "DATE_EVENT")
SEED = 12


@dataclass
class Entity:
    """A tagged span in a document's clean text."""

    start: int
    end: int
    label: str
    text: str


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    """Spans of `value` in `text`: every whole-word exact match, else the best fuzzy match (inflected forms)."""
    value = re.sub(r"\s+", " ", value).strip()
    if len(value) < 3:
        return []
    spans = [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text)]
    if spans or len(value) < 6:
        return spans
    found = fuzz.partial_ratio_alignment(value, text, score_cutoff=87)
    if found is None:
        return []
    start, end = found.dest_start, found.dest_end
    # Snap to whole words: an inflected ending ('Landkreistags') belongs to the span.
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return [(start, end)] if text[start:end].strip() else []


def _name(value) -> str:
    return value if isinstance(value, str) else (value.get("name") or value.get("label") or "")


def weak_spans(doc: Document, annotation: dict) -> list[tuple[int, int, str]]:
    """Labelled clean-text spans derived from an annotation (overlaps resolved later, longest first)."""
    text, spans = doc.clean, []
    published = annotation.get("published")
    for event in annotation.get("events") or []:
        place = _name(event.get("municipality") or "")
        for start, end in _occurrences(text, place):
            spans.append((start, end, "LOC_EVENT"))
        speakers = list(event.get("speakers") or []) + [s for t in event.get("talks") or [] for s in t.get("speakers", [])]
        for speaker in speakers:
            for key, label in (("name", "PER"), ("organisation", "ORG"), ("role", "ROLE")):
                if speaker.get(key):
                    spans += [(s, e, label) for s, e in _occurrences(text, speaker[key])]
        for organiser in event.get("organisers") or []:
            spans += [(s, e, "ORG") for s, e in _occurrences(text, _name(organiser))]
        if event.get("date"):
            value = str(event["date"])
            reference = _as_date(published)
            for mention in find_dates(text, 0, reference, int(value[:4])):
                if mention.value == value and mention.role == "event":
                    spans.append((mention.start, mention.end, "DATE_EVENT"))
    return spans


def _as_date(value):
    import datetime as dt
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _blocks(doc: Document) -> list[tuple[int, str]]:
    """(offset, text) of each block: the unit the tagger reads (short, so training and tagging stay fast)."""
    return [(b.start, doc.text(b)) for b in doc.blocks if b.end > b.start]


def training_examples(nlp, pairs: list[tuple[Document, dict]]):
    """SpaCy Examples, one per block, with the weak labels as entities."""
    from spacy.training import Example
    from spacy.util import filter_spans

    examples = []
    for doc, annotation in pairs:
        spans = weak_spans(doc, annotation)
        for offset, text in _blocks(doc):
            predicted = nlp.make_doc(text)
            inside = []
            for start, end, label in spans:
                if offset <= start and end <= offset + len(text):
                    span = predicted.char_span(start - offset, end - offset, label=label, alignment_mode="expand")
                    if span is not None:
                        inside.append(span)
            reference = predicted.copy()
            reference.ents = filter_spans(inside)
            examples.append(Example(predicted, reference))
    return examples


def train(pairs: list[tuple[Document, dict]], out: Path | None = None, epochs: int = 15, seed: int = SEED):
    """Train the tagger on (document, annotation) pairs with a fixed seed; save it to `out` when given."""
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("de")
    ner = nlp.add_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    examples = training_examples(nlp, pairs)
    optimizer = nlp.initialize(lambda: examples)
    shuffler = random.Random(seed)
    for _ in range(epochs):
        shuffler.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(out)
    return nlp


def load(path: Path = MODEL_DIR):
    """The trained tagger at `path`, or None when it was not built."""
    if not (path / "meta.json").exists():
        return None
    import spacy

    return spacy.load(path)


def tag(nlp, doc: Document) -> list[Entity]:
    """The tagger's entities in `doc`, with clean-text offsets."""
    blocks = _blocks(doc)
    entities = []
    for (offset, _), tagged in zip(blocks, nlp.pipe(text for _, text in blocks)):
        entities += [Entity(offset + e.start_char, offset + e.end_char, e.label_, e.text) for e in tagged.ents]
    return entities
