"""Search benchmark: p50/p95/p99 of :func:`bot.directory.search.find_services` on SQLite.

Not a test. Builds a generated directory of ``--services`` services in a temporary SQLite file
(migrated with Alembic, so the real indexes are there; rows bulk-inserted through the ORM),
loads one :class:`Gazetteer` as the bot does, and runs ``--queries`` searches of a realistic mix:
topic × place (official names, Arabic/Farsi-script aliases, typos, postcodes, a place inside a
sentence, a municipality code, no place) × language × online_ok. Each timing includes opening
and closing a session, as one bot message does.

    .venv/bin/python -m bench.search_bench --services 10000 --queries 500
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.directory.gazetteer import Gazetteer, bundled_municipalities, load_reference_data
from bot.directory.models import (
    Location,
    Meeting,
    Organisation,
    Postcode,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceTopic,
)
from bot.directory.search import find_services
from bot.taxonomy import Topic

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KINDS = (
    ("peer_group", 50),
    ("volunteer_service", 15),
    ("community_centre", 10),
    ("professional", 8),
    ("carer_support", 7),
    ("volunteer_centre", 5),
    ("helpline", 5),
)
TOPICS = [t.value for t in Topic if t is not Topic.VIOLENCE]
# Indexes proposed to the lead (not in the models yet); --extra-indexes measures their effect.
EXTRA_INDEXES = (
    "CREATE INDEX ix_service_online ON service (online)",
    "CREATE INDEX ix_service_national ON service (national)",
    "CREATE INDEX ix_meeting_service_id_starts_at ON meeting (service_id, starts_at)",
)
BIG = ("GM0363", "GM0599", "GM0518", "GM0344", "GM0772", "GM0855")


@dataclass(frozen=True)
class Query:
    """One benchmark query: its type label and the keyword arguments of find_services."""

    kind: str
    kwargs: dict[str, object]


def build_directory(db: Database, n: int, rng: random.Random) -> None:
    """Bulk-insert ``n`` generated services with topics, languages, areas, places, meetings."""
    records = bundled_municipalities()
    codes = [r.code for r in records]
    # Big cities hold more services, as in real life.
    weights = [8 if c in BIG else 1 for c in codes]
    by_region: dict[str | None, list[str]] = defaultdict(list)
    for r in records:
        by_region[r.region].append(r.code)
    region_of = {r.code: r.region for r in records}
    kinds, kind_weights = zip(*KINDS, strict=True)

    orgs = [
        {"id": f"org{i}", "name": f"Organisatie {i}", "description": ""} for i in range(n // 20 + 1)
    ]
    services, topics, languages, areas, locations, meetings = [], [], [], [], [], []
    for i in range(n):
        sid = f"s{i:05d}"
        kind = rng.choices(kinds, kind_weights)[0]
        roll = rng.random()
        national = kind == "helpline" or roll < 0.03
        online_only = not national and roll < 0.13
        online = online_only or rng.random() < 0.1
        services.append(
            {
                "id": sid,
                "organisation_id": rng.choice(orgs)["id"],
                "name": f"{kind.replace('_', ' ').title()} {i}",
                "kind": kind,
                "description": "Gegenereerd voor de benchmark.",
                "status": "active" if rng.random() < 0.95 else "inactive",
                "national": national,
                "online": online,
                "in_person": not (online_only or national),
                "women_only": kind == "peer_group" and rng.random() < 0.1,
            }
        )
        if not (kind in ("volunteer_centre", "community_centre") and rng.random() < 0.6):
            for topic in rng.sample(TOPICS, rng.choice((1, 1, 2))):
                topics.append({"service_id": sid, "topic": topic})
        languages.append({"service_id": sid, "language": "nl"})
        if rng.random() < 0.3:
            languages.append({"service_id": sid, "language": rng.choice(("tr", "fa", "ar", "en"))})
        if national or online_only:
            continue
        code = rng.choices(codes, weights)[0]
        locations.append(
            {
                "id": f"{sid}-l",
                "service_id": sid,
                "name": "Buurthuis",
                "municipality_code": code,
                "city": code,
            }
        )
        served = {code}
        if rng.random() < 0.3:
            served |= set(rng.sample(by_region[region_of[code]], 1))
        areas += [{"service_id": sid, "municipality_code": c} for c in sorted(served)]
        if kind == "peer_group" and rng.random() < 0.5:
            first = NOW + timedelta(days=rng.randint(-20, 20), hours=rng.randint(0, 12))
            for week in range(8):
                start = first + timedelta(weeks=week)
                meetings.append(
                    {
                        "id": f"{sid}-m{week}",
                        "service_id": sid,
                        "starts_at": start,
                        "ends_at": start + timedelta(hours=2),
                        "cancelled": rng.random() < 0.05,
                    }
                )
    with db.session() as session:
        for model, rows in (
            (Organisation, orgs),
            (Service, services),
            (ServiceTopic, topics),
            (ServiceLanguage, languages),
            (ServiceArea, areas),
            (Location, locations),
            (Meeting, meetings),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])


def _typo(name: str, rng: random.Random) -> str:
    """One plausible typing error: a dropped letter or two swapped neighbours."""
    i = rng.randrange(1, len(name) - 1)
    if rng.random() < 0.5:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def make_queries(count: int, postcodes: list[str], rng: random.Random) -> list[Query]:
    """A realistic mix of queries (see the module docstring)."""
    records = [r for r in bundled_municipalities() if len(r.name) >= 6]
    scripted = [
        (alias, r.code)
        for r in bundled_municipalities()
        for alias, lang in r.aliases
        if lang in ("fa", "ar")
    ]
    sentences = ("ik woon in {}", "{}'da oturuyorum", "من در {} زندگی میکنم", "انا ساكن في {}")
    makers: list[tuple[str, Callable[[], dict[str, object]]]] = [
        ("name", lambda: {"place": rng.choice(records).name}),
        ("alias_script", lambda: {"place": rng.choice(scripted)[0]}),
        ("typo", lambda: {"place": _typo(rng.choice(records).name, rng)}),
        ("postcode", lambda: {"place": rng.choice(postcodes) + rng.choice(("", " AB", "XY"))}),
        ("sentence", lambda: {"place": rng.choice(sentences).format(rng.choice(records).name)}),
        ("code", lambda: {"municipality_code": rng.choice(records).code}),
        ("no_place", dict),
    ]
    queries = []
    for _ in range(count):
        label, make = rng.choice(makers)
        kwargs = make()
        kwargs["topic"] = rng.choice(TOPICS)
        kwargs["language"] = rng.choice((None, "nl", "tr", "fa", "ar"))
        kwargs["online_ok"] = rng.random() < 0.8
        if rng.random() < 0.3:
            kwargs["kind"] = "peer_group"
        queries.append(Query(label, kwargs))
    return queries


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(services: int, queries: int, seed: int, extra_indexes: bool = False) -> None:
    """Build, run and print the report."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        t0 = time.perf_counter()
        upgrade(url)
        db = Database(url)
        with db.session() as session:
            load_reference_data(session)
        build_directory(db, services, rng)
        build_s = time.perf_counter() - t0
        with db.session() as session:
            gazetteer = Gazetteer.load(session)
            postcodes = list(session.scalars(select(Postcode.pc4)))
        workload = make_queries(queries, postcodes, rng)
        if extra_indexes:
            with db.session() as session:
                for ddl in EXTRA_INDEXES:
                    session.execute(text(ddl))
        # Pass 1 ("cold") also compiles every statement shape once (SQLAlchemy caches the
        # compiled SQL per shape); pass 2 is the steady state of a running bot.
        cold: list[float] = []
        for q in workload:
            start = time.perf_counter()
            with db.session() as session:
                find_services(session, now=NOW, gazetteer=gazetteer, **q.kwargs)  # type: ignore[arg-type]
            cold.append((time.perf_counter() - start) * 1000)
        timings: dict[str, list[float]] = defaultdict(list)
        found: dict[str, list[int]] = defaultdict(list)
        for q in workload:
            start = time.perf_counter()
            with db.session() as session:
                outcome = find_services(session, now=NOW, gazetteer=gazetteer, **q.kwargs)  # type: ignore[arg-type]
            elapsed = (time.perf_counter() - start) * 1000
            timings[q.kind].append(elapsed)
            timings["overall"].append(elapsed)
            found[q.kind].append(len(outcome.results))
        db.dispose()

    print(
        f"services={services} queries={queries} seed={seed} build={build_s:.1f}s"
        f" extra_indexes={'yes' if extra_indexes else 'no'}"
    )
    print(f"python={platform.python_version()} sqlite={sqlite3.sqlite_version}")
    print(
        f"{'query type':<14}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'avg hits':>10}"
    )
    for label in sorted(timings, key=lambda k: (k == "overall", k)):
        values = timings[label]
        hits = found.get(label) or [n for v in found.values() for n in v]
        print(
            f"{label:<14}{len(values):>5}{_pct(values, 0.5):>9.2f}{_pct(values, 0.95):>9.2f}"
            f"{_pct(values, 0.99):>9.2f}{max(values):>9.2f}{statistics.mean(hits):>10.1f}"
        )
    print(
        f"{'cold pass':<14}{len(cold):>5}{_pct(cold, 0.5):>9.2f}{_pct(cold, 0.95):>9.2f}"
        f"{_pct(cold, 0.99):>9.2f}{max(cold):>9.2f}   (first run: includes statement compilation)"
    )


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--extra-indexes",
        action="store_true",
        help="also create the indexes proposed in docs/benchmarks/search.md",
    )
    args = parser.parse_args()
    run(args.services, args.queries, args.seed, args.extra_indexes)


if __name__ == "__main__":
    main()
