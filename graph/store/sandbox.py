"""Engine workers without network access: a fresh, empty network namespace per worker process.

pyoxigraph evaluates SERVICE and LOAD with its own HTTP client and offers no hook to veto them,
and a second parser that inspects the text first can disagree with Oxigraph's (issue 10). So the
policy is enforced where the request runs: query and write workers call `enter()` when they
start. On Linux, `unshare(CLONE_NEWNET)` moves the process into a network namespace that holds
only a loopback interface that is down: no address is reachable, 127.0.0.1 included, however
the query spells its SERVICE or LOAD. Root can do this directly; other users try a new user
namespace together with it. Where neither works (another OS, a locked-down container), the
worker says so and the server runs in strict mode (see `text_may_fetch`). The setting
`sandbox` (KG_SANDBOX=0, graph/settings.py) skips the namespace, as on such a system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

from graph.settings import current

log = logging.getLogger("kommunalgraph.sandbox")

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
# The words that can make the engine fetch: SERVICE in queries and updates, LOAD in updates.
QUERY_WORDS = ("service",)
UPDATE_WORDS = ("service", "load")


def enter(enabled: bool = True) -> str | None:
    """Move this process into a new network namespace; return how, or None if it is not possible
    or not `enabled` (the `sandbox` setting).

    Call it first thing in a worker process (never in the server: it would lose its sockets).
    """
    if not enabled:
        return None
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None
    attempts = [("netns", CLONE_NEWNET)] if os.geteuid() == 0 else []
    # Unprivileged: a user namespace first grants the capability to make a network namespace.
    attempts.append(("userns+netns", CLONE_NEWUSER | CLONE_NEWNET))
    for name, flags in attempts:
        if libc.unshare(flags) == 0:
            return name
        log.debug("unshare(%s) failed: %s", name, os.strerror(ctypes.get_errno()))
    return None


def probe(enabled: bool | None = None) -> str | None:
    """Whether a worker would get a sandbox: try `enter` in a short-lived child process.

    `enabled`: the `sandbox` setting; None: the current settings' (graph/settings.py).
    """
    if not (current().sandbox if enabled is None else enabled) or not hasattr(os, "fork"):
        return None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child only makes the system call and reports; it never returns to Python code
        try:
            os.write(write, (enter() or "").encode())
        finally:
            os._exit(0)
    os.close(write)
    try:
        answer = os.read(read, 64).decode()
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    return answer or None


def text_may_fetch(text: str, words: tuple[str, ...] = UPDATE_WORDS) -> bool:
    """Whether the raw text contains SERVICE (or LOAD) in any letter case, escapes not undone.

    Used only when no sandbox could be made (strict mode): such a request is refused unless the
    federation gate takes it. Oxigraph reads keywords only as plain ASCII letters (escapes are
    not allowed in keywords), so a text without these words cannot call out.
    """
    lowered = text.lower()
    return any(word in lowered for word in words)
