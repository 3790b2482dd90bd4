"""Topics that reports name in their own words, learned from the annotated corpus (issue 12).

The scheme's labels (topics.TopicFinder) find a topic only where the text uses its word. Real reports say
"60 Bürgerinnen und Bürger haben mitgewirkt" where annotators record Bürgerbeteiligung, and name the fields a
strategy covers (Mobilität, Tourismus, Gesundheit) that the scheme does not know. Two parts, both fitted on the
training texts with a fixed seed and saved as plain arrays next to the tagger (no pickle, nothing downloaded):

- **themes**: candidate labels learned by keyphraseness (lexicon.py): "Mobilität" is recorded where it is named,
  "Verwaltung" is not. An event's text that names one gets it as a
  candidate topic, for the steward to accept into the scheme or drop.
- **concepts**: one logistic regression per concept of the scheme over character n-grams of the text (n-grams,
  because German compounds and inflections share them). A concept the rules missed is added when its
  probability reaches PROBABILITY; the evidence points at the event's first sentence, and the fact keeps the
  probability as its raw confidence, so that it lands on the review list unless the calibration trusts it.

The themes are trained by default (`make model`): a theme is a word that annotators record where a text names it
("Mobilität" in 28 of the 32 dev texts that name it). The concepts are experimental, off by default:
`python -m graph.extraction.train --topic-model` trains them, and `python -m tests.extraction.evaluate --cv-dev
--learned-topics` scores them. Cross-validated on the development texts with folds by publisher, themes and concepts
together raised topic F1 from .326 to .424; on the test split (publishers that are in no training text) they lowered
it from .41 to .38 (precision .55 -> .41, recall .32 -> .36), so the concepts do not generalise yet.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rdflib import URIRef

from graph.errors import ModelError
from graph.extraction import lexicon
from graph.extraction.topics import TopicMention

MODEL_FILE = "topic-model.npz"
# A concept needs this many training texts that record it before a model for it is fitted.
MIN_CONCEPT_TEXTS = 5
PROBABILITY = 0.5
# Shorter event texts (one list item, one paragraph of a digest) get no guessed concepts: on them the regressions
# of rare concepts sit near PROBABILITY whatever the words (the old corpus's digests got IT-Sicherheit and
# Breitband for a workshop on an intranet); dev-CV topic F1 is the same with and without this floor (.426/.424).
MIN_CHARS = 400
NGRAMS = (4, 6)
SEED = 12


@dataclass
class Example:
    """One training text: its clean text, the concept IRIs and the candidate labels its annotation records."""

    text: str
    concepts: set[str]
    themes: set[str]


class TopicModel:
    """The learned themes and concept classifiers (see the module docstring)."""

    def __init__(self, themes: list[str], concepts: list[str], vocabulary: list[str], idf: np.ndarray,
                 coef: np.ndarray, intercept: np.ndarray):
        self.themes = themes
        self.theme_lexicon = lexicon.Lexicon(themes)
        self.concepts = concepts
        self.coef, self.intercept = coef, intercept
        self.vectorizer = None
        if concepts:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                              vocabulary={gram: i for i, gram in enumerate(vocabulary)})
            self.vectorizer.idf_ = idf

    def found_themes(self, text: str) -> list[tuple[str, int, int]]:
        """(label, start, end) of every learned theme that `text` names, first mention each."""
        return self.theme_lexicon.found(text)

    def probabilities(self, text: str) -> dict[str, float]:
        """Each modelled concept's probability for `text`."""
        if self.vectorizer is None or not text.strip():
            return {}
        scores = self.vectorizer.transform([text]) @ self.coef.T + self.intercept
        return {c: float(p) for c, p in zip(self.concepts, 1 / (1 + np.exp(-np.asarray(scores).ravel())))}

    def likely_concepts(self, text: str) -> list[tuple[str, float]]:
        """Concepts whose probability reaches PROBABILITY, most probable first."""
        if len(text) < MIN_CHARS:
            return []
        found = [(c, p) for c, p in self.probabilities(text).items() if p >= PROBABILITY]
        return sorted(found, key=lambda item: -item[1])

    def save(self, model_dir: Path) -> None:
        """Write the model to model_dir/topic-model.npz (numpy arrays only, loadable without pickle)."""
        model_dir.mkdir(parents=True, exist_ok=True)
        vocabulary = sorted(self.vectorizer.vocabulary, key=self.vectorizer.vocabulary.get) if self.vectorizer else []
        np.savez_compressed(model_dir / MODEL_FILE, themes=np.array(self.themes, dtype=str),
                            concepts=np.array(self.concepts, dtype=str), vocabulary=np.array(vocabulary, dtype=str),
                            idf=self.vectorizer.idf_ if self.vectorizer else np.zeros(0), coef=self.coef,
                            intercept=self.intercept)

    @classmethod
    def load(cls, model_dir: Path | None) -> "TopicModel | None":
        """The saved model, or None when there is none (the scheme's labels decide alone)."""
        path = model_dir / MODEL_FILE if model_dir is not None else None
        if path is None or not path.exists():
            return None
        try:
            # Opened here, not by np.load: np.load leaks its file handle when the archive is broken.
            with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as data:
                return cls([str(t) for t in data["themes"]], [str(c) for c in data["concepts"]],
                           [str(g) for g in data["vocabulary"]], data["idf"],
                           data["coef"], data["intercept"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
            raise ModelError(f"{path} is unreadable ({type(exc).__name__}); run `python -m graph.extraction.train "
                             "--topic-model` again or delete it") from None


def learned_topics(model: TopicModel, sentences: list, index) -> list:
    """The model's topics of one event's sentences (headings and body): themes where a sentence names them,
    likely concepts with the first sentence as their evidence."""
    found = []
    for sentence in sentences:
        for theme, start, end in model.found_themes(sentence.text):
            found.append(TopicMention(sentence.start + start, sentence.start + end, None, theme, True))
    if sentences:
        first = sentences[0]
        text = " ".join(s.text for s in sentences)
        for concept, probability in model.likely_concepts(text):
            iri = URIRef(concept)
            found.append(TopicMention(first.start, first.end, iri, index.label(iri), probability=probability))
    return found


def fit(examples: list[Example]) -> TopicModel:
    """Themes by keyphraseness and one regression per frequent concept, with a fixed seed."""
    return TopicModel(_themes(examples), *_concept_models(examples))


def fit_themes(examples: list[Example]) -> TopicModel:
    """The themes alone, without concept regressions (what `make model` trains; see the module docstring)."""
    return TopicModel(_themes(examples), [], [], np.zeros(0), np.zeros((0, 0)), np.zeros(0))


def _themes(examples: list[Example]) -> list[str]:
    return lexicon.fit([lexicon.Example(e.text, e.themes) for e in examples]).names


def _concept_models(examples: list[Example]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(c for e in examples for c in e.concepts)
    concepts = sorted(c for c, n in counts.items() if MIN_CONCEPT_TEXTS <= n < len(examples))
    if not concepts:
        return [], [], np.zeros(0), np.zeros((0, 0)), np.zeros(0)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, min_df=2, sublinear_tf=True)
    matrix = vectorizer.fit_transform([e.text for e in examples])
    coef, intercept = [], []
    for concept in concepts:
        labels = np.array([concept in e.concepts for e in examples])
        model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000, random_state=SEED)
        model.fit(matrix, labels)
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return (concepts, vocabulary, vectorizer.idf_.astype(np.float32), np.array(coef, dtype=np.float32),
            np.array(intercept, dtype=np.float32))
