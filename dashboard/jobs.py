"""Long work off the request path: the background-job manager and the Celery app.

The ZIP export of a profile renders every chart with Chromium (kaleido): seconds
of work that must never pin a gunicorn worker. It is a Dash *background
callback*, and this module builds the manager that runs it.

Where each step runs:

1. The click reaches a gunicorn worker (`POST /_dash-update-component`). The
   worker only asks the manager to start a job, answers at once with signed
   handles (`cacheKey`, `job`), and the browser polls every half second with
   them; each poll reads the job's progress ("3 / 9 images") and, at the end,
   its result (the ZIP, base64, as `dcc.Download` data). Any worker can answer a
   poll: the results and the handles' signing secret live in the shared store.
2. **Embedded queue** (default, `AURA_REDIS_URL` unset): a `DiskcacheManager`.
   The job is a process forked from the gunicorn worker (`multiprocess`); it
   starts its own Chromium through kaleido, renders the charts, writes the
   result to the diskcache store in `AURA_JOBS_DIR`, stops Chromium, removes its
   temporary directory (`job-<pid>` under `AURA_JOBS_DIR`, its `TMPDIR`) and
   exits. Cancelling kills the job process and its children (Chromium) and
   removes that directory: nothing is left behind. At most `MAX_RENDERS` jobs
   render at once on a machine (half its cores), one per view, first come first
   served, the waiting ones told their place in line (`render_queue.render_slot`,
   kernel file locks under `AURA_JOBS_DIR/locks`). Every job runs at a lower
   priority (`RENDER_NICENESS`, inherited by its Chromium): the site's requests
   get the cores first.
3. **Celery with Redis** (`AURA_REDIS_URL=redis://…`): a `CeleryManager`. The
   gunicorn worker only queues a task in Redis; a Celery worker process
   (`celery -A dashboard.jobs worker`, which loads the app so that every
   background callback is registered as a task) runs kaleido and keeps one
   Chromium per worker process between jobs. Results go to Redis, so they
   survive a restart of the app servers, and several app servers on several
   machines can share one queue of export workers. Cancelling is cooperative:
   the job stops at the next image and its keys are deleted (`_forget_cancelled`).

The ZIP of a view is memoised for the day in the same store (`ResultStore`,
keyed on epci, commune, compared EPCI and date): a repeated click, or a second
user, gets it without rendering again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from dash import CeleryManager, DiskcacheManager

from . import config
from .render_queue import render_slot  # noqa: F401 - the export callback's entry point

MEMO_SECONDS = 26 * 3600
"""How long a memoised ZIP is kept (its key also holds the day)."""
CANCEL_SECONDS = 600
"""How long a cancel flag lives if no job ever reads it."""
RESULT_SECONDS = 3600
"""Celery's own task records expire after this (Dash reads its results by key)."""
PREFIX = "aura-hlm"
RENDER_NICENESS = 10
"""A job's scheduling priority (`os.nice`), inherited by its Chromium: on a busy
machine the web workers' requests get the cores first (the weight of nice 10 is
about a tenth of nice 0's)."""


def _exit_status() -> int:
    """1, or gunicorn's "app failed to load" status (4) inside gunicorn."""
    return 4 if "gunicorn.arbiter" in sys.modules else 1


def redis_url_or_exit() -> str | None:
    """`config.redis_url()`, or a French message and exit (no traceback) if invalid."""
    try:
        return config.redis_url()
    except config.ConfigError as err:
        print(err, file=sys.stderr)
        print("Le tableau de bord ne démarre pas avec ce réglage : corrigez AURA_REDIS_URL "
              "ou supprimez-la.", file=sys.stderr)
        sys.stderr.flush()
        raise SystemExit(_exit_status()) from None


MAX_TMPDIR = 50
"""Chromium puts Unix sockets (at most 107 bytes of path) under TMPDIR: a longer
jobs directory would stop it from starting, so the jobs' TMPDIR then moves to the
system's temporary directory (as it was when this module was imported: a job
changes its own)."""
_SYSTEM_TMP = Path(tempfile.gettempdir())


def job_dir(pid: int | str) -> Path:
    """The temporary directory of the embedded job process `pid` (its TMPDIR):
    `job-<pid>` in `config.jobs_dir()`, or `aura-hlm-job-<pid>` in the system's
    temporary directory when the former path is too long for Chromium."""
    path = config.jobs_dir() / f"job-{int(pid)}"
    if len(str(path)) <= MAX_TMPDIR:
        return path
    return _SYSTEM_TMP / f"aura-hlm-job-{int(pid)}"


# --- embedded queue ---------------------------------------------------------------------------

class JobsDiskcacheManager(DiskcacheManager):
    """Dash's diskcache manager; ending a job also removes its temporary directory
    and reaps the finished job processes of this process."""

    def terminate_job(self, job: Any) -> None:
        if job is None:
            return
        import multiprocess
        import psutil

        try:
            family = psutil.Process(int(job)).children(recursive=True)
        except psutil.Error:
            family = []
        super().terminate_job(job)
        # Chromium's processes were sent SIGKILL: wait until they are gone (bounded)
        # before removing the directory they write in.
        psutil.wait_procs(family, timeout=5)
        multiprocess.active_children()  # joins (reaps) the children that have ended
        for _ in range(3):
            shutil.rmtree(job_dir(job), ignore_errors=True)
            if not job_dir(job).exists():
                break
            time.sleep(0.2)


# --- Celery and Redis -----------------------------------------------------------------------

def _cancel_key(task_id: str) -> str:
    return f"{PREFIX}:cancel:{task_id}"


class JobsCeleryManager(CeleryManager):
    """Dash's Celery manager with a cooperative cancel: Dash's own `terminate_job`
    kills the pool process (and would orphan its Chromium); here a flag in Redis
    asks the job to stop at its next image (`raise_if_cancelled`), and a task not
    started yet is revoked."""

    def terminate_job(self, job: Any) -> None:
        if not job:
            return
        from celery import states

        if self.handle.AsyncResult(job).state in states.READY_STATES:
            return
        self.handle.backend.client.set(_cancel_key(str(job)), b"1", ex=CANCEL_SECONDS)
        self.handle.control.revoke(job)


class JobCancelled(Exception):
    """The job was cancelled from the page: stop now (its keys are then deleted)."""


@lru_cache(maxsize=1)
def celery_app():
    """The Celery app (Redis as broker and result backend), for `AURA_REDIS_URL`."""
    from celery import Celery, signals

    url = redis_url_or_exit()
    if url is None:
        print("AURA_REDIS_URL n'est pas définie : les exports passent par la file d'attente "
              "intégrée du tableau de bord, sans worker Celery. Définissez "
              "AURA_REDIS_URL=redis://… pour lancer un worker.", file=sys.stderr)
        raise SystemExit(1)
    app = Celery("aura_hlm", broker=url, backend=url)
    app.conf.update(
        task_track_started=True,
        result_expires=RESULT_SECONDS,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        redis_socket_connect_timeout=5,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2,
                                   "interval_step": 0.5, "interval_max": 1},
        worker_hijack_root_logger=False,
    )
    signals.task_postrun.connect(_forget_cancelled, weak=False)
    signals.task_revoked.connect(_forget_revoked, weak=False)
    return app


def _forget_cancelled(sender=None, task_id=None, args=None, **_kw) -> None:
    """After a cancelled job: delete its result, progress and Celery record, and the flag."""
    name = getattr(sender, "name", "") or ""
    if not name.startswith("background_callback_") or not task_id:
        return
    app = celery_app()
    client = app.backend.client
    if not client.exists(_cancel_key(task_id)):
        return
    if args:
        result_key, progress_key = args[0], args[1]
        client.delete(result_key, progress_key, f"{result_key}-set_props")
    app.AsyncResult(task_id).forget()
    client.delete(_cancel_key(task_id))


def _forget_revoked(request=None, **_kw) -> None:
    """A job revoked before it started: drop its flag and record."""
    task_id = getattr(request, "id", None)
    if task_id:
        app = celery_app()
        app.AsyncResult(task_id).forget()
        app.backend.client.delete(_cancel_key(task_id))


def raise_if_cancelled() -> None:
    """In a Celery job: raise `JobCancelled` when the page asked to cancel it.
    (An embedded job is killed instead, so nothing to check there.)"""
    if config.redis_url() is None:
        return
    from celery import current_task

    task_id = getattr(getattr(current_task, "request", None), "id", None)
    if task_id and celery_app().backend.client.exists(_cancel_key(task_id)):
        raise JobCancelled("export annulé")


# --- the manager and the result store ----------------------------------------------------------

@lru_cache(maxsize=1)
def manager() -> DiskcacheManager | CeleryManager:
    """The background-callback manager of this process: Celery when `AURA_REDIS_URL`
    is set, else the embedded diskcache queue under `config.jobs_dir()`."""
    if redis_url_or_exit() is not None:
        return JobsCeleryManager(celery_app())
    import diskcache

    path = config.jobs_dir() / "cache"
    try:
        path.mkdir(parents=True, exist_ok=True)
        cache = diskcache.Cache(str(path))
    except OSError as err:
        print(f"Le dossier des exports en arrière-plan ({path}) est inutilisable : "
              f"{err.strerror or err}. Choisissez-en un autre avec AURA_JOBS_DIR.",
              file=sys.stderr)
        raise SystemExit(_exit_status()) from None
    return JobsDiskcacheManager(cache)


class ResultStore:
    """Small JSON values kept in the manager's store (diskcache or Redis) with an expiry."""

    def __init__(self, backend: Any):
        self._backend = backend

    def get(self, key: str) -> dict | None:
        if isinstance(self._backend, DiskcacheManager):
            raw = self._backend.handle.get(key)
        else:
            raw = self._backend.handle.backend.client.get(key)
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: dict, expire: int = MEMO_SECONDS) -> None:
        raw = json.dumps(value)
        if isinstance(self._backend, DiskcacheManager):
            self._backend.handle.set(key, raw, expire=expire)
        else:
            self._backend.handle.backend.client.set(key, raw, ex=expire)


def result_store() -> ResultStore:
    """The store of memoised results, shared by every process using the same manager."""
    return ResultStore(manager())


def memo_key(kind: str, *parts: str) -> str:
    return ":".join((PREFIX, kind, *parts))


def lower_priority() -> None:
    """Lower this process's scheduling priority to `RENDER_NICENESS` (never raise
    it: an unprivileged process cannot). Children started afterwards, such as the
    renderer's Chromium, inherit it."""
    with contextlib.suppress(OSError):
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if current < RENDER_NICENESS:
            os.setpriority(os.PRIO_PROCESS, 0, RENDER_NICENESS)


@contextlib.contextmanager
def job_scope() -> Iterator[None]:
    """Around a job's work (only ever in a job process or a Celery worker): the
    process's priority lowered (`lower_priority`), so that exports never slow the
    site's requests much. In an embedded job process also a temporary directory of
    its own (TMPDIR: Chromium's profile goes there) and the renderer stopped at the
    end; a Celery worker keeps its renderer between jobs."""
    lower_priority()
    if config.redis_url() is not None:
        yield
        return
    from .export import png

    path = job_dir(os.getpid())
    old_env, old_tempdir = os.environ.get("TMPDIR"), tempfile.tempdir
    path.mkdir(parents=True, exist_ok=True)
    os.environ["TMPDIR"] = str(path)
    tempfile.tempdir = str(path)
    try:
        yield
    finally:
        png.stop()
        if old_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old_env
        tempfile.tempdir = old_tempdir
        shutil.rmtree(path, ignore_errors=True)


def __getattr__(name: str) -> Any:
    """`celery -A dashboard.jobs worker`: Celery looks for `app`, then `celery`. The
    worker gets the Celery app after the Dash app is built, so that every background
    callback is registered as a task under the name the app servers send."""
    if name == "celery":
        from .app_factory import create_app

        create_app()
        return celery_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
