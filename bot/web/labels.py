"""Names of codes (status, topic, language, municipality, statistic) in the interface language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import AppContext
from bot.dialogue.render import kind_label, topic_label
from bot.vocabulary import language_name
from bot.web.i18n import UiText


@dataclass(frozen=True)
class Labels:
    """Helpers templates call to show a code as words."""

    ui: UiText
    context: AppContext

    def status(self, status: str) -> str:
        """A request status."""
        _ = self.ui.gettext
        return {
            "new": _("New"), "in_progress": _("In progress"), "answered": _("Answered"),
            "closed": _("Closed"), "withdrawn": _("Withdrawn"), "expired": _("Expired"),
        }.get(status, status)

    def topic(self, topic: str | None) -> str:
        """A topic id, or "unknown"."""
        return topic_label(self.ui.language, topic) if topic else self.ui.gettext("unknown")

    def language(self, code: str | None) -> str:
        """A language code as its name."""
        return language_name(code, self.ui.language) if code else self.ui.gettext("unknown")

    def municipality(self, code: str | None) -> str:
        """A municipality code as its name."""
        if not code:
            return self.ui.gettext("unknown")
        return self.context.gazetteer.name_of(code) or code

    def kind(self, kind: str) -> str:
        """A service kind."""
        return kind_label(self.ui.language, kind)

    def template(self, name: str | None) -> str:
        """An answer template."""
        _ = self.ui.gettext
        return {
            "group": _("Here is a group for you"),
            "volunteer_centre": _("Here is the volunteer centre"),
            "ask_municipality": _("Can you tell me your municipality?"),
            "looking_into_it": _("Thank you, we are looking into it"),
            "own_words": _("Only my own words"),
        }.get(name or "", name or "")

    def event(self, event: str) -> str:
        """A statistics column."""
        _ = self.ui.gettext
        return {
            "week": _("Week"), "topic": _("Topic"), "language": _("Language"),
            "municipality_code": _("Municipality"), "search": _("Searches with results"),
            "search_empty": _("Searches without results"), "crisis_shown": _("Crisis answers"),
            "request": _("Requests"), "reminder": _("Reminders"), "feedback": _("Grades given"),
            "network_draft": _("Requests drafted for someone they know"),
            "mean_grade": _("Average grade"),
        }.get(event, event)

    def reason(self, reason: str) -> str:
        """A feedback reason."""
        _ = self.ui.gettext
        return {
            "went": _("went or got in touch"), "not_fit": _("did not fit"),
            "no_reply": _("could not reach them"), "waiting": _("waiting list"),
            "not_dared": _("did not dare yet"), "other": _("other / rather not say"),
        }.get(reason, reason)
