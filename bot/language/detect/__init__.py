"""Detect which supported language a citizen writes in.

Order of evidence:

1. Script. Arabic-script letters (majority of the letters) mean Farsi or Arabic; Latin letters
   mean Dutch, Turkish or English, or Persian/Arabic typed in Latin letters (step 3). No letters
   at all (digits, emoji) is ambiguous.
2. Whole-message markers: a greeting such as "merhaba", "hoi", "مرحبا" decides by itself.
3. Latin-script Persian ("Finglish": "man khaste shodam", "mer30") and Arabic ("Arabizi":
   "ana ta3bana", "7abibi") are scored with ``ROMANIZED_MARKERS``: frequent function words,
   each counted once, weighted 2 (unmistakable on its own: "mamnoon", "chetori", "shukran"),
   1 (clearly Persian/Arabic: "hastim", "mikham", "bdi") or 0.5 (also a Dutch, English or
   Turkish word: "man", "az", "ana", "salam", "hastam"). Arabizi words with a digit for a letter
   ("ta3bana", "7abibi", not "3uur", "5inci", "mp3") weigh 2, Persian verb forms ("mitunam",
   "nemidunam", "besham") 1. A message is Persian or Arabic at a score of 1.5 (two markers, one
   of them clearly Persian/Arabic, or one unmistakable word; 1 when the conversation already is
   in that language), and only if the other of the two scores lower. Hence "man" alone,
   "ik ben een man" or Turkish "annem hasta" never become Farsi: one or two shared words fall
   short, and Turkish "hasta" is no marker at all. In a message of fewer than three words, a
   single word of weight 1 or more ("komak", "bdi") counts as an answer word (step 4).
4. Short answers. A message whose words are all short-answer words (``ANSWER_WORDS``), or any
   message of fewer than three words, is decided by the answer words it contains, ignoring
   unknown words. Each answer word has a language and the languages in which it is *also* said:

   * "ok", "hi", "salam", "سلام" are not answer words: they keep the conversation's language.
   * "ja", "nee", "bedankt", "thanks", "yes", "sorry" are said by everyone in the Netherlands,
     so they fit every language and are no evidence on their own (like "ok": ``current``, else
     the Telegram hint, else the default); next to a one-language word they are compatible
     ("ja graag" → nl, "okay tamam" → tr).
   * "evet", "hayır", "lütfen", "graag", "alsjeblieft", "بله", "آره", "نه", "ممنونم", "نعم", "لا",
     "شكرا", "ايوه" exist in one candidate language only, so they switch even when ``current``
     is another language (current nl, "evet" → tr; current fa, "نعم" → ar). So do words with
     the Turkish letters ı ş ğ and Turkish verb endings ("istemiyorum", "yapabiliyorsun").
   * "tamam", "تمام", "ممكن", "ممنون", "مرسی" belong to one language but are common in another
     one too: they keep ``current`` if it is one of those, else they switch to their own
     language. "تشكر" is in no list (Dari and Levantine "thanks" alike): the keyboard decides.

   The words of a message must agree (their languages intersect), else it is ambiguous. In
   Arabic script the keyboard letters (below) decide first unless the words exclude that
   language: "مرسی" with a Persian ی is Farsi in an Arabic conversation, "نعم" stays Arabic.
   "اي" (Arabic "yes", Persian "O …") and the Persian "نه" inside a longer Arabic message are no
   evidence: only a short message or one made of answer words uses the list at all.
5. Longer messages go to lingua, restricted to the candidates of their script. For Farsi versus
   Arabic, lingua's log-odds are combined with letter evidence (پ چ ژ گ ی ک versus ة ى ي ك) and
   with Persian/Dari function words (هستم, استم, میخوام, را, …) versus Arabic ones (في, هذا,
   اللي, …), which also carries Dari typed on an Arabic keyboard ("مه تنها استم و کسی ره ندارم").
   Well-known Dutch institutional words (mantelzorg, gemeente, …) are removed first, since
   Turkish, Farsi and Arabic speakers in the Netherlands mix them in. A long message decides by
   itself, so a change of language mid-conversation is followed.
6. When ambiguous: keep ``current`` if it fits the script, else Telegram's ``language_code``
   if it fits, else the best guess of the script (Latin: "nl", the default).

One module per job: ``evidence`` (the script, letters and function words), ``romanized``
(step 3), ``answers`` (step 4), ``lingua_models`` (step 5's statistics) and ``decide`` (the
order above). All word lists are data in ``wordlists``, written as people type them and folded
with ``bot.text.normalize.fold`` at import.
"""

from bot.language.detect.decide import detect_language
from bot.language.detect.lingua_models import warm_up

__all__ = ["detect_language", "warm_up"]
