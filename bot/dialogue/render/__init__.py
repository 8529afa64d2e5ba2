"""Every citizen-facing text of the dialogue, rendered in the reader's language.

Messages are English msgids translated through the Babel catalogs in ``locales/``; Dutch
names, numbers and links inside Farsi and Arabic text are wrapped in Unicode isolates.
Texts are Telegram HTML, so everything that comes from data is escaped.

One module per job: ``menus`` (the main menu and the conversation around it), ``language``
(the language menu), ``ladder`` (the routing ladder's questions), ``results`` (results and a
group's page), ``person`` (asking a person), ``forget``, ``errors`` (when answering fails) and
``notices`` (what the bot cannot read). A service card's text is the directory's
(:mod:`bot.directory.card_text`): services show it too. The names are re-exported here, so
callers write ``render.welcome(...)``.
"""

from bot.dialogue.render.errors import database_down, refused, understands_less, went_wrong
from bot.dialogue.render.forget import confirm_forget, forgotten
from bot.dialogue.render.ladder import (
    acknowledge,
    ask_place,
    ask_topic,
    information,
    place_unknown,
    topic_label,
)
from bot.dialogue.render.language import language_menu, language_set
from bot.dialogue.render.menus import (
    cancelled,
    fallback,
    goodbye,
    greeting,
    help_text,
    main_menu,
    main_menu_buttons,
    no_problem,
    privacy,
    thanks,
    welcome,
)
from bot.dialogue.render.notices import caption_only, flood, group_chat, too_long, unsupported_input
from bot.dialogue.render.person import ask_question, confirm_question, question_stored
from bot.dialogue.render.results import group_detail, group_not_found, no_results, results
from bot.directory.card_text import group_words, kind_label, service_card_text

__all__ = [
    "acknowledge",
    "ask_place",
    "ask_question",
    "ask_topic",
    "cancelled",
    "caption_only",
    "confirm_forget",
    "confirm_question",
    "database_down",
    "fallback",
    "flood",
    "forgotten",
    "goodbye",
    "greeting",
    "group_chat",
    "group_detail",
    "group_not_found",
    "group_words",
    "help_text",
    "information",
    "kind_label",
    "language_menu",
    "language_set",
    "main_menu",
    "main_menu_buttons",
    "no_problem",
    "no_results",
    "place_unknown",
    "privacy",
    "question_stored",
    "refused",
    "results",
    "service_card_text",
    "thanks",
    "too_long",
    "topic_label",
    "understands_less",
    "unsupported_input",
    "welcome",
    "went_wrong",
]
