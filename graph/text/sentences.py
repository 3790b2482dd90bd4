"""Sentences and tagged tokens of the clean text: SoMaJo splits, HanTa tags (both ship their models)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from graph.text.documents import Block, Document


@dataclass
class Token:
    """A token with its clean-text offsets, part-of-speech tag (STTS) and lemma."""

    text: str
    start: int
    end: int
    tag: str = ""
    lemma: str = ""


@dataclass
class Sentence:
    """A sentence of one block, with clean-text offsets."""

    start: int
    end: int
    text: str
    block: Block
    tokens: list[Token] = field(default_factory=list)


@lru_cache(maxsize=1)
def _tokenizer():
    from somajo import SoMaJo

    return SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)


@lru_cache(maxsize=1)
def _tagger():
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


KNOWN_WORD_LOGPROB = -15.0   # HanTa's score of a word in its lexicon; guessed (unknown) words score about -25


def top_tag(word: str) -> tuple[str, float] | None:
    """HanTa's most likely tag of `word` alone and its log probability (a guessed tag scores far lower)."""
    tags = _tagger().tag_word(word)
    return (tags[0][0], float(tags[0][1])) if tags else None


@lru_cache(maxsize=4096)
def common_noun(word: str) -> bool:
    """True when HanTa's lexicon knows `word` as a common noun ('Stelle', 'Wissen'), not as a name
    ('Essen', 'Horst') and not only by guessing from its ending (a village such as 'Eppenschlag')."""
    tag = top_tag(word)
    return tag is not None and tag[0] in ("NN", "NNI") and tag[1] > KNOWN_WORD_LOGPROB


def split(doc: Document, blocks: list[Block], tag: bool = True) -> list[Sentence]:
    """The sentences of `blocks`, tokenised and (unless tag=False) tagged."""
    sentences = []
    texts = [doc.text(b) for b in blocks]
    for block, text in zip(blocks, texts):
        # 'Stadt.Land.Digital' is one name, not three sentences: hide inner dots from the splitter.
        masked = re.sub(r"(?<=[a-zäöüß])\.(?=[A-ZÄÖÜ][a-zäöüß]+\.?[A-ZÄÖÜ]?)", "_", text)
        for tokens in _tokenizer().tokenize_text([masked]):
            if not tokens:
                continue
            first, last = tokens[0].character_offset[0], tokens[-1].character_offset[1]
            start = block.start + first
            words = [Token(text[t.character_offset[0]:t.character_offset[1]], block.start + t.character_offset[0],
                           block.start + t.character_offset[1]) for t in tokens]
            if tag:
                for word, (_, lemma, pos) in zip(words, _tagger().tag_sent([w.text for w in words], taglevel=1)):
                    word.tag, word.lemma = pos, lemma
            sentences.append(Sentence(start, block.start + last, text[first:last], block, words))
    return _join_abbreviation_splits(sentences)


def _join_abbreviation_splits(sentences: list[Sentence]) -> list[Sentence]:
    """Glue sentences that SoMaJo split after 'a. D.', or where no space parts them and the second opens with no
    capital: a sentence ends before a space and a new one opens with a capital, so 'bürger.werkstatt.2022' is one
    name ('Ende.Neuer Satz' may be a missing space and stays split)."""
    out: list[Sentence] = []
    for sentence in sentences:
        if out and out[-1].block is sentence.block and (re.search(r"\b(a\. D|i\. R|ehem)\.$", out[-1].text)
                                                       or (sentence.start == out[-1].end
                                                           and not sentence.text[:1].isupper())):
            previous = out[-1]
            gap = " " * (sentence.start - previous.end)
            out[-1] = Sentence(previous.start, sentence.end, previous.text + gap + sentence.text, previous.block,
                               previous.tokens + sentence.tokens)
        else:
            out.append(sentence)
    return out
