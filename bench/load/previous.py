"""The previous architecture as the baseline: commit e99dea7, run beside the current one.

Before the conversation core (197800c) the dialogue lived in Rasa (rules, tracker store) and
what a turn did ran in a rasa-sdk action server. To compare like with like, that commit is
exported (``git archive``, read-only for the repository) into a cache folder outside the
repository and run from there with *its own* code:

* its app environment from its own ``uv.lock`` (it needs rasa-sdk, which the current lock no
  longer has): ``uv sync --frozen --no-dev`` into ``<checkout>/.venv``;
* its Rasa model trained by its own ``scripts/train_rasa.sh`` (``rasa train``: NLU, rules and
  domain), reusing the current Rasa environment (``RASA_VENV``) — allowed only when
  ``requirements/rasa.txt`` and ``scripts/setup_rasa.sh`` are byte-identical, so its
  ``setup_rasa.sh`` sees an up-to-date env and never reinstalls it;
* its database migrated and loaded with the demo directory by its own ``steunwijzer`` CLI;
* its action server and Rasa started with the exact commands its ``bot/runtime/processes.py``
  builds (asked from its own code, see :func:`server_commands`), and its ``steunwijzer bot``.

The checkout, its venv and its model are kept between runs (``STEUNWIJZER_BENCH_CACHE``,
default ``~/.cache/steunwijzer-bench``); a later run only starts processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bot.settings import PROJECT_ROOT

#: The last commit of the previous architecture (Rasa dialogue + action server).
PREVIOUS_COMMIT = "e99dea7"
CACHE = Path(os.environ.get("STEUNWIJZER_BENCH_CACHE")
             or Path.home() / ".cache" / "steunwijzer-bench")
UV = PROJECT_ROOT / ".tools" / "bin" / "uv"
RASA_VENV = PROJECT_ROOT / ".venv-rasa"
#: Files that must be identical for the previous checkout to share the current Rasa env.
SHARED_RASA_FILES = ("requirements/rasa.txt", "scripts/setup_rasa.sh")
#: Environment variables of the bench's own process that must not leak into the previous
#: code's processes (they could make it import the current code or the current venv).
LEAKY_ENV = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT")

# Run by the previous checkout's Python: records the commands its bot/runtime/processes.py
# would start (subprocess.Popen replaced by a recorder), so the bench starts exactly those.
_CAPTURE = r"""
import json, os, subprocess, sys
from pathlib import Path
from typing import IO
calls = []
class _Recorder:
    def __init__(self, args, cwd=None, env=None, stdout=None, stderr=None, **kwargs):
        if hasattr(stdout, "close"):
            stdout.close()
        env = os.environ if env is None else env
        calls.append({"args": [str(a) for a in args], "cwd": str(cwd or os.getcwd()),
                      "env": {k: v for k, v in env.items() if os.environ.get(k) != v}})
subprocess.Popen = _Recorder
from bot.runtime import processes
from bot.settings import Settings
settings = Settings()
processes.start_action_server(settings, Path(sys.argv[1]))
processes.start_rasa(settings, Path(sys.argv[1]))
print(json.dumps(calls))
"""

# Run by a target's Python: which of the given texts its crisis lexicon catches (the current
# code has bot.safety.net.lexicon_signal, the previous one bot.safety.crisis.check_all).
LEXICON_PROBE = r"""
import json, sys
texts = json.load(sys.stdin)
try:
    from bot.safety.net import lexicon_signal
    hit = lambda t: lexicon_signal(t) is not None
except ImportError:
    from bot.safety.crisis import check_all
    hit = lambda t: bool(check_all(t))
print(json.dumps([hit(t) for t in texts]))
"""


def log(*parts: object) -> None:
    print("[bench]", *parts, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Previous:
    """A ready checkout of the previous architecture: code, app venv and trained model."""

    commit: str
    root: Path

    @property
    def bin_dir(self) -> Path:
        return self.root / ".venv" / "bin"

    @property
    def python(self) -> Path:
        return self.bin_dir / "python"

    def clean_env(self, env: dict[str, str]) -> dict[str, str]:
        """``env`` without what would point its processes at the current code, plus the
        shared Rasa env."""
        out = {k: v for k, v in env.items() if k not in LEAKY_ENV}
        out["RASA_VENV"] = str(RASA_VENV)
        out["RASA_TELEMETRY_ENABLED"] = "false"
        return out

    def run(self, args: list[str], env: dict[str, str], out: IO[str] | None = None) -> str:
        """Run ``args`` in the checkout with ``env``; its stdout is returned."""
        done = subprocess.run(args, cwd=self.root, env=self.clean_env(env), check=True,
                              stdout=subprocess.PIPE, stderr=out or sys.stderr, text=True)
        return done.stdout

    def server_commands(self, env: dict[str, str], log_dir: Path) -> list[dict[str, object]]:
        """The action server's and Rasa's command, working folder and environment, as its
        ``bot/runtime/processes.py`` builds them for ``env`` (in that order)."""
        calls = json.loads(self.run([str(self.python), "-c", _CAPTURE, str(log_dir)], env))
        base = self.clean_env(env)
        for call in calls:
            call["env"] = {**base, **call["env"]}
        return calls


def _full_sha(commit: str) -> str:
    return subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--verify",
                           f"{commit}^{{commit}}"], check=True, capture_output=True,
                          text=True).stdout.strip()


def _export(sha: str, root: Path) -> None:
    """``git archive`` of ``sha`` into ``root`` (atomically: a half-written export is never
    mistaken for a complete one, also with two bench runs at once)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}-", dir=root.parent))
    try:
        archive = subprocess.Popen(["git", "-C", str(PROJECT_ROOT), "archive", sha],
                                   stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(tmp)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise RuntimeError(f"git archive {sha} failed")
        try:
            tmp.rename(root)
        except OSError:  # another run was quicker
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _check_shared_rasa(root: Path) -> None:
    for name in SHARED_RASA_FILES:
        if (root / name).read_bytes() != (PROJECT_ROOT / name).read_bytes():
            raise RuntimeError(
                f"{name} differs between the previous checkout and the current one: the previous"
                " model cannot share .venv-rasa (build it its own Rasa env first)")


def _sync_venv(root: Path, out: IO[str]) -> None:
    """Its own app env from its own lock; skipped when the lock has not changed since."""
    stamp = root / ".venv" / ".bench-lock.sha256"
    want = hashlib.sha256((root / "uv.lock").read_bytes()).hexdigest()
    installed = (root / ".venv" / "bin" / "steunwijzer").exists()
    if installed and stamp.exists() and stamp.read_text().strip() == want:
        return
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_ENV}
    env["UV_PROJECT_ENVIRONMENT"] = str(root / ".venv")
    base = [str(UV), "sync", "--frozen", "--no-dev", "--quiet"]
    log(f"previous: uv sync --frozen --no-dev in {root}")
    # Offline first: everything is usually in uv's cache already; the index only if not.
    offline = subprocess.run([*base, "--offline"], cwd=root, env=env, stdout=out, stderr=out)
    if offline.returncode != 0:
        subprocess.run(base, cwd=root, env=env, stdout=out, stderr=out, check=True)
    stamp.write_text(want + "\n")


def ensure_previous(commit: str = PREVIOUS_COMMIT) -> Previous:
    """The previous architecture checked out, installed and trained (each step skipped when
    already done by an earlier run). Their output goes to ``<cache>/<sha>-setup.log``."""
    sha = _full_sha(commit)
    root = CACHE / sha[:12]
    if not (root / "pyproject.toml").exists():
        log(f"previous: exporting {commit} into {root}")
        _export(sha, root)
    _check_shared_rasa(root)
    log_path = CACHE / f"{sha[:12]}-setup.log"
    with log_path.open("a") as out:
        try:
            _sync_venv(root, out)
            # Its own training script; the shared Rasa env is up to date for it (same lock and
            # script), so its setup_rasa.sh leaves it alone.
            env = {k: v for k, v in os.environ.items() if k not in LEAKY_ENV}
            env["RASA_VENV"] = str(RASA_VENV)
            log(f"previous: its scripts/train_rasa.sh (trains once into {root}/.models)")
            subprocess.run(["bash", "scripts/train_rasa.sh"], cwd=root, env=env, stdout=out,
                           stderr=out, check=True)
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"{exc}; see {log_path}") from None
    return Previous(commit, root)


def lexicon_hits(python: Path, cwd: Path, texts: list[str], env: dict[str, str]) -> set[str]:
    """Which ``texts`` the crisis lexicon of the code in ``cwd`` catches (run by ``python``)."""
    env = {k: v for k, v in env.items() if k not in LEAKY_ENV}
    done = subprocess.run([str(python), "-c", LEXICON_PROBE], cwd=cwd, env=env, check=True,
                          input=json.dumps(texts), capture_output=True, text=True)
    return {t for t, hit in zip(texts, json.loads(done.stdout), strict=True) if hit}
