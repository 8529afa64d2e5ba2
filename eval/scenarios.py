"""Conversation scenarios (``tests/scenarios``) through the real conversation core.

Every scenario is a short conversation with what the bot should have understood after each
turn (format: ``tests/scenarios/README.md``). :func:`run` plays them through
:class:`bot.conversation.pipeline.Pipeline` (the NLU service, the dialogue state in the
database, the engine) and :func:`report` counts, per language, what product.md's conversation
principles forbid:

* **wrong interpretations**: turns after which a fact (place, topic, who, wish, language) or the
  route differs from the expectation;
* **asked twice**: the bot asks for the place, the topic or "what would help you most?" while the
  person has already said it;
* **fallback**: "I did not understand", on any turn and on turns answering the bot's question;
* **turns to the first useful result**: the turn at which directory results are first shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.context import AppContext
from bot.conversation.facts import WISH_ROUTES  # the route each wish leads to
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.db import migrate
from bot.db.session import Database
from bot.directory.formats import import_demo
from bot.directory.gazetteer import load_reference_data
from bot.settings import Settings
from bot.taxonomy import Route
from bot.vocabulary import ONLINE, SKIP, ButtonIntent, DialogueState

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "tests" / "scenarios"
LANGUAGES: tuple[str, ...] = ("nl", "tr", "fa", "ar")

#: The bot's questions, and the fact that answers each.
QUESTION_FACTS = {"place": "place", "topic": "topic", "option": "wish"}
#: Keys of ``expect`` that hold for one turn only; the others carry over.
PER_TURN = frozenset({"route", "results"})
FACT_KEYS = frozenset(
    {"topic", "topics", "place", "about", "wish", "women_only", "own_language", "language"}
)
PRESSES = {
    "option": ButtonIntent.CHOOSE_OPTION,
    "topic": ButtonIntent.CHOOSE_TOPIC,
    "place": ButtonIntent.CHOOSE_PLACE,
}


@dataclass(frozen=True)
class ScenarioTurn:
    """One thing the person does, and what should be known after it."""

    expect: dict[str, Any]
    say: str | None = None
    press: tuple[str, str] | None = None  # (button intent, value)


@dataclass(frozen=True)
class Scenario:
    """A conversation of one language."""

    id: str
    language: str
    turns: tuple[ScenarioTurn, ...]


def scenario_path(language: str) -> Path:
    """Where the scenarios of ``language`` live."""
    return SCENARIO_DIR / f"scenarios_{language}.yml"


def load_scenarios(language: str) -> list[Scenario]:
    """The scenarios of one language, in file order."""
    data = yaml.safe_load(scenario_path(language).read_text(encoding="utf-8"))
    scenarios = []
    for raw in data["scenarios"]:
        turns = []
        for turn in raw["turns"]:
            press = None
            if "press" in turn:
                ((kind, value),) = turn["press"].items()
                press = (PRESSES[kind].value, str(value))
            turns.append(ScenarioTurn(dict(turn.get("expect") or {}), turn.get("say"), press))
        scenarios.append(Scenario(str(raw["id"]), data.get("language", language), tuple(turns)))
    return scenarios


@dataclass(frozen=True)
class TurnResult:
    """What the bot did with one turn, against what was expected."""

    scenario: str
    index: int
    text: str
    answered_question: str | None  # the bot's question this turn answered, if any
    route: str | None
    fallback: bool
    results: bool
    asked: str | None  # the question the bot asked with this turn, if any
    wrong: tuple[str, ...]  # "place: expected Tilburg, got None", …
    asked_twice: bool


@dataclass
class LanguageScenarios:
    """All turns of one language's scenarios."""

    language: str
    scenarios: int
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def wrong(self) -> int:
        """Turns with a wrong interpretation."""
        return sum(1 for t in self.turns if t.wrong)

    @property
    def asked_twice(self) -> int:
        """Questions asked whose answer was already given."""
        return sum(1 for t in self.turns if t.asked_twice)

    @property
    def fallbacks(self) -> int:
        """Turns answered with "I did not understand"."""
        return sum(1 for t in self.turns if t.fallback)

    @property
    def fallbacks_on_answers(self) -> int:
        """Fallbacks on turns that answer the bot's own question."""
        return sum(1 for t in self.turns if t.fallback and t.answered_question)

    @property
    def answers(self) -> int:
        """Turns that answer the bot's own question."""
        return sum(1 for t in self.turns if t.answered_question)

    def turns_to_result(self) -> tuple[float | None, int]:
        """Mean turn number (1-based) of the first results, over the scenarios that reached
        results, and how many scenarios expected results but never got them."""
        firsts: dict[str, int] = {}
        expected: set[str] = set()
        for turn in self.turns:
            if turn.results and turn.scenario not in firsts:
                firsts[turn.scenario] = turn.index + 1
        for turn in self.turns:
            if "results: expected True, got False" in turn.wrong:
                expected.add(turn.scenario)
        missing = len(expected - set(firsts))
        if not firsts:
            return None, missing
        return sum(firsts.values()) / len(firsts), missing


def _actual(state: DialogueState, result: PipelineResult) -> dict[str, Any]:
    """The facts the bot holds after a turn, in the scenario vocabulary."""
    if state.place_name:
        place: str | None = state.place_name
    elif getattr(state, "online", False):
        place = ONLINE
    elif state.place_skipped:
        place = SKIP
    else:
        place = None
    route_wish = {route.value: wish.value for wish, route in WISH_ROUTES.items()}
    topics = [t for t in (state.topic, getattr(state, "second_topic", None)) if t]
    return {
        "topic": state.topic,
        "topics": sorted(topics),
        "place": place,
        "about": getattr(state, "about", None),
        "wish": route_wish.get(state.route or ""),
        "women_only": state.women_only,
        "own_language": getattr(state, "own_language", False),
        "language": result.language,
    }


def _results_shown(result: PipelineResult) -> bool:
    return any(
        button.intent == ButtonIntent.OPEN_GROUP
        for reply in result.replies
        for row in reply.buttons
        for button in row
    ) or bool(getattr(result, "searched", False))


def _compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    wrong = []
    for key, value in expected.items():
        got = actual.get(key)
        if key == "topics":
            value, got = sorted(value), sorted(got or [])
        if key in {"women_only", "own_language", "results"}:
            value, got = bool(value), bool(got)
        if value != got:
            wrong.append(f"{key}: expected {value}, got {got}")
    return wrong


async def run_scenario(pipeline: Pipeline, scenario: Scenario) -> list[TurnResult]:
    """Play one scenario as a new person (no history, no Telegram language hint)."""
    citizen = Citizen(pseudonym=f"scenario-{scenario.id}")
    known: dict[str, Any] = {"language": scenario.language}
    results: list[TurnResult] = []
    for index, turn in enumerate(scenario.turns):
        before = await asyncio.to_thread(pipeline.memory.peek, citizen.pseudonym, "nl")
        if turn.press is not None:
            result = await pipeline.handle_button(citizen, *turn.press)
        else:
            result = await pipeline.handle_text(citizen, turn.say or "")
        state = await asyncio.to_thread(pipeline.memory.peek, citizen.pseudonym, "nl")
        if "topic" in turn.expect and "topics" not in turn.expect:
            known.pop("topics", None)  # a new problem replaces the two named before
        known.update({k: v for k, v in turn.expect.items() if k in FACT_KEYS})
        expected = {**known, **{k: v for k, v in turn.expect.items() if k in PER_TURN}}
        actual = _actual(state, result)
        actual["route"] = result.route
        actual["results"] = _results_shown(result)
        asked = state.pending if state.pending in QUESTION_FACTS else None
        answered = before.pending if before.pending in QUESTION_FACTS and turn.say else None
        results.append(
            TurnResult(
                scenario=scenario.id,
                index=index,
                text=turn.say or f"[{turn.press}]",
                answered_question=answered,
                route=result.route,
                fallback=result.route == Route.FALLBACK,
                results=actual["results"],
                asked=asked,
                wrong=tuple(_compare(expected, actual)),
                asked_twice=asked is not None and known.get(QUESTION_FACTS[asked]) is not None,
            )
        )
    return results


async def run(pipeline: Pipeline, language: str, limit: int | None = None) -> LanguageScenarios:
    """Play the scenarios of ``language`` (the first ``limit`` of them)."""
    scenarios = load_scenarios(language)[:limit]
    report = LanguageScenarios(language, len(scenarios))
    for scenario in scenarios:
        report.turns += await run_scenario(pipeline, scenario)
    return report


def summary_table(reports: Sequence[LanguageScenarios]) -> list[str]:
    """The scenario figures per language, as a Markdown table."""
    lines = [
        "| lang | scenarios / turns | wrong interpretations | asked twice | fallback (all turns)"
        " | fallback on answers to the bot's question | turns to first results |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        mean, missing = r.turns_to_result()
        shown = "–" if mean is None else f"{mean:.1f}"
        if missing:
            shown += f" ({missing} never)"
        lines.append(
            f"| {r.language} | {r.scenarios} / {len(r.turns)} | {r.wrong} | {r.asked_twice}"
            f" | {r.fallbacks}/{len(r.turns)} | {r.fallbacks_on_answers}/{r.answers} | {shown} |"
        )
    return lines


def misses(report: LanguageScenarios, limit: int = 40) -> list[str]:
    """The turns that went wrong, one line each (scenario id, turn, what)."""
    lines = []
    for t in report.turns:
        problems = list(t.wrong)
        if t.asked_twice:
            problems.append(f"asked again for {t.asked}")
        if t.fallback and t.answered_question:
            problems.append(f"not understood as an answer to {t.answered_question}")
        if problems:
            lines.append(f"- `{t.scenario}` turn {t.index + 1}: " + "; ".join(problems))
    return lines[:limit] + ([f"- … and {len(lines) - limit} more"] if len(lines) > limit else [])


def targets(report: LanguageScenarios) -> dict[str, bool]:
    """Issue 12's targets for the scenario suite."""
    return {
        "scenarios: 0 wrong interpretations": report.wrong == 0,
        "scenarios: 0 questions asked twice": report.asked_twice == 0,
        "scenarios: no fallback on answers": report.fallbacks_on_answers == 0,
    }


def scenario_context(settings: Settings, workdir: Path) -> AppContext:
    """An app context on a fresh SQLite database in ``workdir`` with the demo directory, so
    the scenarios never touch the person's own data and always meet the same groups."""
    url = f"sqlite:///{workdir / 'scenarios.sqlite3'}"
    migrate.upgrade(url)
    context = AppContext(settings, Database(url))
    with context.database.session() as session:
        load_reference_data(session)
        import_demo(session, now=context.clock())
    return context
