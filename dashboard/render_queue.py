"""The embedded queue's render slots: how many exports render at once, in what order.

Kernel file locks under `AURA_JOBS_DIR/locks` (a fixed set of files, whatever the
number of jobs), so that a job killed by a cancel frees its slot and its place in
line with its process:

- `view-<n>.lock`: one job at a time per view (its memoised result's key, hashed);
- `slot-<n>.lock`: `MAX_RENDERS` jobs rendering at once;
- `queue-<n>.lock`: the line of jobs waiting for a slot, each ticket stamped with its
  arrival time: the first in line takes the next free slot, and each waiting job
  knows how many come before it.

`dashboard.jobs` re-exports `render_slot`; with Celery the worker's concurrency bounds
the renders instead.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import config

MAX_RENDERS = max(1, (os.cpu_count() or 2) // 2)
"""Embedded queue: jobs rendering at once on this machine, half its cores (one on
2 cores): each runs a Chromium of 300 to 500 MB that takes a core while it draws,
and the site must keep the other. The others wait for a slot, first come first
served (`render_slot`)."""
VIEW_LOCKS = 16
"""Lock files for "one job per view" (views share them by hash: a fixed set of files)."""
QUEUE_LOCKS = 16
"""Ticket files of the jobs waiting for a slot (a fixed set: a killed job frees its
ticket with its lock); a job finding none free waits without a place in line."""


def _lock_path(name: str) -> Path:
    path = config.jobs_dir() / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path / name


def _locked_by_other(handle: Any) -> bool:
    """Whether another process holds the lock of this open file."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _take_ticket(stack: contextlib.ExitStack) -> tuple[Any, int] | None:
    """A place in the line of jobs waiting for a slot: a free ticket file, locked and
    stamped with the arrival time; None when every ticket is taken."""
    for i in range(QUEUE_LOCKS):
        handle = stack.enter_context(_lock_path(f"queue-{i}.lock").open("a+"))
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        stamp = time.time_ns()
        handle.seek(0)
        handle.truncate()
        handle.write(str(stamp))
        handle.flush()
        return handle, stamp
    return None


def _ahead_in_line(mine: tuple[Any, int] | None) -> int:
    """Jobs waiting for a slot that came before this one (all of them without a ticket)."""
    ahead = 0
    for i in range(QUEUE_LOCKS):
        path = _lock_path(f"queue-{i}.lock")
        if mine is not None and str(path) == mine[0].name:
            continue
        with contextlib.suppress(OSError), path.open() as handle:  # never created here
            if not _locked_by_other(handle):
                continue
            handle.seek(0)
            text = handle.read().strip()
            # A ticket being stamped right now (empty) arrived after this one.
            if text.isdigit() and (mine is None or int(text) < mine[1]):
                ahead += 1
    return ahead


def _busy_slots(slots: list[Any]) -> int:
    return sum(_locked_by_other(slot) for slot in slots)


@contextlib.contextmanager
def render_slot(key: str, waiting: Callable[[int], None] | None = None) -> Iterator[None]:
    """Embedded queue: one job at a time per result `key` (a second export of the same
    view waits, then finds the first one's memoised result), and at most `MAX_RENDERS`
    jobs rendering at once, first come first served. While it waits, `waiting(n)` is
    told how many exports come before this one (those rendering and those that
    arrived earlier), each time that number changes. Kernel file locks: a killed
    (cancelled) job frees its slot and its place in line. With Celery, the worker's
    concurrency already bounds the renders."""
    if config.redis_url() is not None:
        yield
        return
    with contextlib.ExitStack() as stack:
        bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % VIEW_LOCKS
        view = stack.enter_context(_lock_path(f"view-{bucket}.lock").open("a"))
        fcntl.flock(view, fcntl.LOCK_EX)
        slots = [stack.enter_context(_lock_path(f"slot-{i}.lock").open("a"))
                 for i in range(MAX_RENDERS)]
        ticket = _take_ticket(stack)
        told = None
        while True:
            ahead = _ahead_in_line(ticket)
            if ahead == 0:  # first in line: take a free slot if there is one
                for slot in slots:
                    try:
                        fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue
                    if ticket is not None:
                        fcntl.flock(ticket[0], fcntl.LOCK_UN)  # leave the line
                    yield
                    return
            position = ahead + _busy_slots(slots)
            if waiting is not None and position != told:
                waiting(position)
                told = position
            time.sleep(0.2)
