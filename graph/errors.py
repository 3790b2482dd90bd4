"""Domain exceptions. They carry no HTTP status; server/errors.py maps them."""

from __future__ import annotations

import re

_POSITION = re.compile(r"(?:error )?at (\d+):(\d+)")


class KommunalgraphError(Exception):
    """Base class for errors that a user can fix."""

    def __reduce__(self):
        # Errors cross process boundaries (the query and write workers, graph/store/workers.py):
        # rebuild them with their message and attributes, whatever their constructor takes.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type, args: tuple, state: dict) -> BaseException:
    """An error of class `cls` with `args` and attributes `state`, without calling its __init__."""
    error = cls.__new__(cls, *args)
    BaseException.__init__(error, *args)
    error.__dict__.update(state)
    return error


class WorkerFault(RuntimeError):
    """An unexpected fault in a worker process, or the worker died: our fault, never the user's (500)."""


class WorkerDied(WorkerFault):
    """A worker process ended without answering."""


class QuerySyntaxError(KommunalgraphError, ValueError):
    """A SPARQL query or update does not parse (SPARQL 1.1 Query Language, section 19)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column

    @classmethod
    def from_engine(cls, message: str) -> "QuerySyntaxError":
        """Build from an Oxigraph message such as 'error at 1:25: expected ...'."""
        match = _POSITION.search(message)
        if match:
            return cls(message, int(match.group(1)), int(match.group(2)))
        return cls(message)


class UnknownQuery(KommunalgraphError, LookupError):
    """No named query has this name."""


class UnknownResource(KommunalgraphError, LookupError):
    """No minted resource, document or download has this name."""


class ParameterError(KommunalgraphError, ValueError):
    """A named-query parameter is missing, unknown or has a wrong value."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


class NotAcceptable(KommunalgraphError, ValueError):
    """No result format fits what the client accepts."""

    def __init__(self, message: str, available: list[str]):
        super().__init__(message)
        self.available = available


class RecordError(KommunalgraphError, ValueError):
    """A record file cannot be read or does not follow the record schema."""

    def __init__(self, problems: list["Problem"]):
        super().__init__("; ".join(p.english for p in problems))
        self.problems = problems


class ReportParseError(KommunalgraphError, ValueError):
    """A report text or RDF file cannot be parsed."""


class ModelError(KommunalgraphError, ValueError):
    """A file of the trained extraction model (var/extraction-model) cannot be read."""


class ValidationFailed(KommunalgraphError):
    """Data does not conform to the shapes or the ontology; the store was not changed."""

    def __init__(self, problems: list["Problem"]):
        super().__init__(f"{len(problems)} problem(s) found")
        self.problems = problems


class StoreError(KommunalgraphError, OSError):
    """The store directory cannot be read or written; the previous version is kept."""


class QueryTimeout(KommunalgraphError, TimeoutError):
    """A query ran past its time limit and was stopped."""

    def __init__(self, limit: float):
        super().__init__(f"query stopped after the time limit of {limit:g} s")
        self.limit = limit


class UnsupportedQuery(KommunalgraphError, ValueError):
    """The query parses but asks for something the engine does not support (an unknown function)."""


class EvaluationError(KommunalgraphError, RuntimeError):
    """The engine could not evaluate the query (for example a SERVICE call failed)."""


class EngineBusy(KommunalgraphError, RuntimeError):
    """Every query worker is busy and the waiting time ran out."""


class ResultTooLarge(KommunalgraphError, ValueError):
    """A result exceeds the configured size cap."""

    def __init__(self, limit_bytes: int, hint: str = "add LIMIT or narrow the query"):
        super().__init__(f"result larger than the cap of {limit_bytes} bytes; {hint}")
        self.limit_bytes = limit_bytes
        self.limit_bytes = limit_bytes


class ServiceNotAllowed(KommunalgraphError, PermissionError):
    """A query asks for a SERVICE that is not on the allow-list; no request was made."""

    def __init__(self, message: str, service: str | None = None):
        super().__init__(message)
        self.service = service


class NetworkRefused(ServiceNotAllowed):
    """An update would fetch something (LOAD, SERVICE): refused by policy; nothing was written."""


class UnprovableUpdate(KommunalgraphError, PermissionError):
    """A remote store's write gate cannot prove what an update touches (escapes, comments, length)."""


class ReasonerUnavailable(KommunalgraphError, RuntimeError):
    """HermiT cannot run: Java or owlready2's HermiT.jar is missing, or HermiT failed (not by inconsistency)."""


class WikidataUnavailable(KommunalgraphError, ConnectionError):
    """The Wikidata endpoint cannot be reached or keeps refusing; nothing was changed."""


class Problem:
    """One problem a data steward must fix, in German and English, with where it is."""

    __slots__ = ("german", "english", "file", "event", "field", "value", "severity")

    def __init__(self, german: str, english: str, *, file: str | None = None,
                 event: str | None = None, field: str | None = None,
                 value: str | None = None, severity: str = "violation"):
        self.german = german
        self.english = english
        self.file = file
        self.event = event
        self.field = field
        self.value = value
        self.severity = severity

    def as_dict(self) -> dict:
        """Plain dict for JSON output."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return f"Problem({self.file!r}, {self.event!r}, {self.field!r}, {self.english!r})"


class ReviewConflict(KommunalgraphError):
    """Another steward decided on or changed a draft first, its record already exists, or a publish is running."""


class ReadOnlyGraph(KommunalgraphError, PermissionError):
    """A write targets a graph that writers may not change (the derived default graph, the ontology)."""


class SuppressedPerson(KommunalgraphError, PermissionError):
    """A write would publish a person the steward suppressed (data/suppressed.yaml)."""


class UpdateError(KommunalgraphError, ValueError):
    """A SPARQL Update parsed but cannot be carried out (SPARQL 1.1 Update, section 3)."""


class RemoteWriteFailed(KommunalgraphError, RuntimeError):
    """A remote store failed to apply a validated write; the message says what it held of it afterwards."""


class GraphNotFound(KommunalgraphError, LookupError):
    """The Graph Store Protocol names a graph the store does not hold."""


class UnsupportedRdfFormat(KommunalgraphError, ValueError):
    """An upload's media type is not an RDF graph format we parse."""

    def __init__(self, message: str, available: list[str]):
        super().__init__(message)
        self.available = available


class WriteRejected(KommunalgraphError):
    """A write breaks the shapes; it was discarded and the store is unchanged."""

    def __init__(self, results: list[dict], report_turtle: str):
        super().__init__(f"the write breaks {len(results)} shape constraint(s); nothing was changed")
        self.results = results
        self.report_turtle = report_turtle


class WriteTimeout(KommunalgraphError, TimeoutError):
    """A write ran past its time limit; it was stopped and nothing was changed."""

    def __init__(self, limit: float):
        super().__init__(f"write stopped after the time limit of {limit:g} s; nothing was changed")
        self.limit = limit

