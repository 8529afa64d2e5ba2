"""Tombstones: deletions a citizen asked for, kept so they survive the restore of a backup.

/forget and "stop reminders" record a tombstone in the same transaction as the deletion. The
retention job applies every tombstone again (:func:`bot.privacy.forget.reapply_tombstones`),
so rows that a restored backup brought back disappear on its first run, and deletes
tombstones older than ``backup_max_age_days``, when no backup that could hold those rows
may exist any more.

A restore of the database also restores its tombstone table to the day of the backup, so the
tombstones are mirrored to ``tombstone_file`` (a setting), which must live where a restore of
the database does not reach; the job reads it back before applying them. The file holds
only hashes and dates (docs/security.md, "Backups").
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.privacy.models import Tombstone

log = logging.getLogger(__name__)

PSEUDONYM = "pseudonym"  # /forget: everything of a person
SUBSCRIPTION = "subscription"  # "stop reminders": one subscription
KINDS = frozenset({PSEUDONYM, SUBSCRIPTION})
_HEADER = "# steunwijzer tombstones: <deleted at, UTC ISO> <kind> <sha-256>; no personal data\n"


@dataclass(frozen=True)
class Entry:
    """One tombstone as the file holds it."""

    deleted_at: datetime
    kind: str
    digest: str


def digest(kind: str, value: str) -> str:
    """The one-way hash a tombstone keeps instead of ``value`` (a pseudonym, a subscription id).

    Unkeyed on purpose: it must still match after the pseudonym secret was rotated. It names
    nobody: the pseudonym it hides is itself a keyed hash, and matching it needs a copy of
    that pseudonym's rows, which is exactly what a restore brings back and this is for.
    """
    return hashlib.sha256(f"steunwijzer tombstone:{kind}:{value}".encode()).hexdigest()


def record(session: Session, kind: str, value: str, now: datetime) -> None:
    """Remember that ``value`` of ``kind`` was deleted at ``now`` (a later deletion wins)."""
    key = digest(kind, value)
    row = session.get(Tombstone, key)
    if row is None:
        session.add(Tombstone(digest=key, kind=kind, deleted_at=now))
    elif row.deleted_at < now:
        row.deleted_at = now


def entries(session: Session) -> list[Entry]:
    """Every tombstone, oldest first."""
    rows = session.scalars(select(Tombstone).order_by(Tombstone.deleted_at, Tombstone.digest))
    return [Entry(row.deleted_at, row.kind, row.digest) for row in rows]


def merge(session: Session, found: Iterable[Entry]) -> int:
    """Add tombstones from elsewhere (the file) that the database lacks; returns how many."""
    added = 0
    for entry in found:
        row = session.get(Tombstone, entry.digest)
        if row is None:
            session.add(Tombstone(digest=entry.digest, kind=entry.kind,
                                  deleted_at=entry.deleted_at))
            added += 1
        elif row.deleted_at < entry.deleted_at:
            row.deleted_at = entry.deleted_at
    session.flush()
    return added


def expire(session: Session, now: datetime, max_age: timedelta) -> int:
    """Delete tombstones older than the oldest backup that may still be restored."""
    result = session.execute(delete(Tombstone).where(Tombstone.deleted_at < now - max_age))
    return result.rowcount or 0  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- the file
def read_file(path: Path) -> list[Entry]:
    """The tombstones in ``path`` (none when it does not exist); malformed lines are skipped."""
    if not path.exists():
        return []
    found: list[Entry] = []
    skipped = 0
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        try:
            at, kind, key = line.split()
            when = datetime.fromisoformat(at)
        except ValueError:
            skipped += 1
            continue
        if kind not in KINDS or len(key) != 64 or when.tzinfo is None:
            skipped += 1
            continue
        found.append(Entry(when, kind, key))
    if skipped:
        log.warning("tombstone file: %d malformed line(s) skipped", skipped)
    return found


def write_file(path: Path, current: Iterable[Entry]) -> None:
    """Replace ``path`` with ``current`` atomically (mode 600), so a crash never leaves half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tombstones-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(_HEADER)
            for entry in current:
                handle.write(f"{entry.deleted_at.isoformat()} {entry.kind} {entry.digest}\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
