"""The citizen's side of "did this help?", in their language (Babel catalogs)."""

from __future__ import annotations

from bot.i18n.catalogs import Translator
from bot.vocabulary import Button, ButtonIntent, Reply

GRADE = "fbg"  # choose_option value fbg:<token>:<1..10>
REASON = "fbr"  # choose_option value fbr:<token>:<reason>
REASONS = ("went", "not_fit", "no_reply", "waiting", "not_dared", "other")


def reason_label(language: str, reason: str) -> str:
    """A reason for how it went, in plain words."""
    _ = Translator(language).gettext
    labels = {
        "went": _("I went or got in touch"),
        "not_fit": _("It did not fit me"),
        "no_reply": _("I could not reach them"),
        "waiting": _("There was a waiting list"),
        "not_dared": _("I did not dare to go yet"),
        "other": _("Something else, or I'd rather not say"),
    }
    return labels[reason]


def consent_given(language: str) -> tuple[Reply, ...]:
    """Confirm that we will ask once, later."""
    _ = Translator(language).gettext
    return (Reply(_("Thank you. In a week I will ask you once whether this helped. You can "
                    "ignore the question, and /forget deletes it too.")),)


def already_invited(language: str) -> tuple[Reply, ...]:
    """There is already a question planned for this person."""
    _ = Translator(language).gettext
    return (Reply(_("I will already ask you soon whether it helped; once is enough.")),)


def question(language: str, token: str) -> Reply:
    """The question itself, with the grades 1–10 as buttons."""
    _ = Translator(language).gettext
    grades = [Button(str(n), ButtonIntent.CHOOSE_OPTION, f"{GRADE}:{token}:{n}")
              for n in range(1, 11)]
    return Reply(
        _("A week ago you found help through Steunwijzer. Did it help you? Give a grade from 1 "
          "(not at all) to 10 (very much). Your answer is only counted, never linked to you."),
        (tuple(grades[:5]), tuple(grades[5:])),
    )


def ask_reason(language: str, token: str) -> tuple[Reply, ...]:
    """After the grade: what happened? (optional)."""
    _ = Translator(language).gettext
    buttons = tuple((Button(reason_label(language, r), ButtonIntent.CHOOSE_OPTION,
                            f"{REASON}:{token}:{r}"),) for r in REASONS)
    return (Reply(_("Thank you. What happened? This is optional."), buttons),)


def thanks(language: str) -> tuple[Reply, ...]:
    """The end of the feedback."""
    _ = Translator(language).gettext
    return (Reply(_("Thank you for telling us. It helps us find where help is missing.")),)


def gone(language: str) -> tuple[Reply, ...]:
    """The question was already answered or has lapsed."""
    _ = Translator(language).gettext
    return (Reply(_("This question has already been answered or has expired. Thank you!")),)
