"""Under full load a crisis message does not queue behind other people's turns: Telegram's
update processor lets a lexicon hit start at once while ordinary updates wait for a slot."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.channels.telegram_priority import CrisisFirst


def _update(update_id: int, text: str) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "A"},
                "text": text,
            },
        },
        None,
    )


async def test_a_crisis_update_starts_while_every_slot_is_taken() -> None:
    processor = CrisisFirst(256, dialogue_slots=1)
    await processor.initialize()
    release = asyncio.Event()
    order: list[str] = []

    async def turn(name: str, wait: bool) -> None:
        order.append(f"{name} started")
        if wait:
            await release.wait()

    busy = asyncio.create_task(
        processor.process_update(_update(1, "ik zoek een groep"), turn("busy", True))
    )
    queued = asyncio.create_task(
        processor.process_update(_update(2, "hoe laat is het"), turn("queued", False))
    )
    crisis = asyncio.create_task(
        processor.process_update(_update(3, "ik wil er een eind aan maken"), turn("crisis", False))
    )
    await asyncio.wait_for(crisis, timeout=5)
    assert order == ["busy started", "crisis started"]  # the ordinary one still waits
    release.set()
    await asyncio.wait_for(asyncio.gather(busy, queued), timeout=5)
    assert order[-1] == "queued started"


async def test_the_verdict_is_handed_out_once_and_only_for_clear_words() -> None:
    processor = CrisisFirst(256)
    await processor.initialize()

    async def nothing() -> None:
        return None

    clear, crisis = _update(10, "ik zoek een groep"), _update(11, "ik wil niet meer leven")
    await processor.process_update(clear, nothing())
    await processor.process_update(crisis, nothing())
    assert processor.lexicon_clear(clear) is True
    assert processor.lexicon_clear(clear) is False  # asked once
    assert processor.lexicon_clear(crisis) is False  # never "clear" for a crisis
