"""The ``scale-out`` target: two bot workers behind a webhook, NLU replicas, PostgreSQL, Redis.

What runs (docs/operations.md, "Several workers"), all on 127.0.0.1:

* a fresh database on the shared PostgreSQL server (migrated, the demo directory imported),
  dropped afterwards; Redis database 14 for flood limits and kept facts (the bot's keys in it
  deleted afterwards);
* the NLU replicas: the real Rasa through ``bot.runtime.processes.start_rasa`` (what
  ``steunwijzer run`` starts), each on its own port, ``STEUNWIJZER_RASA_URL=a,b``;
* two ``steunwijzer bot`` processes in webhook mode (``STEUNWIJZER_WEBHOOK_URL``, own ports,
  own data folders), pointed at the fake Telegram Bot API;
* in front of them Telegram's webhook sender and the operator's proxy
  (:mod:`fakes.webhook_delivery`): one queue per chat, up to setWebhook's ``max_connections``
  chats at once, round robin over the workers, an update without a 200 sent again.

The load is the core target's paced load. What the fake Telegram received is attributed to
the updates (:func:`fakes.webhook_delivery.audit`): duplicates and order violations must be 0.
CPU is read for every process, PostgreSQL's and Redis's whole servers included (they are
shared: in CI nothing else uses them; on a developer's machine other work may add to them).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
import redis

from bench.load.citizens import BenchTelegram
from bench.load.stack import (
    CLK_TCK,
    Child,
    base_env,
    free_port,
    prepare_database,
    process_tree,
    wait_http,
)
from bot.settings import PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from fakes.webhook_delivery import DeliversByWebhook, WebhookDelivery, audit

#: The shared PostgreSQL server (trust auth on loopback, as the tests use it).
PG_ADMIN_DSN = os.environ.get("STEUNWIJZER_BENCH_PG_ADMIN",
                              "postgresql://postgres@127.0.0.1:5432/postgres")
#: A Redis database of the bench's own (the tests use 7, 11 and 13).
REDIS_URL = os.environ.get("STEUNWIJZER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKERS = ("a", "b")


class ScaleTelegram(DeliversByWebhook, BenchTelegram):
    """The bench's fake Telegram, delivering by webhook through the delivery."""

    async def stop(self) -> None:
        if self.delivery is not None:
            await self.delivery.close()
        await super().stop()


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
        return None


def server_cpu(pid: int) -> float:
    """CPU seconds of a server and everything it started, also children that have ended
    (PostgreSQL's backends come and go; their time is added to the server's when it reaps
    them)."""
    total = 0
    fields = _stat(pid)
    if fields is None:
        return 0.0
    total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    for child in process_tree(pid)[1:]:
        child_fields = _stat(child)
        if child_fields is not None:
            total += int(child_fields[11]) + int(child_fields[12])
    return total / CLK_TCK


def postgres_pid(dsn: str) -> int | None:
    """The PostgreSQL server's process (the parent of our backend), when on this machine."""
    try:
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
    except psycopg.Error:
        return None
    fields = _stat(int(backend))
    return int(fields[1]) if fields else None


def redis_pid(url: str) -> int | None:
    """The Redis server's process, when on this machine."""
    try:
        pid = int(redis.Redis.from_url(url, socket_connect_timeout=2).info("server")["process_id"])
    except (redis.RedisError, KeyError, ValueError):
        return None
    return pid if _stat(pid) is not None else None


@dataclass
class ScaleOutStack:
    """The scale-out target (see the module docstring); duck-types the parts of
    :class:`bench.load.stack.Stack` that :class:`bench.load.run.Bench` uses."""

    name: str
    root: Path
    env: dict[str, str]
    database: str
    replicas: list[str]  # NLU replica URLs
    ports: dict[str, int]  # worker -> webhook port
    secret: str
    delivery: WebhookDelivery | None = None
    tg: ScaleTelegram | None = None
    servers: dict[str, int] = field(default_factory=dict)  # shared servers: name -> pid

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def code(self) -> Path:
        return PROJECT_ROOT

    @property
    def python(self) -> Path:
        return Path(sys.executable)

    @classmethod
    def create(cls, nlu_replicas: int = 2) -> ScaleOutStack:
        """A fresh PostgreSQL database with the demo directory, ports and secrets."""

        root = Path(tempfile.mkdtemp(prefix="steunwijzer-bench-scale-out-"))
        name = f"steunwijzer_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        url = f"{base}/{name}"
        replicas = [f"http://127.0.0.1:{free_port()}" for _ in range(nlu_replicas)]
        secret = secrets.token_urlsafe(32)
        env = {
            **base_env(root),
            "STEUNWIJZER_DATABASE_URL": url,
            "STEUNWIJZER_REDIS_URL": REDIS_URL,
            "STEUNWIJZER_RASA_URL": ",".join(replicas),
            # Telegram is given one public URL; the proxy keeps its path. Nothing listens
            # there: the delivery posts to the workers' ports.
            "STEUNWIJZER_WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/telegram",
            "STEUNWIJZER_WEBHOOK_SECRET": secret,
            "STEUNWIJZER_WEBHOOK_LISTEN": "127.0.0.1",
        }
        stack = cls("scale-out", root, env, name, replicas,
                    {w: free_port() for w in WORKERS}, secret)
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            prepare_database(url)
        except BaseException:
            stack.remove()
            raise
        for server, pid in (("postgres", postgres_pid(PG_ADMIN_DSN)),
                            ("redis", redis_pid(REDIS_URL))):
            if pid is not None:
                stack.servers[server] = pid
        return stack

    def remove(self) -> None:
        """Drop the database, delete the bot's Redis keys and the folder."""
        self.drop_shared()
        shutil.rmtree(self.root, ignore_errors=True)

    def drop_shared(self) -> None:
        """Drop the database and delete the bot's Redis keys (the logs stay)."""
        with contextlib.suppress(psycopg.Error), \
                psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        with contextlib.suppress(redis.RedisError):
            client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
            for key in client.scan_iter(match="steunwijzer:*"):
                client.delete(key)

    def child_env(self, *extra: dict[str, str]) -> dict[str, str]:
        env = {**os.environ, **self.env}
        for more in extra:
            env.update(more)
        return env

    # ------------------------------------------------------------------ processes
    def start_servers(self) -> list[Child]:
        """The NLU replicas, each as ``steunwijzer run`` starts the NLU service."""
        from bot.runtime.processes import start_rasa
        from bot.settings import Settings

        children = []
        for letter, url in zip("abcdefgh", self.replicas, strict=False):
            log_dir = self.log_dir / f"rasa-{letter}"
            # start_rasa listens where the first replica URL points.
            with mock.patch.dict(os.environ, {**self.env, "STEUNWIJZER_RASA_URL": url}):
                c = start_rasa(Settings(), log_dir)
            children.append(Child(f"rasa-{letter}", c.process, c.log_path))
        return children

    def servers_ready(self, children: list[Child], timeout: float = 240) -> float:
        """Wait for every replica's ``/status``; seconds waited."""
        waited = 0.0
        for child, url in zip(children, self.replicas, strict=True):
            waited += wait_http(f"{url}/status", child, timeout,
                                {"token": self.env["STEUNWIJZER_RASA_TOKEN"]})
        return waited

    def telegram(self) -> ScaleTelegram:
        """The fake Telegram with the delivery in front of the workers."""
        tg = ScaleTelegram()
        tg.delivery = self.delivery = WebhookDelivery(
            [f"http://127.0.0.1:{port}" for port in self.ports.values()],
            answers_in=tg.answers_in)
        self.tg = tg
        return tg

    def start_bots(self, telegram_env: dict[str, str]) -> list[Child]:
        """``steunwijzer bot`` in webhook mode, once per worker."""
        import subprocess

        children = []
        steunwijzer = self.python.parent / "steunwijzer"
        for worker, port in self.ports.items():
            data_dir = self.root / f"data-{worker}"  # its own log files, outside log_dir
            data_dir.mkdir(exist_ok=True)
            env = self.child_env(telegram_env, {"STEUNWIJZER_WEBHOOK_PORT": str(port),
                                                "STEUNWIJZER_DATA_DIR": str(data_dir)})
            log_path = self.log_dir / f"bot-{worker}.log"
            process = subprocess.Popen(
                [str(steunwijzer), "bot"], cwd=self.code, env=env,
                stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
            )
            children.append(Child(f"bot-{worker}", process, log_path))
        return children

    async def bots_ready(self, tg: BenchTelegram, bots: list[Child]) -> None:
        """Until every worker has set the webhook (it listens from then on)."""

        def set_by_all() -> bool:
            return (len(tg.calls("setWebhook")) >= len(bots)
                    or any(not b.alive() for b in bots))

        await tg.wait_until(set_by_all, timeout=120)
        for bot in bots:
            if not bot.alive():
                raise RuntimeError(f"{bot.name} stopped; see {bot.log_path}")

    def audit(self) -> dict[str, Any]:
        """Duplicates, order violations and retried deliveries, from what the fake
        Telegram received (every chat of the run)."""
        assert self.tg is not None and self.delivery is not None
        counts = audit(self.tg, self.delivery).as_dict()
        per_worker = [sum(a.ok for a in self.delivery.attempts if a.worker == i)
                      for i in range(len(self.ports))]
        return {**counts, "per_worker": per_worker, "replicas": len(self.replicas),
                "workers": len(self.ports)}
