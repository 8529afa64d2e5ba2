"""The "help me ask" draft (bot/network/draft.py): built from the catalog's templates in every
language, for every who, what and when; the register follows who is asked; shorter and warmer
versions; the Dutch copy; and buttons that carry the whole choice within Telegram's limit."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.i18n.catalogs import Translator
from bot.network import draft, render
from bot.network.choices import DraftSpec, Style, What, When, Who, parse
from bot.vocabulary import ButtonIntent

LANGUAGES = ("nl", "tr", "fa", "ar")
ALL_SPECS = [DraftSpec(who, what, when) for who, what, when in itertools.product(Who, What, When)]
LATIN = re.compile(r"[A-Za-z]")


def _(language: str, msgid: str) -> str:
    return Translator(language).gettext(msgid)


def way_out(language: str, register: str, style: Style = Style.PLAIN) -> str:
    marked = draft.SHORT_WAY_OUT if style is Style.SHORTER else draft.WAY_OUT
    return Translator(language).pgettext(*marked[register])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_is_translated(language: str) -> None:
    translator = Translator(language)
    marked = [
        *(m for per_what in draft.REQUESTS.values() for m in per_what.values()),
        *draft.GREETING.values(), *draft.WISH.values(), *draft.WAY_OUT.values(),
        *draft.SHORT_WAY_OUT.values(),
    ]
    for context, msgid in marked:
        assert translator.pgettext(context, msgid) != msgid, (language, context, msgid)
    for msgid in (*draft.WHEN_PHRASES.values(), draft.NOT_EASY, draft.MEANS_A_LOT, draft.THANKS):
        assert translator.gettext(msgid) != msgid, (language, msgid)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda s: s.encode())
def test_every_combination_makes_a_short_concrete_easy_to_refuse_request(
    language: str, spec: DraftSpec
) -> None:
    text = draft.draft_text(spec, language)
    greeting, body = text.split("\n")
    register = draft.register(spec.who, language)
    assert greeting == Translator(language).pgettext(*draft.GREETING[register])
    # concrete: what is asked and when, in the reader's words
    assert _(language, draft.WHEN_PHRASES[spec.when]) in body
    request = Translator(language).pgettext(
        *draft.REQUESTS[register][spec.what], when=_(language, draft.WHEN_PHRASES[spec.when])
    )
    assert body.startswith(request)
    # easy to refuse, and thanks
    assert way_out(language, register) in body
    assert body.endswith(_(language, draft.THANKS))
    assert "{" not in text and len(text) < 300
    if language in {"fa", "ar"}:
        assert not LATIN.search(text), "no Dutch words that would need isolating"


@pytest.mark.parametrize(
    ("language", "familiar", "polite"),
    [
        ("tr", "misin?", "misiniz?"),  # sen / siz
        ("fa", "کنی؟", "کنید؟"),  # تو / شما
        ("nl", "Zou je", "Zou u"),  # je / u
    ],
)
def test_family_and_friends_are_asked_familiarly_the_others_politely(
    language: str, familiar: str, polite: str
) -> None:
    def text(who: Who) -> str:
        return draft.draft_text(DraftSpec(who, What.SHOPPING, When.WEEK), language)

    for who in (Who.FAMILY, Who.FRIEND):
        assert familiar in text(who) and polite not in text(who)
    for who in (Who.NEIGHBOUR, Who.COMMUNITY):
        assert polite in text(who)
    # "u" to a colleague sounds distant in Dutch; siz / شما elsewhere.
    assert (familiar if language == "nl" else polite) in text(Who.COLLEAGUE)


def test_arabic_has_one_neutral_form_for_everyone() -> None:
    texts = {
        draft.draft_text(DraftSpec(who, What.RIDE, When.EVENING), "ar") for who in Who
    }
    assert len(texts) == 1
    # يمكنك + a verbal noun: no gendered verb for the reader
    assert "هل يمكنك توصيلي" in texts.pop()


@pytest.mark.parametrize("language", LANGUAGES)
def test_shorter_and_warmer_versions(language: str) -> None:
    spec = DraftSpec(Who.NEIGHBOUR, What.LETTERS, When.REGULARLY)
    plain = draft.draft_text(spec, language)
    shorter = draft.draft_text(spec.with_style(Style.SHORTER), language)
    warmer = draft.draft_text(spec.with_style(Style.WARMER), language)
    assert len(shorter) < len(plain) < len(warmer)
    assert "\n" not in shorter and way_out(language, "polite", Style.SHORTER) in shorter
    for msgid in (draft.NOT_EASY, draft.MEANS_A_LOT):
        assert _(language, msgid) in warmer and _(language, msgid) not in plain
    assert way_out(language, "polite") in warmer  # still easy to refuse
    when = _(language, draft.WHEN_PHRASES[When.REGULARLY])
    assert all(when in text for text in (plain, shorter, warmer))


@pytest.mark.parametrize("language", ["tr", "fa", "ar"])
def test_the_dutch_copy_is_a_message_of_its_own(language: str) -> None:
    spec = DraftSpec(Who.NEIGHBOUR, What.RIDE, When.MORNING, dutch=True)
    intro, own, dutch, options = render.first_draft(language, spec)
    assert own.text == draft.draft_html(spec, language) and not own.buttons
    assert dutch.text == draft.draft_html(spec, "nl") and not dutch.buttons
    assert dutch.text.startswith("Hallo!\nZou u me op een ochtend")  # a neighbour: "u"
    assert _(language, "The next message is the same request in Dutch.") in intro.text
    assert ButtonIntent.NETWORK_DUTCH not in {b.intent for row in options.buttons for b in row}


@pytest.mark.parametrize("language", ["tr", "fa", "ar"])
def test_also_in_dutch_then_shorter_keeps_both_languages(language: str) -> None:
    spec = DraftSpec(Who.FAMILY, What.PHONE, When.REGULARLY)
    options = render.first_draft(language, spec)[-1]
    dutch_data = [b for row in options.buttons for b in row if b.intent == "network_dutch"]
    assert len(dutch_data) == 1
    with_dutch = DraftSpec.decode(dutch_data[0].value)
    assert with_dutch == spec.with_dutch()
    _header, copy, options = render.dutch_copy(language, with_dutch)
    assert copy.text == draft.draft_html(spec, "nl")
    shorter = next(b for row in options.buttons for b in row if b.label == _(language, "Shorter"))
    replies = render.other_version(language, DraftSpec.decode(shorter.value))
    assert [r.text for r in replies[1:3]] == [
        draft.draft_html(spec.with_style(Style.SHORTER), language),
        draft.draft_html(spec.with_style(Style.SHORTER), "nl"),
    ]


def test_dutch_readers_get_no_second_copy() -> None:
    spec = DraftSpec(Who.FRIEND, What.COMPANY, When.WEEKEND, dutch=True)
    replies = render.first_draft("nl", spec)
    assert len(replies) == 3
    labels = {b.label for row in replies[-1].buttons for b in row}
    assert _("nl", "Also in Dutch") not in labels


def test_a_spec_survives_its_button_and_junk_does_not() -> None:
    for spec in ALL_SPECS:
        for style, dutch in itertools.product(Style, (False, True)):
            full = DraftSpec(spec.who, spec.what, spec.when, style, dutch)
            assert DraftSpec.decode(full.encode()) == full
    for junk in ("", "x", "neighbour.ride.morning.plain", "a.b.c.d.0", "neighbour.ride.x.plain.0",
                 "neighbour.ride.morning.plain.2", None):
        assert DraftSpec.decode(junk) is None
    assert parse("who", "neighbour") == "neighbour" and parse("who", "shopping") is None
    assert parse("when", None) is None and parse("where", "week") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_fits_telegrams_64_bytes(language: str) -> None:
    longest = DraftSpec(Who.COMMUNITY, What.CHILDREN, When.AFTERNOON, Style.SHORTER, False)
    replies = [
        *(render.question(language, slot, intro=True) for slot in ("who", "what", "when")),
        *render.first_draft(language, longest),
        *render.other_version(language, longest.with_dutch()),
        *render.dutch_copy(language, longest),
    ]
    buttons = [b for r in replies for row in r.buttons for b in row]
    assert buttons and all(len(b.callback_data.encode()) <= 64 for b in buttons)
    assert len(render.network_button(language).callback_data.encode()) <= 64
