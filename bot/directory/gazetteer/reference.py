"""The bundled reference data (municipalities, aliases, postcodes) and loading it.

Reference data lives in ``bot/directory/data``:

* ``municipalities.yml``: CBS code, official name, province, region and aliases per language:
  other spellings, nicknames and the municipality's towns and villages ("Hoofddorp", "زاندام").
* ``postcodes.csv``: ``pc4,municipality_code`` for the demo regions only (Amsterdam, Rotterdam,
  's-Gravenhage, Utrecht, Tilburg, Eindhoven, Groningen, Schiedam, Delft). A full national table
  is loaded with :func:`bot.directory.gazetteer.import_postcodes`; the bundled file never
  overwrites it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.directory.models import Municipality, MunicipalityAlias, Postcode
from bot.text.normalize import fold

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MUNICIPALITIES_FILE = DATA_DIR / "municipalities.yml"
POSTCODES_FILE = DATA_DIR / "postcodes.csv"


@dataclass(frozen=True, slots=True)
class MunicipalityRecord:
    """One municipality of ``municipalities.yml``; ``aliases`` are (alias, language) pairs."""

    code: str
    name: str
    province: str | None
    region: str | None
    aliases: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def bundled_municipalities() -> tuple[MunicipalityRecord, ...]:
    """The municipalities of ``municipalities.yml`` (parsed once)."""
    raw = yaml.safe_load(MUNICIPALITIES_FILE.read_text(encoding="utf-8"))
    records = []
    for item in raw["municipalities"]:
        aliases = tuple(
            (str(alias), str(lang))
            for lang, names in (item.get("aliases") or {}).items()
            for alias in names
        )
        records.append(
            MunicipalityRecord(
                code=item["code"],
                name=item["name"],
                province=item.get("province"),
                region=item.get("region"),
                aliases=aliases,
            )
        )
    return tuple(records)


@lru_cache(maxsize=1)
def bundled_postcodes() -> tuple[tuple[str, str], ...]:
    """The (pc4, municipality code) pairs of ``postcodes.csv`` (parsed once)."""
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((row["pc4"], row["municipality_code"]) for row in csv.DictReader(fh))


def alias_rows_of(record: MunicipalityRecord) -> list[dict[str, str]]:
    """Alias rows of one municipality: its official name first, one row per folded key."""
    rows: dict[str, dict[str, str]] = {}
    for alias, language in ((record.name, "nl"), *record.aliases):
        key = fold(alias)
        if key and key not in rows:  # first language wins when scripts fold together
            rows[key] = {
                "municipality_code": record.code,
                "alias": alias,
                "folded": key,
                "language": language,
            }
    return list(rows.values())


def load_reference_data(session: Session) -> None:
    """Upsert the bundled municipalities, aliases and postcodes (idempotent).

    Inserts what is missing and updates changed municipality names, provinces and regions; it
    never deletes anything, and bundled postcodes never overwrite an imported full table. When
    everything is loaded already this costs three small SELECTs and no writes.
    """
    records = bundled_municipalities()
    existing = {
        m.code: (m.name, m.province, m.region)
        for m in session.execute(
            select(Municipality.code, Municipality.name, Municipality.province, Municipality.region)
        )
    }
    new = [r for r in records if r.code not in existing]
    changed = [
        r
        for r in records
        if r.code in existing and existing[r.code] != (r.name, r.province, r.region)
    ]
    if new:
        session.execute(
            insert(Municipality),
            [
                {"code": r.code, "name": r.name, "province": r.province, "region": r.region}
                for r in new
            ],
        )
    if changed:
        session.execute(
            update(Municipality),
            [
                {"code": r.code, "name": r.name, "province": r.province, "region": r.region}
                for r in changed
            ],
        )

    have_aliases = set(
        session.execute(select(MunicipalityAlias.folded, MunicipalityAlias.municipality_code))
    )
    alias_rows = [
        row
        for record in records
        for row in alias_rows_of(record)
        if (row["folded"], row["municipality_code"]) not in have_aliases
    ]
    if alias_rows:
        session.execute(insert(MunicipalityAlias), alias_rows)

    have_pc4 = set(session.scalars(select(Postcode.pc4)))
    pc_rows = [
        {"pc4": pc4, "municipality_code": code}
        for pc4, code in bundled_postcodes()
        if pc4 not in have_pc4
    ]
    if pc_rows:
        session.execute(insert(Postcode), pc_rows)
    session.flush()
