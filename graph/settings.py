"""The library's settings: one frozen object, built once from defaults, then `KG_*` variables, then options.

Nothing reads the environment at import time. Commands build the settings when they run
(`load(**options)`, command-line options win) and pass them down; library code that is
called without them uses `current()`, the settings from defaults and the environment.
The server has its own table (server/config.py) for what only HTTP needs.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "KG_"
# The library runs from a checkout (make install uses an editable install), so the data
# folders sit next to the package.
CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where the project's files are and how a build runs; each field can be set as KG_<FIELD>."""

    # The checkout whose ontology/, shapes/, queries/ and data/ folders are used.
    project_dir: Path = CHECKOUT
    # Store directory; every command takes --store to override it. Default: <project_dir>/var/store.
    store: Path | None = None
    # IRIs of the data are minted under this base; --base-iri changes it.
    base_iri: str = "https://w3id.org/kommunalgraph/"
    # Worker processes of a large build; 0: one per core.
    build_workers: int = 0
    # SHACL engine of the build workers: "shifty" decides and pyshacl explains failures;
    # "pyshacl" alone is the reference, several times slower.
    build_shacl: str = "shifty"
    # HermiT checks at most this many report triples (plus ontology and places).
    owl_max_triples: int = 200_000
    # Query and write workers leave the network when they start (graph/store/sandbox.py, issue 10);
    # KG_SANDBOX=0 keeps them on it, as on a system that cannot make a namespace (strict mode).
    sandbox: bool = True

    def __post_init__(self) -> None:
        if self.store is None:
            object.__setattr__(self, "store", self.project_dir / "var" / "store")
        if self.build_shacl not in ("shifty", "pyshacl"):
            raise ValueError(f"KG_BUILD_SHACL must be 'shifty' or 'pyshacl', not {self.build_shacl!r}")
        if self.build_workers < 0 or self.owl_max_triples < 0:
            raise ValueError("KG_BUILD_WORKERS and KG_OWL_MAX_TRIPLES cannot be negative")

    @property
    def ontology_dir(self) -> Path:
        """The ontology and topic scheme (*.ttl)."""
        return self.project_dir / "ontology"

    @property
    def shapes_dir(self) -> Path:
        """The SHACL shapes (*.ttl)."""
        return self.project_dir / "shapes"

    @property
    def queries_dir(self) -> Path:
        """The named queries (*.rq)."""
        return self.project_dir / "queries"

    @property
    def data_dir(self) -> Path:
        """Records, reference places and links."""
        return self.project_dir / "data"

    @property
    def records_dir(self) -> Path:
        """The record files (*.yaml)."""
        return self.data_dir / "records"

    @property
    def reference_dir(self) -> Path:
        """Reference places (places.yaml, gazetteer.csv)."""
        return self.data_dir / "reference"

    @property
    def links_dir(self) -> Path:
        """The reviewed Wikidata link file and its enrichment."""
        return self.data_dir / "links"

    def with_options(self, **options: Any) -> Settings:
        """These settings with the options that were given (None means not given)."""
        given = {key: value for key, value in options.items() if value is not None}
        if "project_dir" in given and "store" not in given and self.store == self.project_dir / "var" / "store":
            given["store"] = None   # the default store follows the project folder
        return dataclasses.replace(self, **given)


def load(env: Mapping[str, str] | None = None, **options: Any) -> Settings:
    """Settings from the defaults, then `KG_*` variables of `env` (os.environ), then `options`.

    :raises ValueError: if a variable does not hold a value of its field's type.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Settings):
        raw = env.get(ENV_PREFIX + field.name.upper())
        if raw in (None, ""):
            continue
        kind = Settings.__annotations__[field.name]
        if kind == "bool":
            values[field.name] = _flag(ENV_PREFIX + field.name.upper(), raw)
            continue
        try:
            values[field.name] = int(raw) if kind == "int" else Path(raw) if "Path" in kind else raw
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{field.name.upper()} must be a whole number, not {raw!r}") from None
    return Settings(**values).with_options(**options)


def _flag(name: str, raw: str) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off, any letter case."""
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {raw!r}")


@cache
def current() -> Settings:
    """The settings from defaults and the environment, built once on first use."""
    return load()
