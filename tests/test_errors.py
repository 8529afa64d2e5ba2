"""The typed errors (bot/errors.py) and the conversation engine's error boundary: whatever
fails while answering, the person gets a kind answer in their language, and the log gets
one line with the error's type and where it was raised, never its text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from web.dashboard_helpers import make_context

from bot.context import AppContext
from bot.db.session import Database
from bot.dialogue import render
from bot.dialogue.engine import Engine
from bot.errors import Conflict, DomainError, NotAllowed, NotFound, Refused, place_of
from bot.facilitators import errors as facilitator_errors
from bot.i18n.catalogs import Translator
from bot.settings import Settings
from bot.taxonomy import Route
from bot.vocabulary import DialogueState, NluResult, Turn

#: What a failure's message could carry (a person's words, a phone number): never logged.
SECRET = "ZEBRA-4471 0612345678"
WENT_WRONG = ("Sorry, something went wrong on my side. Please try again in a moment. If you "
              "want to talk to someone now, De Luisterlijn is there day and night: {phone}.")


def text_turn(language: str, text: str = "ik voel me alleen") -> Turn:
    return Turn(language=language, pseudonym="p-errors", text=text,
                nlu=NluResult(intent="share_situation", confidence=0.9))


@dataclass
class FailingEngine(Engine):
    """The real engine, with a fault where the turn is dispatched (a bug we do not know of)."""

    error: Exception = field(default_factory=RuntimeError)

    def _dispatch(self, turn: Turn, state: DialogueState):  # type: ignore[override]
        raise self.error


def engine_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.dialogue.engine"]


def assert_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert SECRET not in record.getMessage() and "ZEBRA" not in record.getMessage()


@pytest.mark.parametrize("language", ["ar", "nl"])
def test_an_unexpected_failure_gets_a_kind_answer_and_a_log_line_with_type_and_place(
    sqlite_database: Database, caplog: pytest.LogCaptureFixture, language: str
) -> None:
    caplog.set_level(logging.INFO)
    engine = FailingEngine(make_context(sqlite_database), KeyError(SECRET))
    outcome = engine.respond(text_turn(language), DialogueState(language=language))
    opening = Translator(language).gettext(WENT_WRONG).split("{phone}")[0]
    assert opening != WENT_WRONG.split("{phone}")[0]  # really in Arabic, in Dutch
    [reply] = outcome.replies
    assert reply.text.startswith(opening) and "</b>" in reply.text  # and a number to call
    assert outcome.route == Route.FALLBACK and outcome.state.language == language
    [line] = engine_lines(caplog)
    assert line.levelno == logging.ERROR
    message = line.getMessage()
    assert message.startswith("answering failed: KeyError at ")
    assert "bot/dialogue/engine.py:" in message  # the place, in our own code
    assert_no_secret(caplog)


def test_a_typed_error_with_a_reason_is_said_in_the_persons_language(
    sqlite_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    refusal = Refused(facilitator_errors.TOO_LONG, limit=80)
    engine = FailingEngine(make_context(sqlite_database), refusal)
    outcome = engine.respond(text_turn("fa"), DialogueState(language="fa"))
    expected = Translator("fa").gettext(facilitator_errors.TOO_LONG, limit=80)
    assert expected != facilitator_errors.TOO_LONG.format(limit=80)  # really in Farsi
    assert [r.text for r in outcome.replies] == [expected]
    [line] = engine_lines(caplog)
    assert line.getMessage().startswith("answering failed: Refused at ")
    assert_no_secret(caplog)


def test_a_typed_error_without_a_reason_gets_the_kind_general_answer(
    sqlite_database: Database,
) -> None:
    engine = FailingEngine(make_context(sqlite_database), NotFound())
    outcome = engine.respond(text_turn("tr"), DialogueState(language="tr"))
    assert [r.text for r in outcome.replies] == [r.text for r in render.went_wrong("tr")]


class _BrokenDatabase:
    """A database whose every session fails with an error that is not SQLAlchemy's."""

    url = "sqlite://"

    @contextmanager
    def session(self) -> Iterator[None]:
        raise OSError(SECRET)
        yield  # pragma: no cover


def test_a_failure_while_counting_never_costs_the_crisis_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    context = AppContext(Settings(), _BrokenDatabase())  # type: ignore[arg-type]
    turn = Turn(language="nl", pseudonym="p-crisis", text="ik wil niet meer leven",
                nlu=NluResult(intent="crisis", confidence=0.99))
    outcome = Engine(context).respond(turn, DialogueState(language="nl"))
    assert outcome.route == Route.CRISIS_LINE
    assert "113" in " ".join(r.text for r in outcome.replies)
    assert any(r.getMessage() == "could not count a crisis answer: OSError"
               for r in caplog.records)
    assert_no_secret(caplog)


@pytest.mark.parametrize(("kind", "base"), [(NotFound, LookupError), (NotAllowed, DomainError),
                                            (Conflict, DomainError), (Refused, DomainError)])
def test_typed_errors_carry_a_msgid_and_values_and_read_in_english(kind, base) -> None:
    error = kind("That is too long. Keep it under {limit} characters.", limit=80)
    assert isinstance(error, base) and isinstance(error, DomainError)
    assert error.message == "That is too long. Keep it under {limit} characters."
    assert error.values == {"limit": 80}
    assert str(error) == "That is too long. Keep it under 80 characters."  # for the CLI


def test_the_place_of_an_error_is_a_file_and_line_never_a_value() -> None:
    try:
        {}[SECRET]
    except KeyError as error:
        place = place_of(error)
    where, line = place.rsplit(":", 1)
    assert where == __file__ and line.isdigit()
