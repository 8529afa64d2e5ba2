"""In-process benchmark: CPU time of one conversation turn in the core, without the NLU service.

Not a test (speed is measured in a benchmark). The pipeline on a migrated SQLite file with the
demo directory, the NLU service absent (the bot's own keyword understanding answers), so what is
measured is the bot's own work per turn: language detection, the crisis lexicon, reading the
facts of every sentence, the dialogue engine and the state's round trip. ``time.process_time``
does not depend on how busy the machine is; compare runs of two versions back to back.

    .venv/bin/python -m bench.turn_bench --turns 300
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.context import AppContext
from bot.conversation.pipeline import Citizen, Pipeline
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.directory.formats import import_demo
from bot.directory.gazetteer import load_reference_data
from bot.settings import Settings

#: Everyday first messages in the four languages (a situation, a place, a wish).
ORDINARY = (
    "ik voel me zo alleen sinds mijn man is overleden, ik woon in Tilburg",
    "annem alzheimer hastası, Rotterdam'da yaşıyorum, bir grup var mı?",
    "مادرم آلزایمر داره و من خیلی خسته شدم. تو آمستردام زندگی می‌کنم",
    "انا ساكنة في دن هاخ وعندي ديون كثيرة، ابحث عن متطوع",
)
CRISIS = ("ik wil niet meer leven", "artık yaşamak istemiyorum", "دیگه نمی‌خوام زنده باشم",
          "ما بدي عيش بعد اليوم")


async def measure(turns: int) -> dict[str, float]:
    """CPU milliseconds per ordinary turn and per crisis answer."""
    folder = Path(tempfile.mkdtemp(prefix="steunwijzer-turn-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade(url)
    database = Database(url)
    with database.session() as session:
        load_reference_data(session)
        import_demo(session)
    settings = Settings(data_dir=folder, database_url=url, rasa_url="http://127.0.0.1:1")
    pipeline = Pipeline(AppContext(settings, database), None)
    for i in range(20):  # warm: language models, lexicons, gazetteer
        await pipeline.handle_text(Citizen(pseudonym=f"warm{i}"), ORDINARY[i % len(ORDINARY)])
    results = {}
    for name, texts in (("ordinary turn", ORDINARY), ("crisis answer", CRISIS)):
        started = time.process_time()
        for i in range(turns):
            await pipeline.handle_text(Citizen(pseudonym=f"{name}{i % 50}"), texts[i % len(texts)])
        results[name] = (time.process_time() - started) * 1000 / turns
    database.dispose()
    return results


def main() -> None:
    """Run and print CPU ms per turn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300)
    args = parser.parse_args()
    for name, ms in asyncio.run(measure(args.turns)).items():
        print(f"{name}: {ms:.2f} ms CPU")


if __name__ == "__main__":
    main()
