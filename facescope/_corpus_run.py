"""Where a batch's clips run: a process pool on this machine (one warm session per worker process),
or the workers of a Dask cluster (one warm session per Dask worker). Both run
``_corpus_clip.run_clip`` and yield its manifest rows as clips finish; ``stop()`` is Ctrl-C's.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import signal
from collections.abc import Iterator, Sequence
from typing import Any

from ._corpus_clip import row, run_clip

Job = tuple[str, str, str, str, dict[str, Any]]  # run_clip's arguments: path, name, key, out, options


def _worker_started() -> None:
    """A pool worker's first act. Its own session (process group): Ctrl-C at the terminal reaches
    the parent only, which then stops the workers itself, rather than every worker dying midway
    through a write. SIGTERM (the parent's stop) ends the worker's Chromium with it."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def terminate(signum: int, frame) -> None:  # noqa: ANN001 (the signal module's signature)
        from ._chromium import kill_launched

        kill_launched()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)


class LocalPool:
    """``workers`` spawned processes (spawn, not fork: a forked Playwright driver would be shared)."""

    def __init__(self, workers: int) -> None:
        self.pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_started
        )

    def run(self, jobs: Sequence[Job]) -> Iterator[dict[str, Any]]:
        futures = {self.pool.submit(run_clip, *job): job for job in jobs}
        for future in concurrent.futures.as_completed(futures):
            yield _row_of(future, futures[future])

    def stop(self) -> None:
        # The private _processes: the executor has no public way to end its workers at once.
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            try:
                process.terminate()
            except (OSError, ValueError):
                pass
        self.pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True)


class DaskRunner:
    """Clips as tasks on a ``dask.distributed`` cluster; ``client`` is a ``Client`` or a scheduler
    address. The output folder must be one every worker writes to (a shared path)."""

    def __init__(self, client: Any) -> None:
        from distributed import Client

        self.own = not isinstance(client, Client)
        self.client = Client(client) if self.own else client
        self.futures: list = []

    def run(self, jobs: Sequence[Job]) -> Iterator[dict[str, Any]]:
        from distributed import as_completed

        by_key = {}
        for job in jobs:
            # pure=False: the same clip submitted again (a --force run) is a new task, not a cached one.
            future = self.client.submit(run_clip, *job, pure=False)
            by_key[future.key] = job
            self.futures.append(future)
        for future in as_completed(self.futures):
            yield _row_of(future, by_key[future.key])

    def stop(self) -> None:
        self.client.cancel(self.futures)

    def close(self) -> None:
        if self.own:
            self.client.close()


def _row_of(future, job: Job) -> dict[str, Any]:
    """The row ``run_clip`` returned, or a failed row when its worker died (it never raises itself)."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 (a dead worker process; the batch goes on)
        from pathlib import Path

        path, name = job[0], job[1]
        return row(name, Path(path), "failed", f"the worker died: {type(error).__name__}: {error}", {}, 0.0)
