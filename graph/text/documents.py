"""Report files (plain text, HTML, Markdown) to clean text blocks that remember where each character came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.entities import name2codepoint
from html.parser import HTMLParser
from pathlib import Path

from graph.errors import ReportParseError

MAX_BYTES = 5_000_000
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
# Page furniture: captions, credits, bylines, datelines of the page, contact lines, navigation.
FURNITURE = [
    ("caption", re.compile(r"^(Bild|Abbildung|Abb\.|Foto|Fotos|Grafik|Image)\s*\d*\s*$", re.I)),
    ("credit", re.compile(r"^(©|\(c\)\s|Copyright\b)", re.I)),
    ("credit", re.compile(r"^(Fotos?|Bild|Quelle|Text|Autor(in)?|Redaktion|Zusammengestellt von|Von)\b\s*:?\s*\S.{0,80}$")),
    ("published", re.compile(r"^(Stand|Veröffentlicht|Erschienen|Datum|Aktualisiert|Zuletzt aktualisiert)\b.{0,40}\d{4}", re.I)),
    ("published", re.compile(r"^(\w+,\s*)?\d{1,2}\.\s*(\d{1,2}\.\s*\d{2,4}|[A-Za-zä]+\s+\d{4})\s*$")),
    ("contact", re.compile(r"^(Pressekontakt|Ansprechpartner(in)?|Kontakt|Impressum|Datenschutz|Tel\.|Telefon|E-Mail)\b")),
    ("navigation", re.compile(r"^[^.!?]{0,80}\s\|\s[^.!?]{0,80}$")),
    ("navigation", re.compile(r"(finden Sie hier|hier klicken|weiterlesen|mehr erfahren|zur Übersicht)\.?\s*$", re.I)),
]
_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "figure", "aside", "noscript", "form", "button",
              "select", "template", "svg", "head", "iframe"}
_SKIP_CLASS = re.compile(r"\b(nav|navigation|menu|breadcrumbs?|footer|cookie|share|social)\b", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "br", "tr", "td", "th", "table",
               "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl", "pre", "hr", "figcaption"}
_LAYOUT_IN_CELL = {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "article", "section"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}


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


class _Builder:
    """Collects (character, source offset) pairs into blocks."""

    def __init__(self, doc: Document):
        self.doc, self.chars, self.offsets, self.kind = doc, [], [], "paragraph"
        self.row = False

    def add(self, text: str, offsets: list[int]) -> None:
        self.chars.extend(text)
        self.offsets.extend(offsets)

    def end_block(self, kind: str | None = None) -> None:
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


def decode(path: Path) -> str:
    """The text of a report file.

    :raises ReportParseError: if the file is missing, empty, too large, binary or not UTF-8.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportParseError(f"{path}: Datei nicht gefunden / file not found") from None
    except OSError as exc:
        raise ReportParseError(f"{path}: nicht lesbar / cannot read: {exc.strerror}") from None
    if not raw.strip():
        raise ReportParseError(f"{path}: Datei ist leer / file is empty")
    if len(raw) > MAX_BYTES:
        raise ReportParseError(f"{path}: zu groß / too large ({len(raw):,} bytes > {MAX_BYTES:,}); "
                               "split the report into smaller files")
    if b"\x00" in raw[:8192]:
        raise ReportParseError(f"{path}: keine Textdatei / not a text file (binary content)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportParseError(f"{path}: kein UTF-8 / not UTF-8 (byte 0x{raw[exc.start]:02x} at position "
                               f"{exc.start}); convert it, e.g. iconv -f cp1252 -t utf-8") from None


def load_document(path: Path) -> Document:
    """Read, decode and clean a report file.

    :raises ReportParseError: if the file cannot be read or holds no readable text.
    """
    source = decode(path)
    suffix = path.suffix.lower()
    looks_html = re.match(r"\s*(<!doctype html|<html|<body|<div|<p\b|<h[1-6]|<article)", source, re.I)
    kind = "html" if suffix in HTML_SUFFIXES or (looks_html and suffix not in MARKDOWN_SUFFIXES) else (
        "markdown" if suffix in MARKDOWN_SUFFIXES else "text")
    doc = Document(path, source, kind)
    {"html": _read_html, "markdown": _read_markdown, "text": _read_plain}[kind](doc)
    for i, block in enumerate(doc.blocks):
        # One line 'Start | Aktuelles | Presse' is a menu; a table has rows above or below.
        neighbours = doc.blocks[max(i - 1, 0):i] + doc.blocks[i + 1:i + 2]
        block.row = block.row and any(b.row for b in neighbours)
        block.furniture = block.furniture or furniture(doc.text(block), block.row)
    if kind == "text":
        _mark_plain_headings(doc)
    letters = sum(ch.isalpha() for ch in doc.clean)
    if letters < 20 or letters < 0.3 * len(doc.clean.replace(" ", "")):
        raise ReportParseError(f"{path}: kein lesbarer Text / no readable text found ({kind})")
    return doc


def furniture(text: str, row: bool = False) -> str | None:
    """Why a block is page furniture rather than report content, or None (a table's row is never a menu)."""
    for reason, pattern in FURNITURE:
        if pattern.search(text) and not (row and reason == "navigation"):
            return reason
    return None


# '16. März' opens a date, not a numbered list item.
_MONTH = r"(?:Jan|Feb|Mär|Apr|Mai|Jun|Jul|Aug|Sep|Okt|Nov|Dez)[a-zä]*\.?(?:\s|$)"
_DATE_START = re.compile(r"^\d{1,2}\.\s*(?:\d{1,2}\.|" + _MONTH + ")")


def _text_lines(source: str, builder: "_Builder"):
    """Each non-blank line, stripped, with the source offset of its first character; a blank
    line ends the block being built."""
    offset = 0
    for line in source.splitlines(keepends=True):
        text = line.rstrip("\r\n")
        stripped = text.strip()
        if stripped:
            yield stripped, offset + text.index(stripped[0])
        else:
            builder.end_block()
        offset += len(line)


def _read_plain(doc: Document) -> None:
    builder = _Builder(doc)
    for stripped, start in _text_lines(doc.source, builder):
        marker = re.match(r"^([•·▪\-*–]|\d{1,2}\.(?!\s*" + _MONTH + r"))\s+(?=\S)", stripped)
        row = stripped.count(" | ") >= 2   # a table's row in plain text: 'A B | TU X | Titel'
        # A programme's line opens with its time ('10:30 Uhr Keynote – A B, TU X'): an item of the programme.
        marker = marker or re.match(r"^(?=\d{1,2}[:.]\d{2}\s*(?:Uhr\b|[–-]|\s[A-ZÄÖÜ]))", stripped)
        if builder.chars and (marker or row or not _continues(builder.chars, stripped)):
            builder.end_block()
        if marker or row:
            builder.kind = "item"
            builder.row = row
        if marker:
            stripped, start = stripped[marker.end():], start + marker.end()
        if builder.chars:
            builder.add(" ", [start - 1])
        builder.add(stripped, list(range(start, start + len(stripped))))
    builder.end_block()


def _mark_plain_headings(doc: Document) -> None:
    """In plain text, a short line without closing punctuation that is followed by more text is a heading."""
    content = [b for b in doc.blocks if not b.furniture]
    dated = [bool(_DATE_START.match(doc.text(b))) for b in content]
    for i, (block, following) in enumerate(zip(content, content[1:] + [None])):
        text = doc.text(block)
        # A run of lines that open with a day ('16. März | Sorgende Nachbarschaften') is a schedule, not headings.
        schedule = dated[i] and ((i > 0 and dated[i - 1]) or (i + 1 < len(dated) and dated[i + 1]))
        if (following is not None and block.kind == "paragraph" and len(text) <= 160 and not schedule
                and text[-1] not in ".!?,;–-" and not re.match(r"^\d{1,2}[:.]\d{2}\b", text)):
            block.kind = "heading"


def _continues(chars: list[str], line: str) -> bool:
    """A hard-wrapped line continues the previous one when that did not end a sentence."""
    previous = "".join(chars[-2:]).rstrip()
    return bool(previous) and previous[-1] not in ".!?:“\")" and line[:1].islower()


_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")


def _read_markdown(doc: Document) -> None:
    builder = _Builder(doc)
    for stripped, start in _text_lines(doc.source, builder):
        heading = re.match(r"^#{1,6}\s+", stripped)
        item = re.match(r"^([-*+]|\d{1,2}\.(?!\s*" + _MONTH + r"))\s+", stripped)
        # A table row is one item, its cells kept apart by their pipes ('| 10:00 | Keynote | A B, TU X |'); the
        # rule under the header row is no text.
        row = re.match(r"^\|?\s*", stripped) if stripped.endswith("|") or stripped.count(" | ") >= 2 else None
        if row and re.fullmatch(r"[|:\-\s]+", stripped):
            builder.end_block()
            continue
        if heading or item or row or builder.kind != "paragraph":
            builder.end_block()
        if row:
            stripped = re.sub(r"\s*\|$", "", stripped)
            builder.row = True
        cut = heading or item or row
        if cut:
            builder.kind = "heading" if heading else "item"
            stripped, start = stripped[cut.end():], start + cut.end()
        if re.fullmatch(r"\[[^\]]*\]\([^)]*\)", stripped):  # a line that is only a link is navigation
            continue
        if builder.chars:
            builder.add(" ", [start - 1])
        position = 0
        for match in _INLINE.finditer(stripped):
            builder.add(stripped[position:match.start()], list(range(start + position, start + match.start())))
            if match.group(1):
                inner = start + match.start() + 1 + (match.group(0).startswith("!"))
                builder.add(match.group(1), list(range(inner, inner + len(match.group(1)))))
            position = match.end()
        builder.add(stripped[position:], list(range(start + position, start + len(stripped))))
        if heading or row:
            builder.end_block()
    builder.end_block()


class _HtmlReader(HTMLParser):
    """Text of an HTML page with source offsets; skips scripts, navigation, headers, footers and figures."""

    def __init__(self, doc: Document):
        super().__init__(convert_charrefs=False)
        self.doc, self.builder = doc, _Builder(doc)
        self.line_starts = [0]
        for match in re.finditer("\n", doc.source):
            self.line_starts.append(match.end())
        self.skip_depth, self.stack = 0, []

    def source_offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_TAGS:
            if tag in ("br", "hr"):
                self.builder.end_block()
            return
        skip = tag in _SKIP_TAGS or bool(_SKIP_CLASS.search(dict(attrs).get("class") or ""))
        self.stack.append((tag, skip))
        self.skip_depth += skip
        if self._in_row() and tag in _LAYOUT_IN_CELL:
            # a cell with a heading, a list or a table of its own: the table lays out a page, its rows are no items
            index = self._row_index()
            self.stack[index] = ("tr-layout", self.stack[index][1])
            self.builder.end_block()
            if re.fullmatch(r"h[1-6]", tag):
                self.builder.kind = "heading"
            elif tag == "li":
                self.builder.kind = "item"
            return
        if self._in_row() and tag != "tr":
            # A row is one block: its cells are kept apart by ' | ', a paragraph inside a cell by a space.
            if self.builder.chars and self.skip_depth == 0:
                separator = " | " if tag in ("td", "th") else " "
                self.builder.add(separator, [self.source_offset()] * len(separator))
            return
        if tag == "tr":
            self.builder.end_block()
            self.builder.kind, self.builder.row = "item", True
            return
        if tag in _BLOCK_TAGS:
            self.builder.end_block()
            if re.fullmatch(r"h[1-6]", tag):
                self.builder.kind = "heading"
            elif tag == "li":
                self.builder.kind = "item"

    def handle_endtag(self, tag):
        names = {tag, "tr-layout"} if tag == "tr" else {tag}
        if tag in _VOID_TAGS or not any(t in names for t, _ in self.stack):
            return
        while self.stack:
            name, skip = self.stack.pop()
            self.skip_depth -= skip
            if name in names:
                break
        if self._in_row():
            return
        if tag in _BLOCK_TAGS:
            kind = "heading" if re.fullmatch(r"h[1-6]", tag) else None
            self.builder.end_block(kind)

    def _row_index(self) -> int:
        """Index in the stack of the innermost open row (-1 if none)."""
        return max((i for i, (name, _) in enumerate(self.stack) if name in ("tr", "tr-layout")), default=-1)

    def _in_row(self) -> bool:
        index = self._row_index()
        return index >= 0 and self.stack[index][0] == "tr"

    def handle_data(self, data):
        if self.skip_depth == 0:
            start = self.source_offset()
            self.builder.add(data, list(range(start, start + len(data))))

    def _entity(self, text: str, raw_length: int) -> None:
        if self.skip_depth == 0:
            start = self.source_offset()
            self.builder.add(text, [start] * len(text))

    def handle_entityref(self, name):
        self._entity(chr(name2codepoint[name]) if name in name2codepoint else f"&{name}", len(name) + 2)

    def handle_charref(self, name):
        self._entity(unescape(f"&#{name};"), len(name) + 3)


def _read_html(doc: Document) -> None:
    reader = _HtmlReader(doc)
    reader.feed(doc.source)
    reader.close()
    reader.builder.end_block()
