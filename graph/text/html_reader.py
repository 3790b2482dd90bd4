"""HTML report pages to clean text blocks (graph/text/documents.py): scripts, navigation, headers, footers and
figures are skipped; a table's row is one block whose cells are kept apart by ' | '."""

from __future__ import annotations

import re
from html import unescape
from html.entities import name2codepoint
from html.parser import HTMLParser

from graph.text.blocks import Builder, Document

_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "figure", "aside", "noscript", "form", "button",
              "select", "template", "svg", "head", "iframe"}
_SKIP_CLASS = re.compile(r"\b(nav|navigation|menu|breadcrumbs?|footer|cookie|share|social)\b", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "br", "tr", "td", "th", "table",
               "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl", "pre", "hr", "figcaption"}
_LAYOUT_IN_CELL = {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "article", "section"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}


class _HtmlReader(HTMLParser):
    """Text of an HTML page with source offsets; skips scripts, navigation, headers, footers and figures."""

    def __init__(self, doc: Document):
        super().__init__(convert_charrefs=False)
        self.doc, self.builder = doc, Builder(doc)
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


def read_html(doc: Document) -> None:
    """Fill `doc`'s clean text and blocks from its HTML source."""
    reader = _HtmlReader(doc)
    reader.feed(doc.source)
    reader.close()
    reader.builder.end_block()
