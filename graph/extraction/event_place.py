"""Which of a section's place mentions is the place the event is *for*: a logistic regression over mention features.

Real reports name many places: the venue town, a speaker's home town, a partner's seat, the press office of the
dateline, the district around the municipality. Hand-set scores (places.PlaceFinder) get the typical cases; the
classifier learns from the annotated corpus how much each clue weighs (position, the words before and after,
the kind of place, how often and how early it is named, whether the sentence names the event and its date).

Experimental, off by default: `python -m graph.extraction.train --place-classifier` trains it with a fixed seed
and saves plain JSON weights next to the tagger (no pickle, nothing downloaded); the extractor uses it when the
file is there, else the hand-set scores decide (as after `make model`). `python -m tests.extraction.evaluate
--cv-dev --learned-place` scores it by 3-fold cross-validation: dev municipality F1 .683 -> .711, but the old
held-out texts fall below the regression test's target (2 of 9 texts get a wrong place), so it is not shown to
generalise yet.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from graph.extraction.places import DECOY_BEFORE, HOST_VERBS, VENUE_BEFORE, Mention
from graph.records.gazetteer import normalise
from graph.text.sentences import Sentence

MODEL_FILE = "place-classifier.json"
# Word features seen fewer times than this in training are dropped: with a few hundred texts, a rare word
# would only memorise one text.
MIN_COUNT = 3
_WORD = re.compile(r"[\wÄÖÜäöüß]+|[^\s\w]")
_DATE_LIKE = re.compile(r"\b\d{1,2}\.\s*(?:\d{1,2}\.|[A-ZÄÖÜ][a-zä]+)|\b(19|20)\d{2}\b")


@dataclass
class Located:
    """A mention with the sentence it was found in (heading or body) and that sentence's place in the section."""

    mention: Mention
    sentence: Sentence
    heading: bool
    index: int          # body sentence number (0 = first), -1 for headings
    rule_score: float   # the hand-set score before the tagger's vote
    statewide: bool = False   # the state named by a state-wide cue (scope.statewide), not a mention of its own


def place_key(mention: Mention) -> str:
    """One key per resolved name, so that repeated mentions of a place count together."""
    return normalise(mention.candidates[0].name) if mention.candidates else normalise(mention.text)


@dataclass
class Context:
    """What the whole document says: its clean text, the states it names, the event-noun pattern."""

    text: str
    states: set[str]
    trigger: re.Pattern


def features(item: Located, section: list[Located], context: Context) -> dict[str, float]:
    """The clues about one mention, as named numeric features."""
    m, sentence, trigger = item.mention, item.sentence.text, context.trigger
    before = sentence[:max(0, m.start - item.sentence.start)]
    after = sentence[m.end - item.sentence.start:]
    words_before = _WORD.findall(before)[-2:]
    words_after = _WORD.findall(after)[:1]
    place = m.candidates[0] if m.candidates else None
    out: dict[str, float] = {
        "rule": max(-5.0, min(item.rule_score, 25.0)) / 5,
        "rule_negative": float(item.rule_score <= 0),
        "heading": float(item.heading),
        "first_sentence": float(item.index == 0),
        "late_sentence": float(item.index >= 3),
        "sentence_start": float(not before.strip()),
        "dateline": float(not before.strip() and bool(re.match(r"\s*[.,(/–-]", after))),
        "ambiguous": float(len(m.candidates) > 1),
        "members": float(bool(m.members)),
        "statewide": float(item.statewide),
        "decoy_before": float(bool(DECOY_BEFORE.search(before[-45:]))),
        "venue_before": float(bool(VENUE_BEFORE.search(before[-45:]))),
        "in_before": float(bool(re.search(r"\b(in|im|nach)\s+(der\s+|dem\s+)?$", before))),
        "host_verb": float(bool(HOST_VERBS.search(sentence))),
        "event_sentence": float(bool(trigger.search(sentence))),
        "date_sentence": float(bool(_DATE_LIKE.search(sentence))),
        "short_name": float(len(m.text) <= 4),
        # A place name that is also a common word ('Acht', 'Welt', 'Wissen') is tagged as a noun, not a name.
        f"pos={_tag(item.sentence, m.start)}": 1.0,
        "state_named": float(bool(place and place.state_key in context.states)),
        "other_state_named": float(bool(place and context.states and place.state_key not in context.states)),
        "doc_count": math.log1p(len(re.findall(rf"(?<!\w){re.escape(m.text)}(?!\w)", context.text))),
        f"kind={m.kind or 'none'}": 1.0,
        f"category={place.category if place else 'none'}": 1.0,
    }
    for n, word in enumerate(reversed(words_before), 1):
        out[f"before{n}={word.casefold()}"] = 1.0
    for word in words_after:
        out[f"after1={word.casefold()}"] = 1.0
    near = [abs(t.start() - (m.start - item.sentence.start)) for t in trigger.finditer(sentence)]
    if near:
        out["event_noun_near"] = float(min(near) < 60)
    out.update(_section_features(item, section))
    return out


def _tag(sentence: Sentence, start: int) -> str:
    """The part-of-speech tag (STTS) of the token where the mention starts ('none' when untagged)."""
    return next((t.tag for t in sentence.tokens if t.start <= start < t.end), "") or "none"


def _section_features(item: Located, section: list[Located]) -> dict[str, float]:
    """How often and how early the place is named in the section, and how it relates to the other places."""
    key = place_key(item.mention)
    keys = [place_key(other.mention) for other in section]
    order = list(dict.fromkeys(keys))
    count = keys.count(key)
    place = item.mention.candidates[0] if item.mention.candidates else None
    others = [c for other in section if place_key(other.mention) != key for c in other.mention.candidates]
    top = max(other.rule_score for other in section)
    return {
        # The hand-set score relative to the section's best: a pointwise model cannot compare siblings otherwise.
        "rule_best": float(item.rule_score >= top),
        "rule_gap": min(top - item.rule_score, 25.0) / 5,
        "count": math.log1p(count),
        "most_frequent": float(count == max(keys.count(k) for k in order)),
        "first_named": float(order.index(key) == 0),
        "named_in_heading": float(any(o.heading for o in section if place_key(o.mention) == key)),
        "only_place": float(len(order) == 1),
        # The district around a municipality also named (or the municipality inside a named district).
        "contains_other": float(bool(place) and any(c.district_key == place.key for c in others)),
        "inside_other": float(bool(place) and any(place.district_key == c.key for c in others if c.category == "district")),
    }


class PlaceClassifier:
    """Logistic-regression weights over named features; scores a mention as the event's place."""

    def __init__(self, weights: dict[str, float], intercept: float):
        self.weights, self.intercept = weights, intercept

    def logit(self, feats: dict[str, float]) -> float:
        """The log-odds that the mention is the event's place."""
        return self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in feats.items())

    @classmethod
    def load(cls, model_dir: Path | None) -> "PlaceClassifier | None":
        """The classifier saved with the model, or None (the hand-set scores decide)."""
        path = model_dir / MODEL_FILE if model_dir is not None else None
        if path is None or not path.exists():
            return None
        data = json.loads(path.read_text("utf-8"))
        return cls(data["weights"], data["intercept"])

    def save(self, model_dir: Path) -> None:
        """Write the weights as JSON (sorted, so the same training gives the same file)."""
        model_dir.mkdir(parents=True, exist_ok=True)
        data = {"intercept": self.intercept, "weights": dict(sorted(self.weights.items()))}
        (model_dir / MODEL_FILE).write_text(json.dumps(data, indent=1), "utf-8")


def fit(samples: list[tuple[dict[str, float], bool]], strength: float = 1.0) -> PlaceClassifier:
    """An L2-regularised logistic regression over (features, is the event's place) samples; deterministic."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen: dict[str, int] = {}
    for feats, _ in samples:
        for name in feats:
            seen[name] = seen.get(name, 0) + 1
    kept = [{k: v for k, v in feats.items() if "=" not in k or seen[k] >= MIN_COUNT} for feats, _ in samples]
    labels = [bool(label) for _, label in samples]
    if len(set(labels)) < 2:
        return PlaceClassifier({}, 0.0)
    vectoriser = DictVectorizer(sparse=True)
    matrix = vectoriser.fit_transform(kept)
    model = LogisticRegression(C=strength, max_iter=2000, random_state=12)
    model.fit(matrix, labels)
    names = vectoriser.get_feature_names_out()
    return PlaceClassifier({str(n): round(float(w), 6) for n, w in zip(names, model.coef_[0]) if w},
                           round(float(model.intercept_[0]), 6))


def is_gold(mention: Mention, gold: set[str]) -> bool:
    """True when one of the mention's places is an annotated event place (compared as the scorer compares)."""
    return any(normalise(p.name) in gold for p in mention.candidates)


VOTE_WEIGHT = 1.0   # log-odds added when the tagger marks a mention of the place as the event's place (dev-CV: 1 > 2 > 4)


@dataclass
class Candidate:
    """One place of a section: its mentions' features merged, the mention that stands for it, the tagger's vote."""

    features: dict[str, float]
    mention: Mention
    voted: bool


def candidates(located: list[Located], context: Context) -> list[Candidate]:
    """The section's places, each with the features of its mentions merged (a clue counts if any mention has it;
    'always_decoy' if every mention is a decoy), in order of first mention."""
    out: dict[str, Candidate] = {}
    for item in (i for i in located if i.mention.candidates):
        feats = features(item, located, context)
        feats["always_decoy"] = feats["decoy_before"]
        voted = item.mention.score > item.rule_score
        known = out.get(place_key(item.mention))
        if known is None:
            out[place_key(item.mention)] = Candidate(feats, item.mention, voted)
            continue
        merged = {name: max(value, known.features.get(name, value)) for name, value in feats.items()}
        merged.update({name: value for name, value in known.features.items() if name not in feats})
        merged["always_decoy"] = min(feats["always_decoy"], known.features["always_decoy"])
        known.features, known.voted = merged, known.voted or voted
        if item.mention.score > known.mention.score:
            known.mention = item.mention
    return list(out.values())


def decide(classifier: PlaceClassifier | None, located: list[Located], context: Context,
           mention: Mention | None, places: list, recorder: list | None = None):
    """The event's mention and places: the rules' choice, re-ranked by the classifier when there is one.

    The rules still decide *whether* a section has a place at all (mention None), so the number of events is
    theirs; the classifier decides *which* of the section's places it is. A list of municipalities holding the
    event together stays the rules' choice: the guidelines name its first member as the event's place.
    """
    if recorder is None and (classifier is None or mention is None or mention.members):
        return mention, places
    found = candidates(located, context)
    if recorder is not None:
        recorder.append([(c.features, c.mention) for c in found])
    if classifier is None or mention is None or mention.members or not found:
        return mention, places
    best = max(found, key=lambda c: (classifier.logit(c.features) + (VOTE_WEIGHT if c.voted else 0.0),
                                     -c.mention.start))
    if place_key(best.mention) == place_key(mention):
        return mention, places
    return best.mention, list(best.mention.candidates)


# 'Kottweiler-Schwanden. Die Gemeinde setzt ihre Reihe fort': a dateline town that the next sentence goes on about.
ITSELF = re.compile(r"\s*(?:Die|Unsere)\s+(?:Orts|Verbands|Samt)?(?:[Gg]emeinde|Stadt|Kommune)\b(?!\s+[A-ZÄÖÜ])")


def dateline_of_itself(item: Located, body: list[Sentence]) -> bool:
    """True for a dateline's town (a sentence of its name alone) when the next sentence is about that town itself:
    in a local paper the dateline is then the municipality, not a press office's seat."""
    if item.heading or not 0 <= item.index < len(body) - 1:
        return False
    alone = item.sentence.text.strip().rstrip(".,:")
    return alone == item.mention.text and bool(ITSELF.match(body[item.index + 1].text))
