"""The processes under test, started as in production, and their memory and CPU.

* :class:`Stack` – a temporary data folder with a migrated SQLite database holding the demo
  directory, free ports on 127.0.0.1, the environment every process reads, and which code runs
  (the current checkout, or the previous architecture's, see :mod:`bench.load.previous`);
* the conversation servers: for the current code the NLU service through
  :mod:`bot.runtime.processes` (exactly what ``steunwijzer run`` starts); for the previous one
  its action server and Rasa with the commands its own ``processes.py`` builds;
* the bot as a ``steunwijzer bot`` subprocess pointed at the fake Telegram;
* :class:`ProcessSampler` – peak RSS (``/proc/<pid>/statm``, the process and its descendants)
  and CPU seconds (``/proc/<pid>/stat``) of each process.

Nothing listens beyond 127.0.0.1; every child is stopped by its own pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import httpx

from bot.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from bench.load.citizens import BenchTelegram
    from bench.load.previous import Previous

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
BENCH_SECRET = "bench-secret-not-for-production"
BENCH_TOKEN = "bench-token"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- /proc


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(p) for p in handle.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return out


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that exist right now."""
    seen: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo.extend(_children(current))
    return seen


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields_ = handle.read().rsplit(")", 1)[1].split()
        return (int(fields_[11]) + int(fields_[12])) / CLK_TCK
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


class ProcessSampler:
    """Samples RSS of named process trees every ``interval`` seconds in a thread.

    ``peak[name]`` is the highest RSS of that tree; ``peak_total`` the highest sum over all
    trees at one instant (what the machine must hold at once).
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.pids: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.peak_total = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def start(self) -> ProcessSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def track(self, name: str, pid: int) -> None:
        """Follow the tree of ``pid`` under ``name`` (a restarted process keeps its name)."""
        with self._lock:
            self.pids[name] = pid

    def reset(self) -> None:
        """Forget processes and peaks (between targets)."""
        with self._lock:
            self.pids.clear()
            self.peak.clear()
            self.peak_total = 0

    def reset_peaks(self) -> None:
        """Forget peaks only (between phases of one target)."""
        with self._lock:
            self.peak.clear()
            self.peak_total = 0

    def sample(self) -> None:
        with self._lock:
            pids = dict(self.pids)
        total = 0
        for name, pid in pids.items():
            rss = sum(rss_bytes(p) for p in process_tree(pid))
            total += rss
            with self._lock:
                self.peak[name] = max(self.peak.get(name, 0), rss)
        with self._lock:
            self.peak_total = max(self.peak_total, total)

    def cpu(self) -> dict[str, float]:
        """CPU seconds used so far by each tracked tree."""
        with self._lock:
            pids = dict(self.pids)
        return {name: sum(cpu_seconds(p) for p in process_tree(pid)) for name, pid in pids.items()}

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


# --------------------------------------------------------------------------- children


@dataclass
class Child:
    """A started process and where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None


def stop_child(child: Child | None, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL, for this child and whatever it started (by pid)."""
    if child is None or not child.alive():
        return
    tree = process_tree(child.pid)
    child.process.send_signal(signal.SIGTERM)
    try:
        child.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.process.kill()
        child.process.wait(timeout=5)
    for pid in tree[1:]:  # grandchildren that outlived their parent
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def kill_child(child: Child) -> None:
    """SIGKILL (a crash, the OOM killer), and wait for it to be gone."""
    if child.alive():
        child.process.kill()
        child.process.wait(timeout=10)


def wait_http(
    url: str, child: Child, timeout: float, params: dict[str, str] | None = None
) -> float:
    """Poll ``url`` until it answers 200; returns the seconds waited. Raises when the child
    dies or ``timeout`` passes."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not child.alive():
            raise RuntimeError(f"{child.name} stopped; see {child.log_path}")
        try:
            if httpx.get(url, params=params, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)  # start-up polling
    raise TimeoutError(f"{child.name} not ready after {timeout:.0f}s; see {child.log_path}")


# --------------------------------------------------------------------------- the stack


def base_env(root: Path) -> dict[str, str]:
    """Secrets, ports and folders every process of one target reads (never real secrets)."""
    from bot.privacy.sealed import generate_key

    return {
        "STEUNWIJZER_DATA_DIR": str(root),
        "STEUNWIJZER_DATABASE_URL": f"sqlite:///{root / 'steunwijzer.sqlite3'}",
        "STEUNWIJZER_PSEUDONYM_SECRET": BENCH_SECRET,
        "STEUNWIJZER_ENCRYPTION_KEY": generate_key(),
        "STEUNWIJZER_RASA_TOKEN": BENCH_TOKEN,
        "STEUNWIJZER_RASA_URL": f"http://127.0.0.1:{free_port()}",
        "STEUNWIJZER_WEB_PORT": str(free_port()),
    }


def prepare_database(url: str) -> None:
    """Migrate the database at ``url`` and load the gazetteer and the demo directory, as
    ``steunwijzer run`` does on a first start (the current code's own functions)."""
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.directory.formats import import_demo
    from bot.directory.gazetteer import load_reference_data

    upgrade(url)
    db = Database(url)
    try:
        with db.session() as session:
            load_reference_data(session)
            report = import_demo(session)
            if not report.ok:
                raise RuntimeError(report.summary())
    finally:
        db.dispose()


@dataclass
class Stack:
    """One target: its temporary folder and database, its environment and which code runs.

    ``previous`` is None for the current code (run from this checkout and ``.venv``), else the
    previous architecture's checkout (its own venv, its own processes).
    """

    name: str
    root: Path
    env: dict[str, str] = field(default_factory=dict)
    previous: Previous | None = None

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def code(self) -> Path:
        return self.previous.root if self.previous else PROJECT_ROOT

    @property
    def python(self) -> Path:
        return self.previous.python if self.previous else Path(sys.executable)

    @property
    def rasa_url(self) -> str:
        return self.env["STEUNWIJZER_RASA_URL"]

    @classmethod
    def create(cls) -> Stack:
        """The current code, with the database migrated and the demo directory imported."""
        root = Path(tempfile.mkdtemp(prefix="steunwijzer-bench-core-"))
        env = base_env(root)
        prepare_database(env["STEUNWIJZER_DATABASE_URL"])
        stack = cls("core", root, env)
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        return stack

    @classmethod
    def create_previous(cls, previous: Previous) -> Stack:
        """The previous architecture, its database migrated and filled by its own CLI."""
        root = Path(tempfile.mkdtemp(prefix="steunwijzer-bench-previous-"))
        env = {**base_env(root), "STEUNWIJZER_ACTION_SERVER_PORT": str(free_port())}
        stack = cls("previous", root, env, previous)
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        cli = str(previous.bin_dir / "steunwijzer")
        with (stack.log_dir / "setup.log").open("a") as out:
            previous.run([cli, "db", "upgrade"], stack.child_env(), out)
            previous.run([cli, "directory", "import", "--demo"], stack.child_env(), out)
        return stack

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def child_env(self, *extra: dict[str, str]) -> dict[str, str]:
        """The environment of a child: ours, the stack's, then ``extra``."""
        env = {**os.environ, **self.env}
        for more in extra:
            env.update(more)
        return self.previous.clean_env(env) if self.previous else env

    # ------------------------------------------------------------------ processes

    def start_servers(self) -> list[Child]:
        """What ``steunwijzer run`` starts before the bot: the NLU service (current), or the
        action server and Rasa (previous, in the order its processes.py starts them)."""
        if self.previous is None:
            return [self.start_rasa()]
        children = []
        for call in self.previous.server_commands(self.child_env(), self.log_dir):
            name = "actions" if "rasa_sdk" in call["args"] else "rasa"  # type: ignore[operator]
            log_path = self.log_dir / f"{name}.log"
            process = subprocess.Popen(
                call["args"], cwd=call["cwd"], env=call["env"],  # type: ignore[arg-type]
                stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
            )
            children.append(Child(name, process, log_path))
        return children

    def start_rasa(self) -> Child:
        """The current NLU service through ``bot.runtime.processes.start_rasa`` (also used to
        restart it in the fault phase)."""
        assert self.previous is None, "the previous Rasa is started by start_servers"
        from bot.runtime.processes import start_rasa
        from bot.settings import Settings

        # start_rasa builds the child's environment from os.environ: the stack's values are
        # set only for this call, so the bench's own environment stays clean.
        with mock.patch.dict(os.environ, self.env):
            c = start_rasa(Settings(), self.log_dir)
        return Child(c.name, c.process, c.log_path)

    def servers_ready(self, children: list[Child], timeout: float = 240) -> float:
        """Wait for Rasa's ``/status`` (and the action server's ``/health``); seconds waited."""
        waited = 0.0
        for child in children:
            if child.name == "rasa":
                waited += rasa_ready(self, child, timeout)
            elif child.name == "actions":
                port = self.env["STEUNWIJZER_ACTION_SERVER_PORT"]
                waited += wait_http(f"http://127.0.0.1:{port}/health", child, timeout)
        return waited

    def telegram(self) -> BenchTelegram:
        """The fake Telegram this target's bot talks to (long polling)."""
        from bench.load.citizens import BenchTelegram

        return BenchTelegram()

    def start_bots(self, telegram_env: dict[str, str]) -> list[Child]:
        """The bot process(es) of this target: one, long-polling."""
        return [self.start_bot(telegram_env)]

    async def bots_ready(self, tg: BenchTelegram, bots: list[Child]) -> None:
        """Until the bot polls for updates."""
        await tg.wait_for_call("getUpdates", timeout=90)

    def start_bot(self, telegram_env: dict[str, str], name: str = "bot") -> Child:
        """``steunwijzer bot`` of this target's code, talking to the fake Telegram."""
        log_path = self.log_dir / f"{name}.log"
        steunwijzer = self.python.parent / "steunwijzer"
        process = subprocess.Popen(
            [str(steunwijzer), "bot"], cwd=self.code, env=self.child_env(telegram_env),
            stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return Child(name, process, log_path)

    def start_run(self, telegram_env: dict[str, str]) -> Child:
        """``steunwijzer run`` (everything in one command), for the start-up time."""
        log_path = self.log_dir / "run.log"
        steunwijzer = self.python.parent / "steunwijzer"
        process = subprocess.Popen(
            [str(steunwijzer), "run"], cwd=self.code, env=self.child_env(telegram_env),
            stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return Child("run", process, log_path)


def rasa_ready(stack: Stack, child: Child, timeout: float = 240) -> float:
    """Wait for ``/status`` with a model loaded."""
    return wait_http(f"{stack.rasa_url}/status", child, timeout,
                     {"token": stack.env["STEUNWIJZER_RASA_TOKEN"]})


def ensure_trained_model(out=sys.stderr) -> None:
    """Build the Rasa environment and train the current NLU model (both skip when up to
    date), so no timing ever includes training."""
    from bot.runtime.processes import setup_rasa

    setup_rasa(out=out)
