"""``make eval``: how well the bot understands people, per language.

Runs the held-out set (``tests/nlu/heldout_<lang>.yml``) through the bot's own decision path
(:meth:`bot.conversation.pipeline.Pipeline.classify`, the one ``steunwijzer classify`` uses:
language detection, crisis lexicon, Rasa ``/model/parse``, routing) against a Rasa server started
for the run on free local ports, then Rasa's cross-validation per language. Prints a summary and
writes ``docs/quality.md`` and ``docs/nlu-cross-validation.md``.

    python -m eval.run            # held-out + 5-fold cross-validation, writes docs/
    python -m eval.run --short    # held-out only, no docs (CI)

Exits 1 on errors (Rasa not starting, a malformed held-out file), and with ``--strict`` also
when a target is missed; otherwise missed targets are reported, not fatal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets as secrets_module
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.context import AppContext
from bot.conversation.nlu_client import NluClient, NluUnavailable
from bot.conversation.pipeline import Pipeline
from bot.dialogue.routing import CRISIS_THRESHOLD, FALLBACK_THRESHOLD
from bot.runtime import processes
from bot.safety.net import lexicon_signal, model_crisis
from bot.settings import Settings, load_settings
from eval import crisis as crisis_eval
from eval import metrics
from eval import scenarios as scenarios_eval
from eval.cv import CvResult, cross_validate
from eval.data import HELDOUT_LANGUAGES, ROOT, Item, load_heldout

DOCS = ROOT / "docs"

#: Targets of issue 6, per language.
TARGET_ROUTE = 0.90
TARGET_MACRO_F1 = 0.85
TARGET_LID = 0.98
TARGET_CRISIS_RECALL = 1.0
#: Targets of issue 12: the place found in messages that name one; realistic long messages.
TARGET_PLACE = 0.95
TARGET_LONG_ROUTE = 0.90
#: At most one false crisis alarm per this many non-crisis messages.
FALSE_ALARM_PER = 50


@dataclass(frozen=True)
class Outcome:
    """What the bot decided for one held-out item, plus the two crisis triggers alone."""

    item: Item
    language: str
    intent: str
    topic: str | None
    route: str
    confidence: float
    model_intent: str
    model_crisis: bool
    lexicon_crisis: bool
    seconds: float
    place: str | None = None  # the municipality the decision holds (official name)

    @property
    def crisis(self) -> bool:
        """The bot showed the crisis answer (either trigger)."""
        return self.intent == "crisis"


@dataclass
class LanguageReport:
    """All numbers of one language."""

    language: str
    outcomes: list[Outcome]
    lines: list[str] = field(default_factory=list)

    def _gold(self, name: str) -> list[object]:
        return [getattr(o.item, name) for o in self.outcomes]

    @property
    def n(self) -> int:
        """Number of held-out items."""
        return len(self.outcomes)

    @property
    def lid(self) -> float:
        """Language identification accuracy, all messages."""
        return metrics.accuracy(self._gold("language"), [o.language for o in self.outcomes])

    @property
    def lid_long(self) -> tuple[float, int]:
        """Language identification accuracy on messages of three words or more, and how many."""
        long = [o for o in self.outcomes if o.item.words >= 3]
        acc = metrics.accuracy([o.item.language for o in long], [o.language for o in long])
        return acc, len(long)

    @property
    def intent_accuracy(self) -> float:
        """Intent accuracy of the bot's decision (crisis trigger and fallback included)."""
        return metrics.accuracy(self._gold("intent"), [o.intent for o in self.outcomes])

    @property
    def intent_macro_f1(self) -> float:
        """Intent macro-F1 of the bot's decision."""
        gold = [o.item.intent for o in self.outcomes]
        return metrics.macro_f1(gold, [o.intent for o in self.outcomes])

    @property
    def topic_accuracy(self) -> float:
        """Topic accuracy over all items (no topic must come out as no topic)."""
        return metrics.accuracy(self._gold("topic"), [o.topic for o in self.outcomes])

    @property
    def topic_recall(self) -> tuple[float, int]:
        """Accuracy on items that have a topic, and how many there are."""
        with_topic = [o for o in self.outcomes if o.item.topic]
        acc = metrics.accuracy([o.item.topic for o in with_topic], [o.topic for o in with_topic])
        return acc, len(with_topic)

    @property
    def route_accuracy(self) -> float:
        """Route accuracy (the route ``steunwijzer classify`` gives)."""
        return metrics.accuracy(self._gold("route"), [o.route for o in self.outcomes])

    @property
    def long_route(self) -> tuple[float, int]:
        """Route accuracy on the realistic multi-sentence messages, and how many there are."""
        long = [o for o in self.outcomes if o.item.long]
        return metrics.accuracy([o.item.route for o in long], [o.route for o in long]), len(long)

    @property
    def place_found(self) -> tuple[float, int]:
        """Share of messages naming a municipality whose decision holds that municipality."""
        named = [o for o in self.outcomes if o.item.place]
        return metrics.accuracy([o.item.place for o in named], [o.place for o in named]), len(
            named
        )

    def crisis(self, trigger: str) -> metrics.Binary:
        """Crisis detection by ``combined``, ``lexicon`` or ``model``.

        Only items whose expected route is not ``crisis_line`` can be false alarms: past
        violence (topic violence) gets the crisis answer by design, whatever triggered it.
        """
        picked = {
            "combined": lambda o: o.crisis,
            "lexicon": lambda o: o.lexicon_crisis,
            "model": lambda o: o.model_crisis,
        }[trigger]
        scored = [o for o in self.outcomes if o.item.crisis or o.item.route != "crisis_line"]
        return metrics.binary([o.item.crisis for o in scored], [picked(o) for o in scored])

    @property
    def non_crisis(self) -> int:
        """Items that can be false alarms."""
        return sum(1 for o in self.outcomes if not o.item.crisis and o.item.route != "crisis_line")

    def false_alarms_allowed(self) -> int:
        """At most one per 50 non-crisis messages (at least one allowed for a short set)."""
        return max(1, self.non_crisis // FALSE_ALARM_PER)

    def misses(self) -> list[str]:
        """One line per item where any decided field differs from its label."""
        lines = []
        for o in self.outcomes:
            wrong = []
            if o.intent != o.item.intent:
                wrong.append(f"intent {o.item.intent}→{o.intent} ({o.confidence:.2f})")
            if o.topic != o.item.topic:
                wrong.append(f"topic {o.item.topic}→{o.topic}")
            if o.route != o.item.route:
                wrong.append(f"route {o.item.route}→{o.route}")
            if o.language != o.item.language:
                wrong.append(f"language {o.item.language}→{o.language}")
            if o.item.place and o.place != o.item.place:
                wrong.append(f"place {o.item.place}→{o.place}")
            if wrong:
                lines.append(f"`{o.item.text}`: " + "; ".join(wrong))
        return lines

    def targets(self, cv: CvResult | None) -> dict[str, bool]:
        """Which targets of issue 6 this language meets."""
        combined = self.crisis("combined")
        met = {
            "route ≥ 0.90": self.route_accuracy >= TARGET_ROUTE,
            "intent macro-F1 ≥ 0.85 (held-out)": self.intent_macro_f1 >= TARGET_MACRO_F1,
            "language id ≥ 0.98 (≥3 words)": self.lid_long[0] >= TARGET_LID,
            "crisis recall 1.0": combined.recall >= TARGET_CRISIS_RECALL,
            "false alarms ≤ 1 per 50": combined.fp <= self.false_alarms_allowed(),
            "place found ≥ 0.95": self.place_found[0] >= TARGET_PLACE,
            "long messages: route ≥ 0.90": self.long_route[0] >= TARGET_LONG_ROUTE,
        }
        if cv is not None:
            met["intent macro-F1 ≥ 0.85 (CV)"] = cv.macro_f1 >= TARGET_MACRO_F1
        return met


# ---------------------------------------------------------------------------- running


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings() -> Settings:
    """The app settings, with Rasa on free ports so the run never meets another server."""
    from bot.runtime.secrets_file import export_secrets

    base = load_settings()
    secrets = base.data_dir / "secrets.env"
    if secrets.exists():
        export_secrets(secrets)
        base = load_settings()
    return load_settings(
        rasa_url=f"http://127.0.0.1:{_free_port()}",
        # The NLU service refuses to start without a token.
        rasa_token=base.rasa_token or secrets_module.token_urlsafe(16),
        rasa_timeout_seconds=30.0,
    )


def _official(pipeline: Pipeline, place: str | None) -> str | None:
    """The official name of the municipality a decided place stands for."""
    match = pipeline.context.gazetteer.resolve(place) if place else None
    return match.name if match else place


async def _classify(pipeline: Pipeline, rasa: NluClient, items: Sequence[Item]) -> list[Outcome]:
    outcomes = []
    for item in items:
        started = time.perf_counter()
        decision = await pipeline.classify(item.text)  # no hint: language detection is scored
        seconds = time.perf_counter() - started
        nlu = await rasa.parse(item.text)  # the model alone (raises if Rasa is gone)
        outcomes.append(
            Outcome(
                item=item,
                language=decision.language,
                intent=decision.intent,
                topic=decision.topic,
                route=decision.route,
                confidence=decision.confidence,
                model_intent=nlu.intent,
                model_crisis=await model_crisis(item.text, rasa.parse, whole=nlu),
                lexicon_crisis=lexicon_signal(item.text) is not None,
                seconds=seconds,
                place=_official(pipeline, decision.place),
            )
        )
    return outcomes


@dataclass
class Measured:
    """Everything one run measured against the NLU service."""

    heldout: dict[str, list[Outcome]]
    crisis: dict[str, list[crisis_eval.CrisisOutcome]]
    scenarios: dict[str, scenarios_eval.LanguageScenarios]
    startup: float


async def _run_heldout(
    settings: Settings, languages: Sequence[str], rasa_url: str | None
) -> Measured:
    """Classify every held-out item, measure the crisis set and play the conversation
    scenarios (on a fresh database with the demo directory)."""
    url = rasa_url or settings.nlu_urls[0]
    rasa = NluClient(url, settings.rasa_token, settings.rasa_timeout_seconds)
    children: list[processes.Child] = []
    startup = 0.0
    try:
        if rasa_url is None:
            log_dir = settings.data_dir / "logs"
            log_dir.mkdir(parents=True, exist_ok=True)
            started = time.monotonic()
            child = processes.start_rasa(settings, log_dir)
            children.append(child)
            processes.wait_until(
                f"{url}/status",
                child,
                180,
                {"token": settings.rasa_token} if settings.rasa_token else None,
            )
            startup = time.monotonic() - started
        if not await rasa.ready():
            raise NluUnavailable(f"no Rasa server with a model at {url}")
        pipeline = Pipeline(AppContext.from_settings(settings), rasa)
        results = {}
        crisis_results = {}
        for language in languages:
            results[language] = await _classify(pipeline, rasa, load_heldout(language))
            crisis_results[language] = await crisis_eval.measure(rasa, language)
        with tempfile.TemporaryDirectory() as workdir:
            context = scenarios_eval.scenario_context(settings, Path(workdir))
            played = Pipeline(context, rasa)
            scenario_results = {
                language: await scenarios_eval.run(played, language) for language in languages
            }
            context.database.dispose()
        return Measured(results, crisis_results, scenario_results, startup)
    finally:
        await rasa.close()
        processes.stop(children)


# ---------------------------------------------------------------------------- reporting


def _pct(value: float) -> str:
    return f"{value:.3f}"


def _crisis_cell(b: metrics.Binary) -> str:
    return f"{b.recall:.2f} / {b.precision:.2f} ({b.fp} FA)"


def summary_table(reports: Sequence[LanguageReport], cv: dict[str, CvResult]) -> list[str]:
    """The summary table, as Markdown lines."""
    head = (
        "| lang | n | LID all | LID ≥3 words | intent acc | intent macro-F1 | CV macro-F1 |"
        " topic acc (labelled) | route acc | long msgs route acc | place found |"
        " crisis recall / precision: combined | lexicon | model | targets met |"
    )
    rows = [head, "|" + "---|" * 15]
    for r in reports:
        lid_long, n_long = r.lid_long
        topic_rec, n_topic = r.topic_recall
        c = cv.get(r.language)
        met = r.targets(c)
        rows.append(
            f"| {r.language} | {r.n} | {_pct(r.lid)} | {_pct(lid_long)} ({n_long}) |"
            f" {_pct(r.intent_accuracy)} | {_pct(r.intent_macro_f1)} |"
            f" {_pct(c.macro_f1) if c else '–'} |"
            f" {_pct(r.topic_accuracy)} ({_pct(topic_rec)} of {n_topic}) |"
            f" {_pct(r.route_accuracy)} | {_pct(r.long_route[0])} ({r.long_route[1]}) |"
            f" {_pct(r.place_found[0])} ({r.place_found[1]}) |"
            f" {_crisis_cell(r.crisis('combined'))} |"
            f" {_crisis_cell(r.crisis('lexicon'))} | {_crisis_cell(r.crisis('model'))} |"
            f" {sum(met.values())}/{len(met)} |"
        )
    return rows


def language_section(report: LanguageReport, cv: CvResult | None) -> list[str]:
    """Details of one language: targets, confusion matrix and misses."""
    outcomes = report.outcomes
    lines = [f"### {report.language}", ""]
    for name, ok in report.targets(cv).items():
        lines.append(f"- {'✅' if ok else '❌'} {name}")
    combined = report.crisis("combined")
    lines.append(
        f"- crisis: {combined.tp} of {combined.tp + combined.fn} found; "
        f"{combined.fp} false alarm(s) on {report.non_crisis} non-crisis messages "
        f"(allowed {report.false_alarms_allowed()})"
    )
    lines += ["", "Intent confusion (rows: label, columns: decision; first 4 letters):", ""]
    lines += [
        "```",
        metrics.confusion_table([o.item.intent for o in outcomes], [o.intent for o in outcomes]),
        "```",
        "",
    ]
    misses = report.misses()
    lines.append(f"Misses ({len(misses)}):")
    lines.append("")
    lines += [f"- {m}" for m in misses] or ["- none"]
    lines.append("")
    return lines


def cv_section(cv: dict[str, CvResult]) -> list[str]:
    """The cross-validation table, as Markdown lines."""
    rows = [
        "| lang | examples | folds | intent accuracy | intent macro-F1 | ≥ 0.85 |"
        " weakest intents (F1) | wall time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in cv.values():
        weakest = ", ".join(f"{name} {f1:.2f}" for name, f1 in c.weakest)
        rows.append(
            f"| {c.language} | {c.examples} | {c.folds} | {_pct(c.accuracy)} |"
            f" {_pct(c.macro_f1)} | {'✅' if c.macro_f1 >= TARGET_MACRO_F1 else '❌'} |"
            f" {weakest} | {c.seconds:.0f} s |"
        )
    return rows


def machine() -> str:
    """nproc, CPU model, Python version and date, in one line."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def git_revision() -> str:
    """The short git revision of the checkout, or "unknown"."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _between(text: str, start: str, end: str, new: str) -> str:
    """Replace what lies between two marker comments (kept) in ``text``."""
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{new}\n{end}{tail}"


def scenario_section(reports: dict[str, scenarios_eval.LanguageScenarios]) -> list[str]:
    """The conversation-scenario figures and every turn that went wrong."""
    lines = [
        "Conversation scenarios (`tests/scenarios/scenarios_<lang>.yml`) through the"
        " conversation core, the NLU service and the demo directory.",
        "",
        *scenarios_eval.summary_table(list(reports.values())),
        "",
    ]
    for language, report in reports.items():
        lines += [f"#### scenarios: {language}", ""]
        lines += scenarios_eval.misses(report) or ["- no turn went wrong"]
        lines.append("")
    return lines


def crisis_section(results: dict[str, list[crisis_eval.CrisisOutcome]]) -> list[str]:
    """The crisis-set figures: per language, per kind, and every miss."""
    lines = [
        "Crisis measuring set (`tests/nlu/crisis_<lang>.yml`) plus the held-out set's"
        " non-crisis messages; model = whole message and every sentence.",
        "",
        *crisis_eval.summary_table(results),
        "",
        "Per kind: found/n (lexicon alone, model alone; first line right). Near misses and"
        " everyday messages: false alarms.",
        "",
        *crisis_eval.kind_table(results),
        "",
    ]
    for language, outcomes in results.items():
        lines.append(f"#### crisis set: {language}")
        lines.append("")
        for name, ok in crisis_eval.targets(outcomes).items():
            lines.append(f"- {'✅' if ok else '❌'} {name}")
        lines.append("")
        lines += [f"- {m}" for m in crisis_eval.misses(outcomes)] or ["- nothing to report"]
        lines.append("")
    return lines


def write_doc(path: Path, generated: list[str], marker: str = "eval") -> None:
    """Put ``generated`` between the markers of ``path`` (prose around them is kept)."""
    start, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else f"{start}\n{end}\n"
    if start not in text:
        text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
    path.write_text(_between(text, start, end, "\n".join(generated)), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``make eval`` / ``make eval-short``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="held-out only: no CV, no docs")
    parser.add_argument("--languages", nargs="+", default=list(HELDOUT_LANGUAGES))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/")
    parser.add_argument("--no-cv", action="store_true",
                        help="skip cross-validation (the training data did not change, or it "
                             "is measured apart); docs/quality.md is written without its column")
    parser.add_argument("--rasa-url", help="use this running Rasa server instead of starting one")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any target is missed")
    args = parser.parse_args(argv)
    write = not (args.short or args.no_docs)

    settings = _settings()
    if args.rasa_url is None:
        processes.setup_rasa()  # trains only when nlu_data/ or the config changed
    started = time.monotonic()
    measured = asyncio.run(_run_heldout(settings, args.languages, args.rasa_url))
    outcomes, crisis_results, startup = measured.heldout, measured.crisis, measured.startup
    heldout_seconds = time.monotonic() - started
    reports = [LanguageReport(lang, outcomes[lang]) for lang in args.languages]

    cv: dict[str, CvResult] = {}
    if not (args.short or args.no_cv):
        for language in args.languages:
            print(f"[eval] cross-validating {language} ({args.folds} folds)…", file=sys.stderr)
            cv[language] = cross_validate(language, args.folds)

    latencies = [o.seconds * 1000 for lang in outcomes.values() for o in lang]
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else p50
    command = "make eval-short" if args.short else "make eval"
    flags = " --short" if args.short else " --no-cv" if args.no_cv else ""
    header = [
        f"Command: `{command}` (`python -m eval.run{flags}`)"
        f" at commit {git_revision()} (plus working-tree changes).",
        f"Machine: {machine()}.",
        f"Thresholds: CRISIS_THRESHOLD {CRISIS_THRESHOLD}, FALLBACK_THRESHOLD"
        f" {FALLBACK_THRESHOLD} (bot/dialogue/routing.py).",
        f"Held-out run: {sum(r.n for r in reports)} messages in {heldout_seconds:.1f} s"
        f" including Rasa start-up {startup:.1f} s; per message (detect + lexicon + /model/parse +"
        f" route) p50 {p50:.1f} ms, p95 {p95:.1f} ms.",
        "",
    ]
    table = summary_table(reports, cv)
    print("\n".join(header + table))
    for report in reports:
        print()
        print("\n".join(language_section(report, cv.get(report.language))))
    if cv:
        print("\n".join(cv_section(cv)))
    crisis_lines = crisis_section(crisis_results)
    print()
    print("\n".join(crisis_lines))
    scenario_lines = scenario_section(measured.scenarios)
    print()
    print("\n".join(scenario_lines))

    if write:
        details = [line for r in reports for line in language_section(r, cv.get(r.language))]
        write_doc(DOCS / "quality.md", [*header, *table, "", *details])
        write_doc(DOCS / "quality.md", crisis_lines, marker="crisis")
        write_doc(DOCS / "quality.md", scenario_lines, marker="scenarios")
    if write and cv:
        cv_lines = [
            f"Command (per language): `{next(iter(cv.values())).command}`.",
            f"Machine: {machine()}.",
            "",
            *cv_section(cv),
        ]
        write_doc(DOCS / "nlu-cross-validation.md", cv_lines)
        print(
            f"[eval] wrote {DOCS / 'quality.md'} and {DOCS / 'nlu-cross-validation.md'}",
            file=sys.stderr,
        )

    failed = [
        f"{r.language}: {name}"
        for r in reports
        for name, ok in r.targets(cv.get(r.language)).items()
        if not ok
    ]
    failed += [
        f"{language}: crisis set {name}"
        for language, results in crisis_results.items()
        for name, ok in crisis_eval.targets(results).items()
        if not ok
    ]
    failed += [
        f"{language}: {name}"
        for language, played in measured.scenarios.items()
        for name, ok in scenarios_eval.targets(played).items()
        if not ok
    ]
    unsafe = [r.language for r in reports if r.crisis("combined").recall < TARGET_CRISIS_RECALL]
    if failed:
        print("[eval] targets missed: " + "; ".join(failed), file=sys.stderr)
    if unsafe:
        print(f"[eval] CRISIS RECALL BELOW 1.0 in {', '.join(unsafe)}", file=sys.stderr)
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
