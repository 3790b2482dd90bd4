"""Folders of Turtle files (the ontology and topic scheme, the shapes) read as one rdflib graph, in one place."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.errors import ReportParseError


def load_ontology(ontology_dir: Path) -> Graph:
    """All Turtle files of `ontology_dir` (ontology and topic scheme) as one graph.

    :raises ReportParseError: if a file is not valid Turtle.
    """
    return load_turtle_folder(ontology_dir)


def load_turtle_folder(folder: Path) -> Graph:
    """The Turtle files directly in `folder` (not in subfolders) as one graph.

    :raises ReportParseError: if a file is not valid Turtle.
    """
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ReportParseError(f"{path.name}: not valid Turtle: {exc}") from None
    return graph
