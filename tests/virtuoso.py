"""A throwaway Virtuoso open source (Debian's virtuoso-opensource) on 127.0.0.1 for the remote back end (issue 6)."""

from __future__ import annotations

import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.helpers import Timeout, wait_until

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def available() -> bool:
    """Whether Debian's Virtuoso is installed here."""
    return bool(shutil.which("virtuoso-t") and shutil.which("isql-vt") and PACKAGED_INI.exists())


@contextmanager
def throwaway(directory: Path, sql_port: int, http_port: int):
    """A Virtuoso in `directory` for the time of the block, or skip when it is not installed."""
    require()
    server = Virtuoso(directory, sql_port, http_port)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)  # its database files take some 100 MB


def require() -> None:
    """Skip the calling test when Virtuoso is missing; fail instead when the run asks for it."""
    import os

    import pytest

    if not available():
        if os.environ.get("KG_TEST_BACKEND") == "virtuoso":
            pytest.fail("KG_TEST_BACKEND=virtuoso but virtuoso-opensource is not installed (.ci/run installs it)")
        pytest.skip("virtuoso-opensource is not installed (apt-get install virtuoso-opensource; .ci/run does)")


class Virtuoso:
    """Virtuoso with its database in `directory`, its SQL and HTTP ports on 127.0.0.1, dba password 'dba'.

    `settings` replaces keys of the packaged virtuoso.ini (each key is unique there but ServerPort),
    e.g. {"NumberOfBuffers": "680000"} for a large store (bench/virtuoso_scale.py); keys the file
    lacks go into its [Parameters] section. `ready_seconds` is how long it may take to come up (a
    large database takes longer).
    """

    def __init__(self, directory: Path, sql_port: int, http_port: int, settings: dict[str, str] | None = None,
                 ready_seconds: float = 120):
        self.directory, self.sql_port, self.http_port = directory, sql_port, http_port
        self.url = f"http://127.0.0.1:{http_port}/sparql"
        directory.mkdir(parents=True, exist_ok=True)
        ini = PACKAGED_INI.read_text()
        ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(directory))
        ini = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", f"ServerPort\\1= 127.0.0.1:{sql_port}", ini)
        ini = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", f"ServerPort\\1= 127.0.0.1:{http_port}", ini)
        for key, value in (settings or {}).items():
            ini, found = re.subn(rf"(?m)^{key}(\s*)=[^\n]*", lambda m: f"{key}{m.group(1)}= {value}", ini)
            if found == 0:
                ini = ini.replace("\n[Parameters]\n", f"\n[Parameters]\n{key} = {value}\n", 1)
            elif found > 1:
                raise ValueError(f"virtuoso.ini has {found} lines for {key}, not one")
        (directory / "virtuoso.ini").write_text(ini)
        self.log = open(directory / "console.log", "wb")
        self.process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                                        cwd=directory, stdout=self.log, stderr=subprocess.STDOUT)
        def answering() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso exited: {(directory / 'console.log').read_text(errors='replace')[-2000:]}")
            try:
                return requests.get(self.url, params={"query": "ASK {}"}, timeout=2).ok
            except requests.RequestException:
                return False

        try:
            wait_until(answering, ready_seconds, "virtuoso answering ASK {}")
        except Timeout:
            self.stop()
            raise RuntimeError("virtuoso did not come up") from None
        # A throwaway database: let the anonymous SPARQL user write, so `kommunalgraph push` can load it.
        self.sql('GRANT SPARQL_UPDATE TO "SPARQL";')

    def sql(self, statement: str, timeout: float = 60) -> str:
        """Run one SQL statement with isql-vt as dba."""
        result = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"isql failed: {result.stdout}{result.stderr}")
        return result.stdout

    def stop(self, timeout: float = 30) -> None:
        """Stop Virtuoso (SIGTERM: a quick shutdown without a checkpoint; killed after `timeout` seconds)."""
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
