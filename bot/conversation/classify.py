"""``steunwijzer classify``: the bot's decision for many messages, as JSON lines."""

from __future__ import annotations

import json
from contextlib import nullcontext
from typing import TextIO

from bot.context import AppContext
from bot.conversation.nlu_client import NluClient
from bot.conversation.pipeline import Pipeline
from bot.safety.net import signal_for
from bot.taxonomy import Route
from bot.vocabulary import ALL_LANGUAGES


async def classify_stream(
    context: AppContext, stdin: TextIO, out: TextIO, *, use_rasa: bool
) -> int:
    """Classify each JSON line of ``stdin``; returns how many lines were written."""
    settings = context.settings
    rasa = (
        NluClient.from_settings(settings)
        if use_rasa
        else None
    )
    servers = nullcontext()
    if rasa is not None and not await rasa.ready():
        from bot.runtime.processes import conversation_servers, setup_rasa

        setup_rasa()
        servers = conversation_servers(settings, settings.data_dir / "logs")
    written = 0
    with servers:
        pipeline = Pipeline(context, rasa)
        try:
            for line in stdin:
                if not line.strip():
                    continue
                item = json.loads(line)
                hint = item.get("language")
                decision = await pipeline.classify(
                    str(item["text"]), hint if hint in ALL_LANGUAGES else None
                )
                crisis = None
                if decision.route == Route.CRISIS_LINE:
                    # Which kinds, and so which line the answer offers first (safety.md rule 2).
                    signal = signal_for(str(item["text"]), (decision.topic,))
                    crisis = {
                        "kinds": [kind.value for kind in signal.kinds],
                        "first_line": signal.first_line.value,
                        "young_writer": signal.minor,
                    }
                out.write(
                    json.dumps(
                        {
                            "text": item["text"],
                            "language": decision.language,
                            "intent": decision.intent,
                            "confidence": round(decision.confidence, 4),
                            "topic": decision.topic,
                            "place": decision.place,
                            "route": decision.route,
                            "crisis": crisis,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                out.flush()
                written += 1
        finally:
            if rasa is not None:
                await rasa.close()
    return written
