"""Import a full ``pc4 → municipality`` table (CBS "postcode-huisnummer-gemeente" or any
``pc4,gemeentecode`` export), all or nothing."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.directory.models import Municipality, MunicipalityAlias, Postcode
from bot.text.normalize import fold

_GM_CODE = re.compile(r"^(?:gm)?(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PostcodeRowError:
    """A row of a postcode file that could not be imported."""

    line: int
    row: str
    reason: str


class PostcodeImportError(ValueError):
    """Raised by :func:`import_postcodes` when any row is bad; nothing was written."""

    def __init__(self, errors: Sequence[PostcodeRowError]) -> None:
        self.errors = tuple(errors)
        shown = "; ".join(f"line {e.line}: {e.reason} ({e.row!r})" for e in self.errors[:10])
        more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
        super().__init__(f"{len(self.errors)} bad postcode rows, nothing imported: {shown}{more}")


def _normalise_code(value: str) -> str | None:
    """``GM0363``, ``gm363``, ``0363`` and ``363`` all become ``GM0363``."""
    match = _GM_CODE.match(value.strip())
    return f"GM{int(match.group(1)):04d}" if match else None


def import_postcodes(session: Session, path: str | Path) -> int:
    """Import a full ``pc4 → municipality`` table from a CSV file; returns the number of rows.

    The file has a header with ``pc4`` and either ``municipality_code`` (``GM0363``, ``0363``)
    or ``municipality`` (a name or alias the gazetteer knows, e.g. ``Den Haag``). All or
    nothing: every row is checked first and, if any is bad, :class:`PostcodeImportError` lists
    the bad rows and nothing is written. Existing postcodes are updated, others inserted; the
    caller's transaction commits.
    """
    known_codes = set(session.scalars(select(Municipality.code)))
    by_alias = {
        folded: code
        for folded, code in session.execute(
            select(MunicipalityAlias.folded, MunicipalityAlias.municipality_code)
        )
    }
    errors: list[PostcodeRowError] = []
    wanted: dict[str, str] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = {h.strip().lower() for h in reader.fieldnames or ()}
        if "pc4" not in header or not header & {"municipality_code", "municipality"}:
            raise PostcodeImportError(
                [PostcodeRowError(1, ",".join(reader.fieldnames or ()),
                                  "header needs pc4 and municipality_code or municipality")]
            )  # fmt: skip
        for line, raw in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            shown = ",".join(raw.get(k) or "" for k in reader.fieldnames or ())
            pc4 = row.get("pc4", "").replace(" ", "")[:4] if row.get("pc4") else ""
            if not re.fullmatch(r"[1-9]\d{3}", pc4):
                errors.append(PostcodeRowError(line, shown, "pc4 is not four digits 1000-9999"))
                continue
            if row.get("municipality_code"):
                code = _normalise_code(row["municipality_code"])
                if code is None or code not in known_codes:
                    errors.append(PostcodeRowError(line, shown, "unknown municipality code"))
                    continue
            else:
                code = by_alias.get(fold(row.get("municipality", "")))
                if code is None:
                    errors.append(PostcodeRowError(line, shown, "unknown municipality name"))
                    continue
            if wanted.get(pc4, code) != code:
                errors.append(
                    PostcodeRowError(line, shown, "pc4 listed twice with different municipalities")
                )
                continue
            wanted[pc4] = code
    if errors:
        raise PostcodeImportError(errors)

    # Comprehensions, not dict(result): a Result has .keys() and would be read as a mapping.
    current = {
        pc4: code for pc4, code in session.execute(select(Postcode.pc4, Postcode.municipality_code))
    }
    inserts = [{"pc4": p, "municipality_code": c} for p, c in wanted.items() if p not in current]
    updates = [
        {"pc4": p, "municipality_code": c}
        for p, c in wanted.items()
        if p in current and current[p] != c
    ]
    if inserts:
        session.execute(insert(Postcode), inserts)
    if updates:
        session.execute(update(Postcode), updates)
    session.flush()
    return len(wanted)
