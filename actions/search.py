"""Search the directory for a route and show a group with its meetings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import AppContext
from bot.directory.search import (
    MeetingCard,
    SearchOutcome,
    ServiceCard,
    find_services,
    get_active_service_card,
    upcoming_meetings,
)
from bot.stats.counters import Event, count
from bot.taxonomy import Route, ServiceKind
from bot.vocabulary import DialogueState

#: Service kinds offered per route (the volunteer help rung of the ladder).
KINDS_FOR_ROUTE: dict[str, tuple[str, ...]] = {
    Route.PEER_GROUP: (ServiceKind.PEER_GROUP,),
    Route.VOLUNTEER_HELP: (
        ServiceKind.VOLUNTEER_SERVICE,
        ServiceKind.CARER_SUPPORT,
        ServiceKind.VOLUNTEER_CENTRE,
        ServiceKind.COMMUNITY_CENTRE,
    ),
    Route.VOLUNTEER_SIGNUP: (ServiceKind.VOLUNTEER_CENTRE,),
}


def search(context: AppContext, state: DialogueState, language: str) -> SearchOutcome:
    """Services for the state's route, topic, place and wishes, up to the state's page (plus
    one, to know whether there is more); counted anonymously (found or not)."""
    route = state.route or Route.PEER_GROUP
    per_page = context.settings.results_per_page
    with context.database.session() as session:
        outcome = find_services(
            session,
            topic=state.topic if route != Route.VOLUNTEER_SIGNUP else None,
            kinds=KINDS_FOR_ROUTE.get(route, ()),
            municipality_code=state.place_code,
            language=language,
            women_only=state.women_only,
            now=context.clock(),
            limit=per_page * (state.page + 1) + 1,
            gazetteer=context.gazetteer,
        )
        count(
            session,
            Event.SEARCH if outcome.results else Event.SEARCH_EMPTY,
            topic=state.topic,
            language=language,
            municipality_code=state.place_code,
            now=context.clock(),
        )
    return outcome


@dataclass(frozen=True)
class GroupView:
    """One group's card and its next meetings."""

    card: ServiceCard
    meetings: list[MeetingCard]


def show_group(context: AppContext, group_id: str) -> GroupView | None:
    """The group's card with its next five meetings, or ``None`` when there is no such group
    or it is not active (a deep link, a button or a remembered group cannot open it)."""
    now = context.clock()
    with context.database.session() as session:
        card = get_active_service_card(session, group_id, now=now)
        if card is None:
            return None
        return GroupView(card, upcoming_meetings(session, group_id, now, limit=5))
