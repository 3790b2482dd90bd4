"""Report files (plain text, HTML, Markdown) to clean text blocks that remember where each character came from."""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import ReportParseError
from graph.text.blocks import Block, Builder, Document
from graph.text.html_reader import read_html

__all__ = ["Block", "Document", "ReportParseError", "decode", "furniture", "load_document"]

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
    {"html": read_html, "markdown": _read_markdown, "text": _read_plain}[kind](doc)
    for i, block in enumerate(doc.blocks):
        # One line 'Start | Aktuelles | Presse' is a menu; a table has rows above or below.
        neighbours = doc.blocks[max(i - 1, 0):i] + doc.blocks[i + 1:i + 2]
        block.row = block.row and any(b.row for b in neighbours)
        if block.row and block.kind == "paragraph":
            block.kind = "item"   # a table's row; a single pipe line keeps its kind (a heading, a menu)
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


def _text_lines(source: str, builder: "Builder"):
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
    builder = Builder(doc)
    for stripped, start in _text_lines(doc.source, builder):
        marker = re.match(r"^([•·▪\-*–]|\d{1,2}\.(?!\s*" + _MONTH + r"))\s+(?=\S)", stripped)
        row = stripped.count(" | ") >= 2   # a table's row in plain text: 'A B | TU X | Titel'
        # A programme's line opens with its time ('10:30 Uhr Keynote – A B, TU X'): an item of the programme.
        marker = marker or re.match(r"^(?=\d{1,2}[:.]\d{2}\s*(?:Uhr\b|[–-]|\s[A-ZÄÖÜ]))", stripped)
        if builder.chars and (marker or row or not _continues(builder.chars, stripped)):
            builder.end_block()
        if marker:
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
    """A hard-wrapped line continues the previous one when that did not end a sentence: the next line opens in
    lower case, or the previous one ends in a word no sentence or heading ends with ('Erika Musterfrau von der' /
    'Digitalagentur Beispiel hielt …': German nouns open the next line in capitals)."""
    previous = "".join(chars[-40:]).rstrip()
    if not previous or previous[-1] in ".!?:“\")":
        return False
    return line[:1].islower() or bool(_OPEN_ENDING.search(previous))


# Articles, prepositions and conjunctions: a line ending in one is cut in mid-phrase.
_OPEN_ENDING = re.compile(r"\s(?:der|die|das|den|dem|des|ein|eine|einer|einem|eines|von|vom|zu|zum|zur|und|oder|mit|"
                          r"für|in|im|am|an|auf|über|bei|beim|aus|nach|sowie|als|wie|durch|gegen|unter|um)$")


_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")


def _read_markdown(doc: Document) -> None:
    builder = Builder(doc)
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
            builder.kind = "heading" if heading else "item" if item else builder.kind
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
