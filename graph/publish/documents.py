"""Cool URIs: which thing an IRI path names, and the documents (HTML page, RDF data) about it.

A thing's IRI is `{root}{rest}`, where root is the configured base or the fixed vocabulary
root (topics, ontology), and rest is `id/<kind>/<key>`, `graph/<…>`, `topic/<notation>` or
`topics[/…]`. Its documents live beside it under the same root:

    {root}id/municipality/08215100   the municipality (a thing: answered with 303)
    {root}page/municipality/08215100 its HTML page
    {root}data/municipality/08215100 its data, by Accept; with .ttl .nt .jsonld .rdf by extension

The server answers the IRI's path whatever host it runs on, so a public base and a server on
localhost work together (https://www.w3.org/TR/cooluris/ section 4.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from graph.ns import KGT
from graph.formats import DATA_EXTENSIONS

VOCABULARY_ROOT = str(KGT).rsplit("topic/", 1)[0]  # https://w3id.org/kommunalgraph/

# Media types a thing's IRI can answer with, best default first for clients that accept anything.
THING_TYPES = ("text/turtle", "text/html", "application/ld+json", "application/n-triples",
               "application/rdf+xml", "application/xhtml+xml")
# First segments of `rest` that are not under id/ (the rest are kinds under id/).
_OWN_ROOTS = ("graph", "topic", "topics")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~%-]*$")


@dataclass(frozen=True)
class Document:
    """A request path resolved: the thing it is about and what representation it asks for."""

    iri: str
    kind: str                 # "thing", "page" or "data"
    media_type: str | None    # fixed by an extension, or None to negotiate


def _path(iri: str) -> str:
    return urlsplit(iri).path


class Documents:
    """Maps between thing IRIs and the paths of their documents, under one or two roots."""

    def __init__(self, base_iri: str):
        base_iri = base_iri if base_iri.endswith("/") else base_iri + "/"
        self.roots = [base_iri] + ([VOCABULARY_ROOT] if VOCABULARY_ROOT != base_iri else [])

    def resolve(self, path: str) -> Document | None:
        """The document a request path names, or None when no minted IRI has that path."""
        for root in self.roots:
            prefix = _path(root)
            if not path.startswith(prefix):
                continue
            found = self._resolve_rest(root, path[len(prefix):])
            if found:
                return found
        return None

    def _resolve_rest(self, root: str, rest: str) -> Document | None:
        segments = rest.split("/")
        if not rest or not all(_SEGMENT.match(s) for s in segments) or ".." in segments:
            return None
        head, tail = segments[0], "/".join(segments[1:])
        if head in ("page", "data") and tail:
            name, media_type = tail, None
            if head == "data" and "." in segments[-1]:
                name, extension = tail.rsplit(".", 1)
                media_type = DATA_EXTENSIONS.get(extension, "unknown/" + extension)
            return Document(root + _rest_of(name), head, media_type)
        if head == "id" or head in _OWN_ROOTS:
            if "." in segments[-1]:
                name, extension = rest.rsplit(".", 1)
                if extension in DATA_EXTENSIONS:
                    return Document(root + name, "data", DATA_EXTENSIONS[extension])
            return Document(root + rest, "thing", None)
        return None

    def page_path(self, iri: str) -> str | None:
        """The path of a minted IRI's HTML page, or None for IRIs we do not mint."""
        return self._document_path(iri, "page")

    def data_path(self, iri: str, extension: str | None = None) -> str | None:
        """The path of a minted IRI's data document (with a format extension, if given)."""
        path = self._document_path(iri, "data")
        return f"{path}.{extension}" if path and extension else path

    def _document_path(self, iri: str, head: str) -> str | None:
        for root in self.roots:
            if iri.startswith(root):
                rest = iri[len(root):]
                first = rest.split("/", 1)[0]
                if first == "id" and rest.count("/") >= 2:
                    return f"{_path(root)}{head}/{rest[3:]}"
                if first in _OWN_ROOTS:
                    return f"{_path(root)}{head}/{rest}"
        return None

    def paths_of(self, name: str) -> set[str]:
        """The paths of a named document (such as 'ontology' or 'catalog') under every root."""
        return {_path(root) + name for root in self.roots}

    def local_path(self, iri: str) -> str | None:
        """The path under which this server answers an IRI we mint (thing IRI or hash IRI)."""
        for root in self.roots:
            if iri.startswith(root):
                return _path(root) + iri[len(root):]
        return None


def _rest_of(name: str) -> str:
    """The part of a thing IRI after its root, from the part of a document path after page/ or data/."""
    return name if name.split("/", 1)[0] in _OWN_ROOTS else "id/" + name
