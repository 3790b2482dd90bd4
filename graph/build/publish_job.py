"""Publishing from the review page (issue 14): the build of `make build`, one at a time, in its own process.

A steward who accepted drafts in the browser publishes them without a terminal. The server starts
`python -m graph.build.publish_job` as a child process, so a build that fails, runs out of memory
or is killed leaves the server serving and the store at its last version (the build publishes
atomically, graph/store/versions.py). One publish runs at a time: the server takes an exclusive
lock on `publish.lock` and hands the open file to the child, which holds it until it ends, so the
lock is released even when the child is killed. What the publish did is one JSON file,
`publish.json`, next to the lock: running, published (with the new version) or failed (with the
problems, as the build reports them).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from graph.errors import KommunalgraphError, ReviewConflict, ValidationFailed

STATE_FILE = "publish.json"
LOCK_FILE = "publish.lock"


@dataclass
class PublishState:
    """What the last publish did, or is doing."""

    state: str                       # running | published | failed
    steward: str
    started: str
    finished: str | None = None
    version: str | None = None
    reports: int | None = None
    events: int | None = None
    warnings: int = 0
    problems: list[dict] = field(default_factory=list)
    message: str = ""
    pid: int | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _write(folder: Path, state: PublishState) -> None:
    """Replace the state file in one rename, so a reader never sees half of it."""
    temporary = folder / f".{STATE_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=1), "utf-8")
    os.replace(temporary, folder / STATE_FILE)


def _lock_is_held(folder: Path) -> bool:
    """Whether a publish child still holds the lock (it is released when the child ends, however it ends)."""
    try:
        handle = open(folder / LOCK_FILE, "a+")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def read_state(folder: Path) -> PublishState | None:
    """The last publish's state; a 'running' publish whose process is gone counts as failed."""
    try:
        data = json.loads((folder / STATE_FILE).read_text("utf-8"))
        state = PublishState(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        return PublishState("failed", "?", "?", message=f"the publish state file cannot be read: {exc}")
    if state.state == "running" and not _lock_is_held(folder):
        state.state, state.message = "failed", "the build process ended without a result (killed or crashed)"
    return state


def start(folder: Path, store: Path, records: list[Path], base_iri: str, steward: str) -> PublishState:
    """Start a publish of `records` into `store` in a child process and return its first state.

    :raises ReviewConflict: if a publish is still running.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReviewConflict("a publish is already running; wait until it has finished") from None
        state = PublishState("running", steward, _now())
        _write(folder, state)
        command = [sys.executable, "-m", "graph.build.publish_job", "--folder", str(folder), "--store", str(store),
                   "--base-iri", base_iri, "--steward", steward, "--lock-fd", str(handle.fileno()),
                   *[arg for path in records for arg in ("--records", str(path))]]
        try:
            # The child inherits the locked file; it stays locked until the child ends.
            child = subprocess.Popen(command, pass_fds=(handle.fileno(),), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            state.state, state.finished, state.message = "failed", _now(), f"the build could not be started: {exc}"
            _write(folder, state)
            return state
        # Reaped when it ends, so no finished build lingers as a zombie process of the server.
        threading.Thread(target=child.wait, name="publish-reaper", daemon=True).start()
        state.pid = child.pid
        _write(folder, state)
        return state
    finally:
        handle.close()


def run(folder: Path, store: Path, records: list[Path], base_iri: str, steward: str) -> PublishState:
    """The child's work: build and publish, then write the outcome (the build's problems when it fails)."""
    from graph.build.pipeline import build
    from graph.build.sources import Sources
    from graph.settings import current
    from graph.store.versions import VersionedStore

    state = PublishState("running", steward, _now(), pid=os.getpid())
    try:
        result = build(VersionedStore(store), Sources.of(tuple(records), current().reference_dir), base_iri)
    except ValidationFailed as exc:
        state.state, state.problems = "failed", [p.as_dict() for p in exc.problems if p.severity == "violation"]
        state.message = f"{len(state.problems)} violation(s): nothing was published, the store is unchanged"
    except KommunalgraphError as exc:
        state.state, state.message = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - whatever stops the build, the steward reads it on the page
        state.state, state.message = "failed", f"the build stopped: {type(exc).__name__}: {exc}"
    else:
        state.state, state.version = "published", result.version
        state.reports, state.events, state.warnings = result.reports, result.events, len(result.warnings)
    state.finished = _now()
    _write(folder, state)
    return state


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--base-iri", required=True)
    parser.add_argument("--steward", required=True)
    parser.add_argument("--records", type=Path, action="append", required=True)
    parser.add_argument("--lock-fd", type=int)
    args = parser.parse_args(argv)
    state = run(args.folder, args.store, args.records, args.base_iri, args.steward)
    return 0 if state.state == "published" else 1


if __name__ == "__main__":
    sys.exit(main())
