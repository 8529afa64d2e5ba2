"""Run every finder over a text, most specific first, and replace what they find."""

from __future__ import annotations

from bot.privacy.scrub.addresses import find_addresses
from bot.privacy.scrub.emails import find_emails
from bot.privacy.scrub.iban_bsn import find_bsns, find_ibans
from bot.privacy.scrub.lexicon import load_lexicon
from bot.privacy.scrub.links import find_handles, find_telegram_links, find_urls, handle_spans
from bot.privacy.scrub.names import name_spans
from bot.privacy.scrub.numbers import DigitView, number_runs
from bot.privacy.scrub.phones import find_phones, spelled_out_phones
from bot.privacy.scrub.spans import Finder, Scrubbed, Spans

#: The finders that run on the digit view, in order: an e-mail address before the link inside
#: it, a Telegram link before the URL, an IBAN before the phone number in its digits.
VIEW_FINDERS: tuple[tuple[str, Finder], ...] = (
    ("email", find_emails),
    ("handle", find_telegram_links),
    ("url", find_urls),
    ("handle", find_handles),
    ("iban", find_ibans),
    ("bsn", find_bsns),
    ("phone", find_phones),
    ("address", find_addresses),
)


def scrub(text: str) -> Scrubbed:
    """Replace personal data in ``text`` with neutral placeholders.

    Returns the cleaned text and the kind of every replacement, in the order they appear
    ("phone", "email", "iban", "bsn", "address", "url", "handle", "name"; see ``PLACEHOLDERS``).
    """
    lexicon = load_lexicon()
    runs = number_runs(text, lexicon)
    view = DigitView(text, runs)
    spans = Spans()
    for kind, find in VIEW_FINDERS:
        for start, end in find(view.text):
            spans.add(*view.span(start, end), kind)
    # Number words, account names and names are found in the citizen's own words.
    for start, end in spelled_out_phones(runs):
        spans.add(start, end, "phone")
    for start, end in handle_spans(text, lexicon):
        spans.add(start, end, "handle")
    for start, end in name_spans(text, lexicon):
        spans.add(start, end, "name")
    return spans.apply(text)
