"""The NLU client asks replicas in order, fails over, and stops waiting on a failed one."""

from __future__ import annotations

import pytest
from fake_nlu import FakeNlu

from bot.conversation.nlu_client import NluClient, NluUnavailable

MEANING = {"ik zoek een groep": ("seek_peer_group", {"topic": "grief"})}


async def test_the_replicas_share_the_texts_in_turn() -> None:
    async with FakeNlu(MEANING).running() as first, FakeNlu(MEANING).running() as second:
        client = NluClient([first.url, second.url], token="t0ken")
        try:
            meanings = [await client.parse("ik zoek een groep") for _ in range(4)]
        finally:
            await client.close()
    assert {(nlu.intent, nlu.topic) for nlu in meanings} == {("seek_peer_group", "grief")}
    assert len(first.texts) == len(second.texts) == 2  # two replicas, twice the capacity


async def test_a_failed_replica_is_skipped_and_the_next_one_answers() -> None:
    async with FakeNlu(MEANING, up=False).running() as first, \
            FakeNlu(MEANING).running() as second:
        client = NluClient([first.url, second.url], token="t0ken")
        try:
            assert (await client.parse("ik zoek een groep")).intent == "seek_peer_group"
            first.up = True  # back, but still in its pause: the second one keeps answering
            assert (await client.parse("ik zoek een groep")).intent == "seek_peer_group"
        finally:
            await client.close()
    assert first.texts == [] and second.texts == ["ik zoek een groep"] * 2


async def test_with_every_replica_down_the_answer_is_unavailable_at_once() -> None:
    async with FakeNlu(MEANING, up=False).running() as only:
        client = NluClient([only.url], token="t0ken")
        try:
            with pytest.raises(NluUnavailable):
                await client.parse("ik zoek een groep")
            assert not client.available()
            only.up = True
            # The circuit is open: nobody waits on the replica until its pause is over.
            with pytest.raises(NluUnavailable):
                await client.parse("ik zoek een groep")
        finally:
            await client.close()
    assert only.texts == []


async def test_a_wrong_token_counts_as_unavailable() -> None:
    async with FakeNlu(MEANING).running() as replica:
        client = NluClient([replica.url], token="wrong")
        try:
            with pytest.raises(NluUnavailable):
                await client.parse("ik zoek een groep")
        finally:
            await client.close()
