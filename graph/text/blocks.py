"""The clean text of a report: its blocks (paragraphs, headings, items, table rows), and the builder that collects
them with the source offset of every character. Readers for each format are in documents.py and html_reader.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Block:
    """A paragraph, heading or list item of the clean text (offsets into Document.clean)."""

    start: int
    end: int
    kind: str = "paragraph"              # heading, paragraph, item
    furniture: str | None = None         # why the block is not report content
    row: bool = False                    # a table's row: its cells are kept apart by ' | ', not a menu


@dataclass
class Document:
    """A decoded report: its original text, the clean text and a map from clean to original offsets."""

    path: Path
    source: str
    format: str
    clean: str = ""
    index: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def text(self, block: Block) -> str:
        """The clean text of a block."""
        return self.clean[block.start:block.end]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original file of the clean text between start and end."""
        end = max(end, start + 1)
        return self.index[start], self.index[end - 1] + 1

    def clean_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The clean-text span whose characters came from source[start:end], or None."""
        inside = [i for i, j in enumerate(self.index) if start <= j < end]
        return (inside[0], inside[-1] + 1) if inside else None


class Builder:
    """Collects (character, source offset) pairs into blocks."""

    def __init__(self, doc: Document):
        self.doc, self.chars, self.offsets, self.kind = doc, [], [], "paragraph"
        self.row = False

    def add(self, text: str, offsets: list[int]) -> None:
        """Append `text`, each character with the source offset it came from."""
        self.chars.extend(text)
        self.offsets.extend(offsets)

    def end_block(self, kind: str | None = None) -> None:
        """Close the block being built (of `kind`, else the builder's kind); an empty one is dropped."""
        text = "".join(self.chars)
        lead = len(text) - len(text.lstrip())
        body = re.sub(r"\s+", " ", text.strip())
        if body:
            # Collapse white space but keep each kept character's source offset.
            kept, offsets, previous_space = [], [], False
            for ch, off in zip(text[lead:], self.offsets[lead:]):
                space = ch.isspace()
                if space and previous_space:
                    continue
                kept.append(" " if space else ch)
                offsets.append(off)
                previous_space = space
            while kept and kept[-1] == " ":
                kept.pop()
                offsets.pop()
            if self.doc.clean:
                self.doc.clean += "\n\n"
                self.doc.index += [self.doc.index[-1]] * 2
            start = len(self.doc.clean)
            self.doc.clean += "".join(kept)
            self.doc.index += offsets
            self.doc.blocks.append(Block(start, len(self.doc.clean), kind or self.kind, row=self.row))
        self.chars, self.offsets, self.kind, self.row = [], [], "paragraph", False
