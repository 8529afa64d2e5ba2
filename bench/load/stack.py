"""The processes under test, started as in production, and their memory and CPU.

* :class:`Stack` – a temporary data folder with a migrated SQLite database holding the demo
  directory, free ports on 127.0.0.1, and the environment every process reads;
* the action server and the Rasa server through :mod:`bot.runtime.processes` (exactly what
  ``steunwijzer run`` starts), or the untuned ``rasa init`` starter bot;
* the bot as a ``steunwijzer bot`` subprocess pointed at the fake Telegram;
* :class:`ProcessSampler` – peak RSS (``/proc/<pid>/status`` VmRSS, the process and its
  descendants) and CPU seconds (``/proc/<pid>/stat``) of each process.

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

import httpx

from bot.settings import PROJECT_ROOT

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
#: Where the trained ``rasa init`` starter bot is kept between runs (ignored by git).
STARTER_DIR = PROJECT_ROOT / ".models" / "bench-starter"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


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
        self._cpu_base: dict[int, float] = {}
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
        """Forget peaks (between targets)."""
        with self._lock:
            self.pids.clear()
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


# --------------------------------------------------------------------------- the stack


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
    """SIGKILL (a crash), and wait for it to be gone."""
    if child.alive():
        child.process.kill()
        child.process.wait(timeout=10)


@dataclass
class Stack:
    """Temporary data folder, SQLite database with the demo directory, ports and env."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @classmethod
    def create(cls) -> Stack:
        from bot.db.migrate import upgrade
        from bot.db.session import Database
        from bot.directory.gazetteer import load_reference_data
        from bot.directory.importer import import_demo
        from bot.privacy.sealed import generate_key

        root = Path(tempfile.mkdtemp(prefix="steunwijzer-bench-"))
        database_url = f"sqlite:///{root / 'steunwijzer.sqlite3'}"
        env = {
            "STEUNWIJZER_DATA_DIR": str(root),
            "STEUNWIJZER_DATABASE_URL": database_url,
            "STEUNWIJZER_PSEUDONYM_SECRET": "bench-secret-not-for-production",
            "STEUNWIJZER_ENCRYPTION_KEY": generate_key(),
            "STEUNWIJZER_RASA_TOKEN": "bench-token",
            "STEUNWIJZER_RASA_URL": f"http://127.0.0.1:{free_port()}",
            "STEUNWIJZER_ACTION_SERVER_PORT": str(free_port()),
            "STEUNWIJZER_WEB_PORT": str(free_port()),
        }
        upgrade(database_url)
        db = Database(database_url)
        with db.session() as session:
            load_reference_data(session)
            report = import_demo(session)
            if not report.ok:
                raise RuntimeError(report.summary())
        db.dispose()
        stack = cls(root, env)
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        return stack

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def rasa_url(self) -> str:
        return self.env["STEUNWIJZER_RASA_URL"]

    def settings(self):
        """The bot's settings as the child processes will read them."""
        from bot.settings import Settings

        os.environ.update(self.env)
        return Settings()

    # ------------------------------------------------------------------ processes

    def start_actions(self) -> Child:
        from bot.runtime.processes import start_action_server

        c = start_action_server(self.settings(), self.log_dir)
        return Child(c.name, c.process, c.log_path)

    def start_rasa(self) -> Child:
        from bot.runtime.processes import start_rasa

        c = start_rasa(self.settings(), self.log_dir)
        return Child(c.name, c.process, c.log_path)

    def start_starter_rasa(self, project: Path) -> Child:
        """The untuned ``rasa init`` bot, served as its README says (``rasa run``)."""
        log_path = self.log_dir / "starter-rasa.log"
        port = self.rasa_url.rsplit(":", 1)[1]
        env = {**os.environ, **self.env, "RASA_TELEMETRY_ENABLED": "false"}
        process = subprocess.Popen(
            [str(RASA_BIN), "run", "--enable-api", "--auth-token", self.env[
                "STEUNWIJZER_RASA_TOKEN"], "--interface", "127.0.0.1", "--port", port,
             "--model", "models"],
            cwd=project, env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return Child("rasa", process, log_path)

    def start_bot(self, telegram_env: dict[str, str], extra: dict[str, str] | None = None,
                  name: str = "bot") -> Child:
        log_path = self.log_dir / f"{name}.log"
        env = {**os.environ, **self.env, **telegram_env, **(extra or {})}
        steunwijzer = shutil.which("steunwijzer", path=str(Path(sys.executable).parent))
        process = subprocess.Popen(
            [steunwijzer or "steunwijzer", "bot"], cwd=PROJECT_ROOT, env=env,
            stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return Child(name, process, log_path)

    def start_run(self, telegram_env: dict[str, str]) -> Child:
        """``steunwijzer run`` (everything in one command), for the start-up time."""
        log_path = self.log_dir / "run.log"
        env = {**os.environ, **self.env, **telegram_env}
        steunwijzer = shutil.which("steunwijzer", path=str(Path(sys.executable).parent))
        process = subprocess.Popen(
            [steunwijzer or "steunwijzer", "run"], cwd=PROJECT_ROOT, env=env,
            stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
        )
        return Child("run", process, log_path)


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


def rasa_ready(stack: Stack, child: Child, timeout: float = 240) -> float:
    """Wait for ``/status`` with a model loaded."""
    return wait_http(f"{stack.rasa_url}/status", child, timeout,
                     {"token": stack.env["STEUNWIJZER_RASA_TOKEN"]})


def ensure_trained_model(out=sys.stderr) -> None:
    """Build the Rasa environment and train the project's model (both skip when up to date)."""
    from bot.runtime.processes import setup_rasa

    setup_rasa(out=out)


def ensure_starter(out=sys.stderr) -> Path:
    """``rasa init --no-prompt`` once (it trains the starter model); reused by later runs."""
    version = subprocess.run(
        [str(RASA_BIN.parent / "python"), "-c", "import rasa; print(rasa.__version__)"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    project = STARTER_DIR / version
    if list((project / "models").glob("*.tar.gz")):
        return project
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    print(f"[bench] rasa init --no-prompt into {project} (trains the starter model once)",
          file=out, flush=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    subprocess.run([str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(project)],
                   check=True, cwd=project, env=env, stdout=out, stderr=out)
    return project
