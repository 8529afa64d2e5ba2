"""Which dialogue answers a turn: the crisis net first, a facilitator's guided conversation
next, the citizen pipeline otherwise.

Every channel adapter (Telegram, the terminal chat) hands its turns to one :class:`Router`, so
what a person sees does not depend on the channel. Order of a typed message (safety.md rule
1): the crisis lexicon before anything waits for the database; then, if the person is in a
guided facilitator step, that step answers (dates, times, a place: the lexicon has judged
them); otherwise the pipeline, which runs the whole crisis net itself. The words after a
facilitator command or an invitation meet the lexicon and the model before the command runs.
Every button and command then counts against the person's flood limit for presses, in either
dialogue (``Pipeline.held_back``), so mashing one is held back like a flood of messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.notices import stale_button
from bot.conversation.pipeline import Citizen, Pipeline, PipelineResult
from bot.facilitators.dialogue import Answer, FacilitatorDialogue, takes_button, takes_command
from bot.safety.net import lexicon_signal


def split_command(text: str) -> tuple[str, str]:
    """``/help@SteunwijzerBot ik wil…`` → ``("help", "ik wil…")``: the command ends at the first
    whitespace of any kind (a line break too), the bot's name is dropped."""
    head, *rest = text[1:].split(maxsplit=1)
    return head.split("@", 1)[0].lower(), rest[0] if rest else ""


def _result(answer: Answer) -> PipelineResult:
    return PipelineResult(answer.replies, answer.language, None)


@dataclass
class Router:
    """The citizen pipeline and the facilitator dialogue behind one door; one per process."""

    pipeline: Pipeline
    facilitators: FacilitatorDialogue

    @classmethod
    def around(cls, pipeline: Pipeline) -> Router:
        """A router with a facilitator dialogue on the pipeline's context."""
        return cls(pipeline, FacilitatorDialogue(pipeline.context))

    async def message(
        self, citizen: Citizen, text: str, *, lexicon_clear: bool = False
    ) -> PipelineResult:
        """A message as typed: a command with its argument (``/newmeeting``), or text.
        ``lexicon_clear``: the channel already ran the crisis lexicon on ``text`` and it found
        nothing (Telegram's update processor does), so it is not run twice."""
        if text.startswith("/") and text[1:].strip():
            return await self.command(citizen, *split_command(text))
        signal = None if lexicon_clear else lexicon_signal(text)
        if signal is not None:
            return await self.pipeline.crisis_answer(citizen, text, signal)
        answer = await self.facilitators.text(citizen, text)
        if answer is not None:
            return _result(answer)
        return await self.pipeline.handle_text(citizen, text, lexicon_clear=True)

    async def command(self, citizen: Citizen, command: str, argument: str = "") -> PipelineResult:
        """``/command argument``: an invitation or a facilitator command goes to the
        facilitator dialogue, every other command (also /reminders) to the pipeline."""
        if not takes_command(command, argument):
            await self.facilitators.interrupt(citizen)
            return await self.pipeline.handle_command(citizen, command, argument)
        crisis = await self.pipeline.crisis_check(citizen, argument, deep_link=command == "start")
        if crisis is not None:
            return crisis
        held = self.pipeline.held_back(citizen)
        if held is not None:
            return held
        return _result(await self.facilitators.command(citizen, command, argument))

    async def button(self, citizen: Citizen, intent: str, value: str | None) -> PipelineResult:
        """A button press: a facilitator step's or the citizen dialogue's (the flood limit
        counts both: a forged facilitator button costs a database turn like any other)."""
        if takes_button(intent):
            held = self.pipeline.held_back(citizen)
            if held is not None:
                return held
            return _result(await self.facilitators.button(citizen, intent, value))
        return await self.pipeline.handle_button(citizen, intent, value)

    async def stale_button(self, citizen: Citizen) -> PipelineResult:
        """A button whose data no dialogue reads (an older bot's, or forged): a kind word and
        the main menu in the person's language; counted by the flood limit like any press."""
        held = self.pipeline.held_back(citizen)
        if held is not None:
            return held
        language = await self.pipeline.language_of(citizen)
        return PipelineResult(stale_button(language), language, None)
