"""Remove personal data from text a citizen sends to a coordinator (privacy.md).

One module per kind of personal data, each finding spans of the text:

* ``numbers``: the *digit view* every number pattern runs on (digits of any script, number
  words in Dutch, English, Turkish, Persian and Arabic), mapped back to the citizen's words;
* ``phones``: phone numbers, also spelled out; ``iban_bsn``: IBAN and BSN (checked with
  ``python-stdnum``); ``emails``: e-mail, also written out ("fatima [at] gmail [dot] com");
* ``links``: URLs, Telegram links, @handles and handles after a social network's name;
* ``addresses``: Dutch postcodes, streets with a house number, "huisnummer 12", "پلاک ۱۲";
* ``names``: names after a phrase that introduces one ("ik heet", "adım", "اسمي").

``pipeline`` runs them in order and ``spans`` merges overlapping finds into one placeholder.
Word lists live in ``bot/privacy/data/scrub_words.yml`` and ``given_names.txt`` (``lexicon``);
matching uses :func:`bot.text.normalize.fold` keys. :func:`scrub` reports the kind of every
replacement.
"""

# Under its old name: a test checks the word lists against each other.
from bot.privacy.scrub.lexicon import load_lexicon as _lexicon
from bot.privacy.scrub.pipeline import scrub
from bot.privacy.scrub.spans import PLACEHOLDERS, Scrubbed

__all__ = ["PLACEHOLDERS", "Scrubbed", "_lexicon", "scrub"]
