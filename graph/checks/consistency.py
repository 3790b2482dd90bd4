"""HermiT's verdict on the ontology with its data: consistent, and no class that cannot have members.

HermiT (the jar owlready2 ships) runs as a command-line program, asked exactly two questions:

- `-k` (is owl:Thing satisfiable?) on the ontology, the vocabularies it imports, and all the data:
  whether any resource has two disjoint types, two values of a functional property, and so on.
- `-U` (which classes are equivalent to owl:Nothing?) on the class axioms alone.

Why not owlready2's `sync_reasoner`: it classifies classes and properties and realises every
individual (`-c -O -D -I`), work whose answers the build throws away. On 1,000 generated workshops
(46,000 triples with the imports) `-k` takes 10 s and `-U` over the data 2.5 min, where
`sync_reasoner` did not finish in 80 min. `-U` leaves the individuals out because whether a class
can have members is a property of the axioms; the data's part in it is the consistency `-k` checks.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from itertools import chain
from pathlib import Path
from typing import Iterable

from rdflib import OWL, RDF, RDFS, Graph

from graph.errors import Problem, ReasonerUnavailable


def inconsistent() -> Problem:
    """The problem an inconsistent ontology-with-data gives, new for each caller to annotate."""
    return Problem(
        "Die Daten widersprechen der Ontologie (HermiT: inkonsistent), "
        "etwa eine Ressource mit zwei unvereinbaren Typen oder zwei Werten einer funktionalen Eigenschaft.",
        "the data contradicts the ontology (HermiT: inconsistent), for example a resource "
        "with two disjoint types or two values of a functional property.")


# Namespaces whose classes describe the axioms themselves (owl:Class, owl:Restriction, rdf:List…):
# a subject typed only with these is part of the axioms, any other typed subject is an individual.
_AXIOM_NAMESPACES = (str(OWL), str(RDFS), str(RDF))
_JAVA_MEMORY_MB = 4000
# Below this file size a HermiT run is mostly the JVM warming up, and the quick compiler alone (C1) finishes
# sooner: -k on the default data (1.5 MB) 1.5 -> 1.1 s; on the 1 M build's sample (25 MB) it was slower
# (15.5 -> 17.7 s), so large files keep the JVM's default.
_QUICK_JIT_BELOW_BYTES = 4_000_000
# What HermiT's command line prints (with exit status 0) when the ontology file did not load.
_LOAD_FAILED = "It all went pear-shaped"
# A class that cannot have members, written as the file's last lines. HermiT answers "consistent"
# and "no class is unsatisfiable" for an empty ontology too, so an answer counts only when it shows
# this class was read: a file HermiT failed to read (once in a full CI run) can never pass.
_SENTINEL = "https://w3id.org/kommunalgraph/check#FileReadToTheEnd"
_SENTINEL_LINES = (f"<{_SENTINEL}> <{RDF.type}> <{OWL.Class}> .\n"
                   f"<{_SENTINEL}> <{RDFS.subClassOf}> <{OWL.Nothing}> .\n")


def check_consistency(graph: Graph, imports: list[Graph] | None = None, data: Iterable[bytes] = (),
                      niceness: int = 0) -> list[Problem]:
    """Problems HermiT finds in `graph` (ontology plus data), with `imports` (the vocabularies the
    ontology builds on, graph/checks/imports.py) loaded beside it: empty when it is consistent.
    `data`: more data as N-Triples (a build's report graphs, as its workers wrote them), which joins the
    consistency question only: it holds individuals, no class axioms. `niceness`: HermiT's scheduling priority
    (nice), for a check that runs beside other work.

    :raises ReasonerUnavailable: if HermiT cannot run.
    """
    everything = one_kind_per_property(union(*(imports or []), graph))
    with tempfile.TemporaryDirectory(prefix="kg-hermit-") as folder:
        whole = _write_for_hermit(everything, Path(folder) / "whole.nt", data)
        if _run_hermit("-k", whole, niceness) is None:
            return [inconsistent()]
        axioms = _write_for_hermit(axioms_only(everything), Path(folder) / "axioms.nt")
        # A subset of a consistent whole is consistent: -U answers with its list.
        output = _run_hermit("-U", axioms, niceness) or ""
    return [Problem(f"Klasse {iri} ist unerfüllbar", f"class {iri} is unsatisfiable")
            for iri in _unsatisfiable(output) if iri != _SENTINEL]


def one_kind_per_property(graph: Graph) -> Graph:
    """`graph` without the owl:AnnotationProperty type of a property that is also an object or datatype
    property: OWL 2 DL allows one kind per property, and PROV-O gives prov:wasRevisionOf and
    prov:specializationOf both. The OWL API then picks a kind by the order it reads the triples in, and on
    some orders it read prov:wasDerivedFrom, their super-property, as an annotation property too: a
    wasDerivedFrom statement became an annotation, its domain went unchecked, and HermiT called a
    contradiction consistent (on about one file in ten as rdflib happens to write it; always on that file)."""
    ambiguous = [(prop, RDF.type, OWL.AnnotationProperty)
                 for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for prop in graph.subjects(RDF.type, kind)
                 if (prop, RDF.type, OWL.AnnotationProperty) in graph]
    if not ambiguous:
        return graph
    kept = union(graph)
    for triple in ambiguous:
        kept.remove(triple)
    return kept


def axioms_only(graph: Graph) -> Graph:
    """`graph` without its individuals: every triple whose subject has a type outside OWL, RDFS and
    RDF (a workshop, a place, a topic concept), or is declared owl:NamedIndividual, is left out."""
    individuals = {s for s, o in graph.subject_objects(RDF.type)
                   if o == OWL.NamedIndividual or not str(o).startswith(_AXIOM_NAMESPACES)}
    axioms = Graph()
    for triple in graph:
        if triple[0] not in individuals:
            axioms.add(triple)
    return axioms


def union(*graphs: Graph) -> Graph:
    """One graph holding the triples of all `graphs`."""
    merged = Graph()
    for triple in chain.from_iterable(graphs):
        merged.add(triple)
    return merged


def _write_for_hermit(graph: Graph, path: Path, data: Iterable[bytes] = ()) -> Path:
    """`graph` as N-Triples at `path`, then the N-Triples chunks of `data`, the sentinel class last.

    `data` is written as it is: parsing a build's 200,000-triple sample into rdflib to write it out again
    took 36 s of the build process at 1 M, beside its two workers. Its blank node labels are rdflib's,
    unique across processes, so reports cannot share one."""
    graph.serialize(path, format="nt", encoding="utf-8")
    with path.open("ab") as file:
        for chunk in data:
            file.write(chunk if chunk.endswith(b"\n") else chunk + b"\n")
        file.write(_SENTINEL_LINES.encode("utf-8"))
    return path


def _run_hermit(action: str, path: Path, niceness: int = 0) -> str | None:
    """HermiT's output for `action` on the N-Triples file `path` (written by _write_for_hermit);
    None when the ontology is inconsistent."""
    java = shutil.which(os.environ.get("JAVA", "java"))
    jar = _hermit_dir()
    if java is None or jar is None:
        raise ReasonerUnavailable("HermiT needs Java (java on PATH) and owlready2's bundled HermiT.jar")
    # HermiT does not know xsd:gYear and xsd:gYearMonth; they carry no axioms here.
    # With -k, HermiT is asked a second question: whether the sentinel class can have members.
    actions = [action, f"-k<{_SENTINEL}>"] if action == "-k" else [action]
    small = path.is_file() and path.stat().st_size < _QUICK_JIT_BELOW_BYTES
    quick = ["-XX:TieredStopAtLevel=1"] if small else []
    nice = shutil.which("nice") if niceness else None
    command = [*([nice, "-n", str(niceness)] if nice else []),
               java, f"-Xmx{_JAVA_MEMORY_MB}M", *quick, "-cp", os.pathsep.join([str(jar), str(jar / "HermiT.jar")]),
               "org.semanticweb.HermiT.cli.CommandLine", *actions, "--no-prefixes", "--ignoreUnsupportedDatatypes",
               path.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True)
    if _LOAD_FAILED in done.stderr or (done.returncode == 0 and not _read_to_the_end(action, done.stdout)):
        # HermiT exits 0 when OWL API cannot load the file, with no answer or one about an empty
        # ontology. Seen twice in full test runs, never alone: asked once more; a second failure is reported.
        done = subprocess.run(command, capture_output=True, text=True)
    if "InconsistentOntologyException" in done.stderr or f"{OWL.Thing} is not satisfiable" in done.stdout:
        return None
    # Only an answer HermiT gives to this question about the whole file counts: anything else is a
    # failure, never a pass.
    if done.returncode != 0 or not _read_to_the_end(action, done.stdout):
        raise ReasonerUnavailable(f"HermiT failed ({done.returncode}): {(done.stdout + done.stderr).strip()[-800:]}")
    return done.stdout


def _read_to_the_end(action: str, output: str) -> bool:
    """Whether HermiT's `output` answers `action` and shows it read the sentinel at the file's end."""
    if action == "-k":
        return f"{OWL.Thing} is satisfiable" in output and f"<{_SENTINEL}> is not satisfiable" in output
    return "Classes equivalent to" in output and _SENTINEL in _unsatisfiable(output)


def _unsatisfiable(output: str) -> list[str]:
    """The class IRIs HermiT lists as equivalent to owl:Nothing, owl:Nothing itself left out."""
    found = []
    for line in output.splitlines():
        term = line.strip()
        if term.startswith("<") and term.endswith(">"):
            term = term[1:-1]
        if line.startswith(("\t", " ")) and term not in (str(OWL.Nothing), "owl:Nothing"):
            found.append(term)
    return found


def _hermit_dir() -> Path | None:
    """owlready2's hermit folder, found without importing owlready2 (its import builds a quadstore)."""
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "hermit"
    return folder if (folder / "HermiT.jar").exists() else None

