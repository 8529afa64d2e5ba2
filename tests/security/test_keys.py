"""Keys (issue 13 finding 6): where secrets may live, how strong they must be, key ids and
rotation, and which process holds which key.

The attackers: whoever gets a copy of the data folder (a backup of the database must not be a
backup of the keys), whoever guesses a weak key, and whoever breaks into the internet-facing
dashboard (it must not hold the keys that turn pseudonyms and sealed chat ids back into people).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from staffgroups import SPRING, Clock, make_facilitator, make_group
from web.dashboard_helpers import TILBURG, ask, citizen

from bot import cli
from bot.citizens.models import CitizenProfile
from bot.context import AppContext
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.facilitators.models import Facilitator
from bot.outbox import service as outbox
from bot.outbox.models import OutboundMessage
from bot.privacy.keys import UnreadableTokens, rotate_sealed_chat_ids
from bot.privacy.pseudonym import pseudonym_for
from bot.privacy.sealed import ChatIdSealer, SealError, generate_key, key_id
from bot.reminders import subscriptions
from bot.reminders.models import Subscription
from bot.requests import service as requests
from bot.requests.models import HelpRequest
from bot.requests.retention import run_retention
from bot.runtime.secrets_file import SECRETS_NAME, ensure_secrets
from bot.settings import Settings, SettingsError, load_settings
from bot.staff.scope import Scope
from bot.vocabulary import Reply

COORDINATOR = Scope("tilburg", "coordinator", None, (TILBURG,), False)
STRONG_SECRET = "Zq8r3T_k1VwPn0yXb6Lc2Hs9Jd4Fg7Ue5Ma"


@pytest.fixture
def clean_env() -> Iterator[None]:
    """No STEUNWIJZER_ variables from outside, and none left behind (secrets files export
    into ``os.environ``, which must not leak into later tests)."""
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith("STEUNWIJZER_")]:
        del os.environ[name]
    yield
    os.environ.clear()
    os.environ.update(saved)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"STEUNWIJZER_DATA_DIR": str(tmp_path / "data"),
           "STEUNWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.update({f"STEUNWIJZER_{k.upper()}": v for k, v in extra.items()})
    return env


# ---------------------------------------------------------------------------- the data folder
def test_production_refuses_secrets_stored_next_to_the_database(tmp_path, clean_env) -> None:
    ensure_secrets(tmp_path / "data")
    result = CliRunner().invoke(cli.main, ["retention"],
                                env=_env(tmp_path, environment="production"))
    assert result.exit_code != 0
    assert SECRETS_NAME in result.output
    assert "STEUNWIJZER_PSEUDONYM_SECRET" not in os.environ  # nothing was read from it


def test_production_uses_them_only_when_explicitly_allowed(tmp_path, clean_env) -> None:
    ensure_secrets(tmp_path / "data")
    upgrade(_env(tmp_path)["STEUNWIJZER_DATABASE_URL"])
    result = CliRunner().invoke(cli.main, ["retention"], env=_env(
        tmp_path, environment="production", allow_secrets_in_data_dir="true"))
    assert result.exit_code == 0, result.output


def test_production_never_writes_secrets_into_the_data_folder(tmp_path, clean_env) -> None:
    os.environ.update(_env(tmp_path, environment="production"))
    cli._settings(create_secrets=True)
    assert not (tmp_path / "data" / SECRETS_NAME).exists()


def test_development_still_creates_them_for_a_first_run(tmp_path, clean_env) -> None:
    os.environ.update(_env(tmp_path))
    settings = cli._settings(create_secrets=True)
    assert (tmp_path / "data" / SECRETS_NAME).exists()
    assert settings.pseudonym_secret and settings.encryption_key


# ---------------------------------------------------------------------------- strength
@pytest.mark.parametrize("secret", [
    "changeme", "test-secret", "x" * 48, "changeme" * 5, "e2e-secret-not-for-production",
])
def test_production_refuses_a_weak_pseudonym_secret(secret: str) -> None:
    # The other secret strong, so only this one is judged (whatever the environment holds).
    with pytest.raises(SettingsError, match="PSEUDONYM_SECRET"):
        load_settings(environment="production", pseudonym_secret=secret,
                      encryption_key=generate_key())


@pytest.mark.parametrize("raw", [bytes(32), b"ab" * 16, bytes(range(8)) * 4])
def test_production_refuses_a_guessable_encryption_key(raw: bytes) -> None:
    key = base64.urlsafe_b64encode(raw).decode()
    with pytest.raises(SettingsError, match="ENCRYPTION_KEY"):
        load_settings(environment="production", pseudonym_secret=STRONG_SECRET,
                      encryption_key=key)
    with pytest.raises(SettingsError, match="RETIRED_ENCRYPTION_KEYS"):
        load_settings(environment="production", pseudonym_secret=STRONG_SECRET,
                      encryption_key=generate_key(), retired_encryption_keys=key)


def test_production_accepts_generated_secrets() -> None:
    settings = load_settings(environment="production", pseudonym_secret=STRONG_SECRET,
                             encryption_key=generate_key(),
                             retired_encryption_keys=f"{generate_key()},{generate_key()}")
    assert settings.production


# ---------------------------------------------------------------------------- key ids
def test_a_sealed_chat_id_names_its_key_and_a_retired_key_still_opens_it() -> None:
    old, new = generate_key(), generate_key()
    token = ChatIdSealer(old).seal(918273645, "request:AB-CDE")
    assert token.startswith(key_id(old) + ".") and "918273645" not in token
    rotated = ChatIdSealer(new, retired=(old,))
    assert rotated.open(token, "request:AB-CDE") == 918273645
    assert rotated.seal(918273645, "request:AB-CDE").startswith(key_id(new) + ".")
    with pytest.raises(SealError):  # without the old key, the old token is dead
        ChatIdSealer(new).open(token, "request:AB-CDE")


def test_tokens_sealed_before_key_ids_existed_still_open() -> None:
    key = generate_key()
    raw_key = base64.urlsafe_b64decode(key)
    nonce = os.urandom(12)
    legacy = base64.urlsafe_b64encode(
        nonce + AESGCM(raw_key).encrypt(nonce, b"4242", b"subscription:x")).decode()
    assert ChatIdSealer(generate_key(), retired=(key,)).open(legacy, "subscription:x") == 4242


# ---------------------------------------------------------------------------- rotation
@pytest.fixture
def clock() -> Clock:
    return Clock(SPRING)


def _context(database: Database, clock: Clock, key: str, retired: str = "") -> AppContext:
    return AppContext(Settings(database_url=database.url, encryption_key=key,
                               retired_encryption_keys=retired,
                               pseudonym_secret="test-pseudonym-secret"), database, clock)


def _populate(context: AppContext) -> dict[str, int]:
    """One stored chat id of every kind: request, subscription, facilitator, queued message."""
    person = citizen(context)
    code = ask(context, person, "Ik zoek een groep")
    with context.database.session() as session:
        requests.answer(session, context, COORDINATOR, code, template="looking_into_it")
        group_id = make_group(session)
        make_facilitator(session, context, group_id, 77_001)
        subscriptions.subscribe(session, context, pseudonym="p-2", chat_id=4002,
                                group_id=group_id, language="nl")
    return {"request": person.chat_id, "subscription": 4002, "facilitator": 77_001}


def _tokens(context: AppContext) -> list[str]:
    with context.database.session() as session:
        return [t for model in (HelpRequest, Subscription, Facilitator, OutboundMessage)
                for t in session.scalars(select(model.chat_token)) if t]


def test_keys_rotate_reseals_every_stored_chat_id_and_the_old_key_can_go(
    database: Database, clock: Clock,
) -> None:
    old, new = generate_key(), generate_key()
    chat_ids = _populate(_context(database, clock, old))
    before = _tokens(_context(database, clock, old))
    assert len(before) == 4 and all(t.startswith(key_id(old) + ".") for t in before)

    rotating = _context(database, clock, new, retired=old)
    with database.session() as session:
        report = rotate_sealed_chat_ids(session, rotating.sealer)
    assert report.resealed == 4
    after = _tokens(rotating)
    assert all(t.startswith(key_id(new) + ".") for t in after) and not set(before) & set(after)

    # The old key is removed: everything still opens, to the same chats.
    only_new = _context(database, clock, new)
    with database.session() as session:
        request = session.scalar(select(HelpRequest))
        assert only_new.sealer.open(request.chat_token, f"request:{request.code}") \
            == chat_ids["request"]
        subscription = session.scalar(select(Subscription))
        assert only_new.sealer.open(subscription.chat_token,
                                    subscriptions.purpose(subscription.id)) == 4002
        facilitator = session.scalar(select(Facilitator))
        assert only_new.sealer.open(facilitator.chat_token,
                                    f"facilitator:{facilitator.id}") == 77_001
        [delivery] = outbox.due(session, only_new)
        assert delivery.chat_id == chat_ids["request"]
    with database.session() as session:  # a second run has nothing left to do
        assert rotate_sealed_chat_ids(session, only_new.sealer).resealed == 0


def test_rotation_changes_nothing_when_an_old_token_cannot_be_opened(
    database: Database, clock: Clock,
) -> None:
    old = generate_key()
    _populate(_context(database, clock, old))
    before = sorted(_tokens(_context(database, clock, old)))
    forgot_the_old_key = _context(database, clock, generate_key())
    with database.session() as session, pytest.raises(UnreadableTokens) as raised:
        rotate_sealed_chat_ids(session, forgot_the_old_key.sealer)
    assert raised.value.count == 4
    assert sorted(_tokens(forgot_the_old_key)) == before


def test_steunwijzer_keys_rotate(tmp_path, clean_env) -> None:
    old, new = generate_key(), generate_key()
    env = _env(tmp_path, encryption_key=old, pseudonym_secret=STRONG_SECRET)
    database = Database(env["STEUNWIJZER_DATABASE_URL"])
    upgrade(database.url)
    context = _context(database, Clock(SPRING), old)
    with database.session() as session:
        outbox.enqueue(session, context, chat_id=5005, purpose="feedback:abc",
                       reply=Reply("?"))
    env.update({"STEUNWIJZER_ENCRYPTION_KEY": new, "STEUNWIJZER_RETIRED_ENCRYPTION_KEYS": old})
    result = CliRunner().invoke(cli.main, ["keys", "rotate"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 chat id(s) re-sealed" in result.output
    assert old not in result.output and new not in result.output
    with database.session() as session:
        [delivery] = outbox.due(session, _context(database, Clock(SPRING), new))
    assert delivery.chat_id == 5005
    database.dispose()


# ---------------------------------------------------------------------------- pseudonym secret
def test_after_a_pseudonym_secret_rotation_old_data_is_orphaned_and_retention_removes_it(
    database: Database, clock: Clock,
) -> None:
    key = generate_key()
    before = AppContext(Settings(database_url=database.url, encryption_key=key,
                                 pseudonym_secret="secret-before"), database, clock)
    after = AppContext(Settings(database_url=database.url, encryption_key=key,
                                pseudonym_secret="secret-after"), database, clock)
    old_pseudonym = pseudonym_for(918273645, "secret-before")
    assert pseudonym_for(918273645, "secret-after") != old_pseudonym  # they start fresh
    with database.session() as session:
        group_id = make_group(session)
        session.add(CitizenProfile(pseudonym=old_pseudonym, language="tr",
                                   updated_at=clock.now, last_seen_at=clock.now))
        subscriptions.subscribe(session, before, pseudonym=old_pseudonym, chat_id=918273645,
                                group_id=group_id, language="tr")
    ask(before, citizen(before), "een oude vraag")
    settings = after.settings
    longest = max(settings.profile_inactive_days, settings.subscription_inactive_days,
                  settings.request_expiry_days + settings.request_retention_days)
    for _day in range(0, longest + 2, 30):  # the hourly job, sampled monthly
        run_retention(after)
        clock.advance(days=30)
    run_retention(after)
    with database.session() as session:
        for model in (CitizenProfile, Subscription, HelpRequest):
            assert session.scalar(select(func.count()).select_from(model)) == 0


# ---------------------------------------------------------------------------- the dashboard
def test_the_dashboard_process_starts_without_the_pseudonym_secret_or_sealing_key(
    tmp_path, clean_env, monkeypatch,
) -> None:
    started: list[AppContext] = []
    monkeypatch.setattr("bot.web.server.serve", lambda context, host, port: started.append(context))
    ensure_secrets(tmp_path / "data")  # a development data folder with both keys in it
    result = CliRunner().invoke(cli.main, ["web"], env=_env(
        tmp_path, pseudonym_secret=STRONG_SECRET, encryption_key=generate_key()))
    assert result.exit_code == 0, result.output
    [context] = started
    assert context.settings.pseudonym_secret == "" and context.settings.encryption_key == ""
    assert context.settings.retired_encryption_keys == "" and context.sealer is None


def test_a_dashboard_without_keys_answers_and_the_bot_delivers(database: Database,
                                                              clock: Clock) -> None:
    bot_context = _context(database, clock, generate_key())
    dashboard = bot_context.without_secrets()
    assert dashboard.sealer is None and not dashboard.settings.pseudonym_secret
    person = citizen(bot_context)
    code = ask(bot_context, person, "Ik zoek een groep")
    with database.session() as session:
        requests.answer(session, dashboard, COORDINATOR, code, template="looking_into_it")
    clock.advance(seconds=1)
    with database.session() as session:
        [delivery] = outbox.due(session, bot_context)
    assert delivery.chat_id == person.chat_id
