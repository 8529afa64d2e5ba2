"""Keep what a message said in the dialogue state, so no question is asked twice.

product.md: "whatever a person already said (a place, a topic, who it is about, a wish for a
group in their language or online) is used, not asked again". The engine calls
:func:`remember` on every typed message before it decides anything.
"""

from __future__ import annotations

from bot.vocabulary import DialogueState, MessageFacts


def remember(state: DialogueState, facts: MessageFacts) -> DialogueState:
    """``state`` with the facts of one message added.

    A named municipality replaces the one known; "online is fine" said in passing makes a
    place unnecessary, "I'd rather not say" only counts as an answer to the place question
    (the engine handles it there). The engine sets the topic (the model may name a different
    main one than the words); of several problems named at once the next one is kept on offer.
    Wishes for women-only or own-language groups stay once said.
    """
    changes: dict[str, object] = {}
    if facts.place_code:
        changes.update(
            place_code=facts.place_code, place_name=facts.place_name, place_skipped=False
        )
    if facts.online:
        changes["online"] = True
        if not facts.place_code and not state.place_code:
            changes["place_skipped"] = True
    if facts.topics:
        others = [t for t in facts.topics if t != state.topic]
        changes["second_topic"] = others[0] if others else None
    if facts.about is not None:
        changes["about"] = facts.about.value
    if facts.women_only:
        changes["women_only"] = True
    if facts.own_language:
        changes["own_language"] = True
    return state.with_(**changes) if changes else state


def remember_with_topic(state: DialogueState, facts: MessageFacts) -> DialogueState:
    """:func:`remember`, and the message's main problem as the topic: for a message the
    engine did not read (answered by the crisis net before any dialogue turn)."""
    if facts.topics and facts.topics[0] != state.topic:
        state = state.with_(topic=facts.topics[0], second_topic=None)
    return remember(state, facts)
