"""The identifiers of taxonomy.md: intents, topics, routes and service kinds.

These names are a contract shared by the NLU data, the dialogue, the directory, the
statistics and ``steunwijzer classify``. Never rename one silently.
"""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """What a citizen's message is about."""

    GREET = "greet"
    GOODBYE = "goodbye"
    THANKS = "thanks"
    AFFIRM = "affirm"
    DENY = "deny"
    SHARE_SITUATION = "share_situation"
    SEEK_PEER_GROUP = "seek_peer_group"
    SEEK_PRACTICAL_HELP = "seek_practical_help"
    OFFER_HELP = "offer_help"
    FIND_MEETINGS = "find_meetings"
    ASK_PRIVACY = "ask_privacy"
    REQUEST_HUMAN = "request_human"
    CRISIS = "crisis"
    DELETE_DATA = "delete_data"
    CHANGE_LANGUAGE = "change_language"
    INFORM_LOCATION = "inform_location"
    ASK_NETWORK = "ask_network"
    BOT_HELP = "bot_help"
    OUT_OF_SCOPE = "out_of_scope"


class Topic(StrEnum):
    """What a difficulty is about (entity and slot ``topic``)."""

    LONELINESS = "loneliness"
    GRIEF = "grief"
    CAREGIVING = "caregiving"
    MENTAL_HEALTH = "mental_health"
    CHRONIC_ILLNESS = "chronic_illness"
    ADDICTION = "addiction"
    MONEY_DEBT = "money_debt"
    PARENTING = "parenting"
    NEWCOMER = "newcomer"
    VIOLENCE = "violence"


class Route(StrEnum):
    """What the bot ends up offering."""

    CRISIS_LINE = "crisis_line"
    PEER_GROUP = "peer_group"
    VOLUNTEER_HELP = "volunteer_help"
    VOLUNTEER_SIGNUP = "volunteer_signup"
    MEETINGS = "meetings"
    PRIVACY_INFO = "privacy_info"
    HUMAN_CONTACT = "human_contact"
    NETWORK_REQUEST = "network_request"
    DATA_DELETION = "data_deletion"
    CONVERSATION = "conversation"
    FALLBACK = "fallback"


class ServiceKind(StrEnum):
    """Kinds of directory entries."""

    PEER_GROUP = "peer_group"
    VOLUNTEER_CENTRE = "volunteer_centre"
    VOLUNTEER_SERVICE = "volunteer_service"
    CARER_SUPPORT = "carer_support"
    COMMUNITY_CENTRE = "community_centre"
    PROFESSIONAL = "professional"
    HELPLINE = "helpline"


class LedBy(StrEnum):
    """Who leads a group (product.md)."""

    PEER = "peer"
    EXPERT_BY_EXPERIENCE = "expert_by_experience"
    PROFESSIONAL = "professional"


class JoinMode(StrEnum):
    """How to join a group."""

    JUST_COME = "just_come"
    CONTACT_FIRST = "contact_first"


#: The default intent → route mapping of taxonomy.md.
INTENT_ROUTES: dict[Intent, Route] = {
    Intent.SHARE_SITUATION: Route.PEER_GROUP,
    Intent.SEEK_PEER_GROUP: Route.PEER_GROUP,
    Intent.SEEK_PRACTICAL_HELP: Route.VOLUNTEER_HELP,
    Intent.OFFER_HELP: Route.VOLUNTEER_SIGNUP,
    Intent.FIND_MEETINGS: Route.MEETINGS,
    Intent.ASK_PRIVACY: Route.PRIVACY_INFO,
    Intent.REQUEST_HUMAN: Route.HUMAN_CONTACT,
    Intent.DELETE_DATA: Route.DATA_DELETION,
    Intent.ASK_NETWORK: Route.NETWORK_REQUEST,
    Intent.CRISIS: Route.CRISIS_LINE,
    Intent.OUT_OF_SCOPE: Route.FALLBACK,
}


def route_for(intent: Intent, topic: Topic | None) -> Route:
    """The route of taxonomy.md for an intent and topic; topic ``violence`` always escalates."""
    if topic is Topic.VIOLENCE:
        return Route.CRISIS_LINE
    return INTENT_ROUTES.get(intent, Route.CONVERSATION)
