"""What one message says, from every sentence of it: place, topics, who it is about, wishes.

product.md: "never ask twice". A person who writes "my wife died last year, I live alone in
Tilburg, is there a group for widowers?" has given a topic, a place and a wish in one breath;
the dialogue must use all three. The NLU service's reading of the whole message is one source;
its reading of each sentence, the gazetteer scanning the whole text (every script, inflection,
typos, postcodes) and the everyday words of ``keywords.yml`` are the others.

:func:`read_facts` collects the facts; :func:`main_meaning` decides what the message is mainly
asking for, so a story that ends in a wish is routed by the wish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.conversation import local_nlu
from bot.dialogue.wording import is_online_fine, is_rather_not_say
from bot.directory.gazetteer import Gazetteer, PlaceMatch
from bot.taxonomy import Intent, Route, Topic
from bot.text.sentences import split_sentences
from bot.vocabulary import About, MessageFacts, NluResult, Wish

#: The intent that carries each wish, and back.
WISH_INTENTS: dict[Wish, Intent] = {
    Wish.GROUP: Intent.SEEK_PEER_GROUP,
    Wish.VOLUNTEER: Intent.SEEK_PRACTICAL_HELP,
    Wish.PERSON: Intent.REQUEST_HUMAN,
    Wish.VOLUNTEER_SIGNUP: Intent.OFFER_HELP,
}
INTENT_WISHES: dict[str, Wish] = {intent.value: wish for wish, intent in WISH_INTENTS.items()}
WISH_ROUTES: dict[Wish, Route] = {
    Wish.GROUP: Route.PEER_GROUP,
    Wish.VOLUNTEER: Route.VOLUNTEER_HELP,
    Wish.PERSON: Route.HUMAN_CONTACT,
    Wish.VOLUNTEER_SIGNUP: Route.VOLUNTEER_SIGNUP,
}

#: Intents that tell rather than ask: a wish elsewhere in the message decides for them.
TELLING = frozenset(
    {
        Intent.SHARE_SITUATION,
        Intent.INFORM_LOCATION,
        Intent.GREET,
        Intent.THANKS,
        Intent.AFFIRM,
        Intent.OUT_OF_SCOPE,
        "nlu_fallback",
    }
)
#: A sentence's reading counts when the model is at least this sure of it.
SENTENCE_CONFIDENCE = 0.5
#: A yes or no in words counts as one up to this many words ("ja hoor, doe maar").
REPLY_WORDS = 5
#: Below this confidence the whole message is not understood (routing.FALLBACK_THRESHOLD).
UNDERSTOOD = 0.3
#: Topics where a relative named in the message is usually the one with the problem ("mijn
#: zoon drinkt", "annem alzheimer"): the help is then for someone the person cares for.
RELATIVE_TOPICS = frozenset(
    {Topic.CAREGIVING, Topic.ADDICTION, Topic.MENTAL_HEALTH, Topic.CHRONIC_ILLNESS}
)
#: A relative's illness makes the person a carer (taxonomy.md); a relative's addiction stays
#: addiction ("also those close to someone addicted").
CARED_FOR = frozenset({Topic.MENTAL_HEALTH, Topic.CHRONIC_ILLNESS})


def read_facts(
    text: str,
    whole: NluResult,
    sentences: Sequence[NluResult] = (),
    gazetteer: Gazetteer | None = None,
) -> MessageFacts:
    """The facts of ``text``, from the NLU readings of the whole and of each sentence, the
    gazetteer and the everyday words."""
    readings = (whole, *sentences)
    preferences = local_nlu.keyword_preferences(text)
    topics = _topics(text, readings)
    place = _place(text, readings, gazetteer)
    about = _about(text, topics)
    if about is About.OTHER and topics and topics[0] in CARED_FOR:
        # taxonomy.md: caring for someone close with an illness is caregiving (the illness
        # stays on offer as the second topic).
        topics = (Topic.CAREGIVING.value, *topics)
    return MessageFacts(
        place_code=place.code if place else None,
        place_name=place.name if place else None,
        online=is_online_fine(text),
        rather_not_say=is_rather_not_say(text),
        topics=topics,
        about=about,
        wish=_wish(text, readings),
        women_only="women_only" in preferences,
        own_language="own_language" in preferences,
        reply=_reply(text),
    )


def main_meaning(
    whole: NluResult, sentences: Sequence[NluResult], facts: MessageFacts
) -> NluResult:
    """The reading the dialogue acts on: the whole message's, with the main topic of all its
    sentences, except that a wish said anywhere decides for a message that otherwise only
    tells ("… is there a group for widowers?"), and a long message the model cannot place as a
    whole is read by its clearest sentence."""
    if facts.topics and whole.topic != facts.topics[0]:
        whole = replace(whole, topic=facts.topics[0])
    intent = whole.intent
    understood = intent != "nlu_fallback" and whole.confidence >= UNDERSTOOD
    if understood and intent == Intent.INFORM_LOCATION and facts.topics and facts.wish is None:
        # "I live in Almere and since the move I know no one": a problem, not only a place.
        return replace(whole, intent=Intent.SHARE_SITUATION.value)
    if understood and intent not in TELLING:
        return whole
    if facts.wish is not None:
        wished = WISH_INTENTS[facts.wish].value
        return replace(whole, intent=wished, confidence=max(whole.confidence, 0.6))
    if understood:
        return whole
    clear = [
        s
        for s in sentences
        if s.intent not in {"nlu_fallback", Intent.OUT_OF_SCOPE} and s.confidence >= UNDERSTOOD
    ]
    if clear:
        best = max(clear, key=lambda s: s.confidence)
        return replace(whole, intent=best.intent, confidence=best.confidence)
    if facts.topics:
        return replace(whole, intent=Intent.SHARE_SITUATION.value, confidence=UNDERSTOOD)
    if facts.reply is not None:
        return replace(whole, intent=facts.reply, confidence=UNDERSTOOD)
    if facts.place_code:
        return replace(whole, intent=Intent.INFORM_LOCATION.value, confidence=UNDERSTOOD)
    return whole


def _wish(text: str, readings: Sequence[NluResult]) -> Wish | None:
    """The wish in everyday words, else a sentence the model reads as a clear wish."""
    words = local_nlu.keyword_wish(text)
    if words is not None:
        return Wish(words)
    sure = [
        r
        for r in readings[1:]
        if r.intent in INTENT_WISHES and r.confidence >= SENTENCE_CONFIDENCE
    ]
    if sure:
        return INTENT_WISHES[max(sure, key=lambda r: r.confidence).intent]
    return None


def _reply(text: str) -> str | None:
    """``affirm`` or ``deny`` for a short yes or no ("evet lütfen", "نه ممنون"); longer
    messages say more than that."""
    if len(text.split()) > REPLY_WORDS:
        return None
    intent = local_nlu.keyword_intent(text)
    return intent if intent in {Intent.AFFIRM, Intent.DENY} else None


def _topics(text: str, readings: Sequence[NluResult]) -> tuple[str, ...]:
    """Every topic the message names: the model's (whole, then each sentence), then everyday
    words per sentence. The first is the main one."""
    found: list[str] = []
    for reading in readings:
        for name, value in (("topic", reading.topic), *reading.entities):
            if name == "topic" and value in set(Topic) and value not in found:
                found.append(value)
    for sentence in split_sentences(text):
        for topic in local_nlu.keyword_topics(sentence):
            if topic not in found:
                found.append(topic)
    if Topic.VIOLENCE in found[1:]:
        # Violence always comes first: it routes to the crisis line (taxonomy.md).
        found.remove(Topic.VIOLENCE)
        found.insert(0, Topic.VIOLENCE)
    return tuple(found)


def _place(
    text: str, readings: Sequence[NluResult], gazetteer: Gazetteer | None
) -> PlaceMatch | None:
    """The municipality the message names: an exact or postcode match in the text first, then
    a place the model tagged, then a typo the gazetteer is sure enough of."""
    if gazetteer is None:
        return None
    scanned = gazetteer.find_in_text(text) if text else None
    if scanned is not None and scanned.method != "fuzzy":
        return scanned
    for reading in readings:
        tagged = [reading.place, *(v for k, v in reading.entities if k == "place")]
        for candidate in filter(None, tagged):
            match = gazetteer.resolve(candidate)
            if match is not None:
                return match
    return scanned


def _about(text: str, topics: Sequence[str]) -> About | None:
    """Someone the person cares for when they say so or a relative has the problem; the
    person themselves when they tell of a problem otherwise; unknown without a problem."""
    if local_nlu.keyword_about_other(text):
        return About.OTHER
    if Topic.CAREGIVING in topics[:1]:
        return About.OTHER
    relative = local_nlu.keyword_choices(text).get("who") == "family"
    if relative and topics and topics[0] in RELATIVE_TOPICS:
        return About.OTHER
    return About.SELF if topics else None
