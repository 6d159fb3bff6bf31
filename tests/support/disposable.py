"""Redis and PostgreSQL servers of a test's own, to pause, stop, flush and restart under load.

The shared servers on 6379 and 5432 are never touched: each disposable server runs from the
machine's binaries on a free port, with its files in a temporary folder, and is stopped when the
test is done. PostgreSQL refuses to run as root, so its cluster belongs to the ``postgres`` user
when the tests run as root (as CI does).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.servers import free_port

STARTUP_SECONDS = 30.0


def _wait_for(ready: subprocess.Popen[bytes] | None, check: list[str], what: str) -> None:
    """Until ``check`` succeeds (a ping of the server's own client), or fail naming ``what``."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while subprocess.run(check, capture_output=True, check=False).returncode != 0:
        if ready is not None and ready.poll() is not None:
            raise RuntimeError(f"{what} exited with {ready.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {STARTUP_SECONDS:g}s")
        time.sleep(0.05)


@dataclass
class DisposableRedis:
    """``redis-server`` on a free port, nothing kept on disk."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [
            shutil.which("redis-server") or "redis-server",
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.folder),
            "--logfile", str(self.folder / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(self.process, self._cli("ping"), "redis-server")

    def _cli(self, *args: str) -> list[str]:
        return [shutil.which("redis-cli") or "redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args]

    def command(self, *args: str) -> str:
        return subprocess.run(self._cli(*args), capture_output=True, text=True, check=True).stdout.strip()

    def flushall(self) -> None:
        assert self.command("FLUSHALL") == "OK"

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open, nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server cannot stop
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        """Stopped and started again on the same port: everything it held is gone."""
        self.stop()
        self.start()


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return Path(found[-1]).parent


@dataclass
class DisposablePostgres:
    """A PostgreSQL cluster of its own on a free port (trust auth, no fsync), database ``test``.

    Its folder is made directly under the system's temporary directory: the ``postgres`` user
    must be able to reach it, and a test's own temporary folders are private to root.
    """

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="switchboard-pg-")))
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    @property
    def _data(self) -> Path:
        return self.folder / "data"

    def _as_owner(self, *command: str | Path) -> list[str]:
        args = [str(part) for part in command]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *args]
        return args

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        initdb = self._as_owner(
            _postgres_bin() / "initdb", "-D", self._data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"
        )
        subprocess.run(initdb, capture_output=True, check=True)
        self.start()
        createdb = [_postgres_bin() / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "test"]
        subprocess.run([str(p) for p in createdb], capture_output=True, check=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = self._as_owner(
            _postgres_bin() / "pg_ctl", "-D", self._data, "-o", options, "-l", self.folder / "pg.log", "-w", "start"
        )
        subprocess.run(start, capture_output=True, check=True)
        ping = [str(_postgres_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"]
        _wait_for(None, ping, "postgres")

    def stop(self, mode: str = "fast") -> None:
        stop = self._as_owner(_postgres_bin() / "pg_ctl", "-D", self._data, "-m", mode, "-w", "stop")
        subprocess.run(stop, capture_output=True, check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def disposable_redis(folder: Path) -> Iterator[DisposableRedis]:
    server = DisposableRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def disposable_postgres() -> Iterator[DisposablePostgres]:
    server = DisposablePostgres()
    try:
        server.create()
        yield server
    finally:
        server.remove()
