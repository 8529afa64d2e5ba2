"""A clearly fictional demo directory, generated deterministically.

Every organisation and service name carries "(demo)" or starts with "Demo"; e-mail addresses
and URLs use the reserved ``.example`` domain and there are no phone numbers, so nobody can be
sent to a place that does not exist. The one exception is the national lines
(:func:`bot.directory.helplines.national_line_services`): they are real and always included,
because the crisis answer must never point to a fictional line.

Contents: per city (Amsterdam, Rotterdam, 's-Gravenhage, Utrecht, Tilburg, Eindhoven) a welfare
organisation and a volunteer centre with peer groups for every topic in Dutch, Turkish, Farsi
and Arabic (violence: a professional consultation hour instead of a peer group, see
safety.md rule 6), buddy projects (maatje, taalmaatje, schuldhulpmaatje, with a waiting list), a
carer support point, a community centre and a social neighbourhood team; a national online
organisation with online groups; and the national lines as helplines.

Groups and services that meet in Turkish, Farsi or Arabic (and the English-speaking volunteer
point) carry their description and how-to-join text in those languages too, written as the
group would (``data/demo_texts.yml``); groups in Dutch only have Dutch texts, so a reader of
another language sees those marked as Dutch.

Everything is derived from fixed seeds and uuid5 ids, so two builds are identical. Only the
meetings depend on ``now``: concrete dates for the next :data:`MEETING_WEEKS` weeks, computed
from each schedule's RRULE in Europe/Amsterdam wall-clock time and stored in UTC (so a 19:30
meeting stays 19:30 across the DST change).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from dateutil.rrule import rrulestr

from bot.directory.helplines import national_line_services
from bot.directory.models import TEXT_LANGUAGES
from bot.directory.records import (
    LocationRecord,
    MeetingRecord,
    OrganisationRecord,
    ScheduleRecord,
    ServiceRecord,
    TextRecord,
    stable_id,
)
from bot.directory.values import LOCAL_TZ
from bot.taxonomy import JoinMode, LedBy, ServiceKind, Topic
from bot.vocabulary import CITIZEN_LANGUAGES

MEETING_WEEKS = 8
DEMO_DOMAIN = "steunwijzer-demo.example"
TEXTS_PATH = Path(__file__).resolve().parent / "data" / "demo_texts.yml"


@dataclass(frozen=True)
class City:
    """A demo city: CBS code, name as people write it, a real PC4 and its centre."""

    code: str
    name: str
    slug: str
    pc4: str
    latitude: float
    longitude: float


CITIES = (
    City("GM0363", "Amsterdam", "amsterdam", "1012", 52.3728, 4.8936),
    City("GM0599", "Rotterdam", "rotterdam", "3011", 51.9225, 4.4792),
    City("GM0518", "Den Haag", "den-haag", "2511", 52.0705, 4.3007),
    City("GM0344", "Utrecht", "utrecht", "3511", 52.0907, 5.1214),
    City("GM0855", "Tilburg", "tilburg", "5038", 51.5555, 5.0913),
    City("GM0772", "Eindhoven", "eindhoven", "5611", 51.4416, 5.4697),
)

# Fictional venue and street names (no real addresses).
VENUES = ("De Linde", "Het Anker", "De Brug", "De Ontmoeting", "Het Plein")
STREETS = ("Voorbeeldstraat", "Demolaan", "Proefplein", "Oefenweg", "Schetsstraat")

#: Language label in group names ("Rouwgroep Turkstalig"). Dutch words on purpose: a name that
#: mixes Latin and Arabic script renders in a confusing order in left-to-right chat clients.
LANGUAGE_LABELS = {"nl": "", "tr": "Turkstalig", "fa": "Farsitalig", "ar": "Arabischtalig"}
LANGUAGE_NL = {"nl": "Nederlands", "tr": "Turks", "fa": "Farsi", "ar": "Arabisch"}

#: Per topic: group name (nl) and two description variants (the group's own words).
GROUP_TEXTS: dict[Topic, tuple[str, tuple[str, ...]]] = {
    Topic.LONELINESS: (
        "Samen minder alleen",
        (
            "Elke keer koffie, een praatje en soms een wandeling. Je hoeft niets te vertellen "
            "als je dat niet wilt.",
            "Voor wie weinig mensen om zich heen heeft. We leren elkaar rustig kennen.",
        ),
    ),
    Topic.GRIEF: (
        "Rouwgroep",
        (
            "Voor wie een partner, kind of ouder heeft verloren. We delen herinneringen en "
            "luisteren naar elkaar.",
            "Praten over verlies met mensen die het kennen. Er mag ook stilte zijn.",
        ),
    ),
    Topic.CAREGIVING: (
        "Mantelzorgcafé",
        (
            "Voor wie zorgt voor een naaste, ook als je jezelf geen mantelzorger noemt. Even "
            "tijd voor jezelf.",
            "Je zorgt voor je moeder, partner of kind? Hier praat je met anderen die dat ook doen.",
        ),
    ),
    Topic.MENTAL_HEALTH: (
        "Herstelgroep somberheid en angst",
        (
            "Ervaringen delen over somberheid, angst of burn-out. Wat helpt jou, wat helpt een "
            "ander?",
            "Een groep over herstel in je eigen tempo, zonder diagnose of dossier.",
        ),
    ),
    Topic.CHRONIC_ILLNESS: (
        "Lotgenoten chronisch ziek",
        (
            "Leven met een chronische ziekte of beperking: we wisselen tips en verhalen uit.",
            "Voor mensen met bijvoorbeeld diabetes, reuma of NAH. Samen staan we sterker.",
        ),
    ),
    Topic.ADDICTION: (
        "Zelfhulpgroep verslaving",
        (
            "Voor wie worstelt met alcohol, drugs of gokken, en voor naasten. Anoniem en "
            "zonder oordeel.",
            "We steunen elkaar bij stoppen of minderen. Iedereen begint waar hij of zij staat.",
        ),
    ),
    Topic.MONEY_DEBT: (
        "Geldzorgen-groep",
        (
            "Samen praten over geldzorgen en papierwerk. Een vrijwilliger helpt met brieven.",
            "Schulden zijn geen schande. We helpen elkaar overzicht te krijgen.",
        ),
    ),
    Topic.PARENTING: (
        "Oudergroep opvoeden",
        (
            "Opvoeden tussen twee culturen of alleen opvoeden: we delen wat werkt.",
            "Voor ouders met vragen over opvoeding. De kinderopvang is in de zaal ernaast.",
        ),
    ),
    Topic.NEWCOMER: (
        "Nieuw in Nederland",
        (
            "Hoe werkt het hier? We helpen elkaar met taal, regels en heimwee.",
            "Voor nieuwkomers en mensen met een vluchtverhaal. Samen wegwijs worden.",
        ),
    ),
}

#: Group names of the women-only variants (only these topics have them).
WOMEN_TITLES = {
    Topic.PARENTING: "Moedergroep opvoeden",
    Topic.LONELINESS: "Vrouwencafé samen minder alleen",
    Topic.NEWCOMER: "Vrouwengroep nieuw in Nederland",
}

#: Community focus in the group's own words, per language (chosen by the group, never imposed).
COMMUNITY_FOCUS = {
    "tr": (
        "Turkse en Koerdische buurtgenoten, maar iedereen die Turks spreekt is welkom.",
        "Vooral Turkse moeders uit de wijk.",
    ),
    "fa": (
        "Afghaanse en Iraanse buurtgenoten; iedereen die Farsi of Dari spreekt is welkom.",
        "Voor Farsisprekenden, ongeacht waar je vandaan komt.",
    ),
    "ar": (
        "Arabischsprekenden uit Syrië, Irak, Marokko en elders.",
        "Voor Syrische en Iraakse gezinnen in de buurt.",
    ),
}

ANONYMITY = (
    "Alleen je voornaam, geen aanmelding nodig.",
    "Je hoeft je naam niet te noemen. Wat hier gezegd wordt, blijft hier.",
    "Aanmelden kan met alleen een voornaam of bijnaam.",
)

#: (rrule, weekday offset from the Monday anchor, description) — weekly, biweekly, monthly.
SCHEDULE_PATTERNS = (
    ("FREQ=WEEKLY;BYDAY=MO", 0, "Elke maandag"),
    ("FREQ=WEEKLY;BYDAY=TU", 1, "Elke dinsdag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", 2, "Om de week op woensdag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", 3, "Om de week op donderdag"),
    ("FREQ=MONTHLY;BYDAY=1SA", None, "Elke eerste zaterdag van de maand"),
    ("FREQ=MONTHLY;BYDAY=-1FR", None, "Elke laatste vrijdag van de maand"),
)
START_TIMES = ((10, 0), (13, 30), (19, 0), (19, 30))
#: Monday 6 January 2025: the fixed anchor of every demo schedule (independent of ``now``).
ANCHOR = datetime(2025, 1, 6)


@dataclass(frozen=True)
class DemoDirectory:
    """The generated demo: services (incl. national lines) and their upcoming meetings."""

    services: tuple[ServiceRecord, ...]
    meetings: tuple[MeetingRecord, ...]


@cache
def demo_translations() -> dict[str, dict[str, str]]:
    """Dutch demo text → {language: the same text} from ``data/demo_texts.yml``."""
    data = yaml.safe_load(TEXTS_PATH.read_text(encoding="utf-8"))
    return {entry["nl"]: {k: v for k, v in entry.items() if k != "nl"} for entry in data["texts"]}


def _translate(dutch: str, language: str) -> str:
    try:
        return demo_translations()[dutch][language]
    except KeyError:
        raise KeyError(f"demo text without {language!r} in {TEXTS_PATH.name}: {dutch!r}") from None


def _texts(
    languages: Sequence[str], description: Sequence[str], how_to_join: str | None
) -> tuple[TextRecord, ...]:
    """The texts of a demo service in each of its ``languages`` besides Dutch.

    ``description`` is its Dutch description in parts (joined with a space), each translated on
    its own. A missing translation is an error: the demo promises these texts.
    """
    texts = []
    for language in languages:
        if language not in TEXT_LANGUAGES:
            continue
        if description:
            text = " ".join(_translate(part, language) for part in description)
            texts.append(TextRecord(field="description", language=language, text=text))
        if how_to_join:
            texts.append(TextRecord(field="how_to_join", language=language,
                                    text=_translate(how_to_join, language)))
    return tuple(texts)


def _rng(*parts: str) -> random.Random:
    # A str seed is hashed with SHA-512 by random.seed, so it is stable across processes
    # (unlike hash(), which PYTHONHASHSEED randomises).
    return random.Random("demo:" + ":".join(parts))


def _email(local: str, city: City | None = None) -> str:
    return f"{local}{'.' + city.slug if city else ''}@{DEMO_DOMAIN}"


def _url(path: str) -> str:
    return f"https://{DEMO_DOMAIN}/{path}"


def _schedule(service_id: str, rng: random.Random, duration: int) -> ScheduleRecord:
    rule, offset, description = rng.choice(SCHEDULE_PATTERNS)
    hour, minute = rng.choice(START_TIMES)
    if offset is None:
        # Monthly: start on the first occurrence on or after the anchor, so dtstart is itself
        # an occurrence (RFC 5545 advises this).
        first = rrulestr(rule, dtstart=ANCHOR).after(ANCHOR, inc=True)
        day = first if first is not None else ANCHOR
    else:
        day = ANCHOR + timedelta(days=offset)
    start = day.replace(hour=hour, minute=minute)
    return ScheduleRecord(
        id=stable_id("demo-schedule", service_id),
        rrule=rule,
        dtstart=start.isoformat(timespec="minutes"),
        duration_minutes=duration,
        description=f"{description}, {hour:02d}:{minute:02d}",
    )


def _location(service_id: str, city: City, rng: random.Random) -> LocationRecord:
    venue = rng.choice(VENUES)
    number = rng.randint(1, 120)
    letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
    return LocationRecord(
        id=stable_id("demo-location", service_id),
        name=f"Buurthuis {venue} (demo)",
        address=f"{rng.choice(STREETS)} {number}",
        postcode=f"{city.pc4} {letters}",
        city=city.name,
        municipality_code=city.code,
        latitude=round(city.latitude + rng.uniform(-0.02, 0.02), 5),
        longitude=round(city.longitude + rng.uniform(-0.03, 0.03), 5),
    )


def _join(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.6:
        return JoinMode.JUST_COME.value, "Je bent welkom zonder aanmelding; loop gewoon binnen."
    return (
        JoinMode.CONTACT_FIRST.value,
        "Stuur eerst een mailtje, dan maken we kennis voordat je de eerste keer komt.",
    )


def _peer_group(
    org: OrganisationRecord, city: City | None, topic: Topic, language: str
) -> ServiceRecord:
    """A peer group about ``topic`` in ``language``, in ``city`` or (None) online nationally."""
    where = city.slug if city else "online"
    rng = _rng("group", where, topic.value, language)
    title, descriptions = GROUP_TEXTS[topic]
    women_only = language != "nl" and topic in WOMEN_TITLES and rng.random() < 0.6
    label = LANGUAGE_LABELS[language]
    if women_only:
        title = WOMEN_TITLES[topic]
    name_parts = [title, label or None, city.name if city else "online"]
    name = " ".join(p for p in name_parts if p) + " (demo)"
    service_id = stable_id("demo-service", org.id, name)
    parts = [rng.choice(descriptions)]
    if language != "nl":
        parts.append(f"We spreken {LANGUAGE_NL[language]} met elkaar.")
    description = " ".join(parts)
    focus = None
    if language in COMMUNITY_FOCUS and rng.random() < 0.5:
        focus = rng.choice(COMMUNITY_FOCUS[language])
    join_mode, how_to_join = _join(rng)
    led_by = rng.choice([LedBy.PEER, LedBy.PEER, LedBy.EXPERT_BY_EXPERIENCE, LedBy.PROFESSIONAL])
    return ServiceRecord(
        id=service_id,
        organisation=org,
        name=name,
        kind=ServiceKind.PEER_GROUP.value,
        description=description,
        email=_email(f"groep-{topic.value.replace('_', '-')}-{language}", city),
        national=city is None,
        online=city is None,
        in_person=city is not None,
        online_url=_url(f"online/{topic.value}-{language}") if city is None else None,
        women_only=women_only,
        community_focus=focus,
        led_by=led_by.value,
        cost="free" if rng.random() < 0.8 else "Vrijwillige bijdrage van €2 voor koffie en thee",
        accessibility=None
        if city is None
        else rng.choice(
            ("Rolstoeltoegankelijk, met ringleiding.", "Zaal op de eerste verdieping, met lift.")
        ),
        join_mode=join_mode,
        how_to_join=how_to_join,
        anonymity=rng.choice(ANONYMITY),
        topics=(topic.value,),
        languages=(language,),
        areas=(city.code,) if city else (),
        locations=(_location(service_id, city, rng),) if city else (),
        schedules=(_schedule(service_id, rng, rng.choice((90, 120))),),
        texts=_texts((language,), parts, how_to_join),
    )


def _violence_support(org: OrganisationRecord, city: City, language: str) -> ServiceRecord:
    # Topic violence always escalates (safety.md rule 6): never a community peer group, but a
    # professional consultation hour in the person's language, reached after the crisis answer.
    label = LANGUAGE_LABELS[language]
    name = " ".join(p for p in ("Spreekuur na huiselijk geweld", label, city.name) if p)
    name += " (demo)"
    service_id = stable_id("demo-service", org.id, name)
    parts = [
        "Een vertrouwelijk gesprek met een hulpverlener over geweld thuis, ook als het al "
        "voorbij is. Bij acuut gevaar: bel 112 of Veilig Thuis."
    ]
    if language != "nl":
        parts.append(f"Het gesprek kan in het {LANGUAGE_NL[language]}.")
    description = " ".join(parts)
    how_to_join = "Maak per mail een afspraak; je hoeft niet te zeggen waarover."
    return ServiceRecord(
        id=service_id,
        organisation=org,
        name=name,
        kind=ServiceKind.PROFESSIONAL.value,
        description=description,
        email=_email(f"spreekuur-{language}", city),
        led_by=LedBy.PROFESSIONAL.value,
        join_mode=JoinMode.CONTACT_FIRST.value,
        how_to_join=how_to_join,
        anonymity="Je mag anoniem blijven.",
        topics=(Topic.VIOLENCE.value,),
        languages=(language,),
        areas=(city.code,),
        texts=_texts((language,), parts, how_to_join),
    )


def _city_services(city: City) -> list[ServiceRecord]:
    welfare = OrganisationRecord(
        id=stable_id("demo-organisation", "welzijn", city.slug),
        name=f"Demo Welzijn {city.name}",
        description=f"Fictieve welzijnsorganisatie in {city.name}, alleen voor de demo.",
        url=_url(f"welzijn/{city.slug}"),
        email=_email("info", city),
    )
    centre = OrganisationRecord(
        id=stable_id("demo-organisation", "vrijwilligerscentrale", city.slug),
        name=f"Demo Vrijwilligerscentrale {city.name}",
        description=f"Fictieve vrijwilligerscentrale in {city.name}, alleen voor de demo.",
        url=_url(f"vrijwilligers/{city.slug}"),
        email=_email("vrijwilligers", city),
    )
    rng = _rng("city", city.slug)
    services: list[ServiceRecord] = []
    for topic in Topic:
        for language in CITIZEN_LANGUAGES:
            if topic is Topic.VIOLENCE:
                services.append(_violence_support(welfare, city, language))
            else:
                services.append(_peer_group(welfare, city, topic, language))

    def simple(org: OrganisationRecord, name: str, kind: ServiceKind, **values: object
               ) -> ServiceRecord:  # fmt: skip
        full = f"{name} {city.name} (demo)"
        description = str(values.get("description") or "")
        how_to_join = values.get("how_to_join")
        texts = _texts(
            tuple(values.get("languages") or ()),  # type: ignore[arg-type]
            [description] if description else [],
            str(how_to_join) if how_to_join else None,
        )
        return ServiceRecord(
            id=stable_id("demo-service", org.id, full),
            organisation=org,
            name=full,
            kind=kind.value,
            areas=(city.code,),
            texts=texts,
            **values,  # type: ignore[arg-type]
        )

    services += [
        simple(
            centre, "Vrijwilligerspunt", ServiceKind.VOLUNTEER_CENTRE,
            description="Wil je vrijwilliger worden of zoek je een vrijwilliger? We denken met "
            "je mee.",
            email=_email("vrijwilligerspunt", city),
            topics=("loneliness", "money_debt", "newcomer"), languages=("en", "nl"),
            join_mode="contact_first", how_to_join="Mail ons of kom langs op het inloopspreekuur.",
        ),
        simple(
            centre, "Maatjesproject", ServiceKind.VOLUNTEER_SERVICE,
            description="Een vrijwilliger als maatje: samen wandelen, koffie drinken of iets "
            "ondernemen.",
            email=_email("maatje", city), topics=("loneliness", "mental_health"),
            languages=("ar", "nl"), join_mode="contact_first",
            how_to_join="Meld je aan per mail; een coördinator belt je voor een kennismaking.",
            wait_time=f"Wachtlijst: ongeveer {rng.randint(4, 10)} weken.",
        ),
        simple(
            centre, "Taalmaatjes", ServiceKind.VOLUNTEER_SERVICE,
            description="Oefen Nederlands met een vrijwilliger, één keer per week, bij jou in "
            "de buurt.",
            email=_email("taalmaatje", city), topics=("newcomer",),
            languages=("ar", "fa", "nl", "tr"), join_mode="contact_first",
            how_to_join="Mail ons; we zoeken een taalmaatje dat bij je past.",
            wait_time=f"Wachtlijst: ongeveer {rng.randint(2, 8)} weken.",
        ),
        simple(
            centre, "Schuldhulpmaatje", ServiceKind.VOLUNTEER_SERVICE,
            description="Een getrainde vrijwilliger helpt je met post, overzicht en het "
            "aanvragen van hulp bij schulden.",
            email=_email("schuldhulpmaatje", city), topics=("money_debt",),
            languages=("nl", "tr"), join_mode="contact_first",
            how_to_join="Mail ons; je hoeft nog niets op orde te hebben.",
            wait_time=f"Wachtlijst: ongeveer {rng.randint(3, 12)} weken.",
            anonymity="Je gegevens blijven bij je maatje en de coördinator.",
        ),
        simple(
            welfare, "Mantelzorgsteunpunt", ServiceKind.CARER_SUPPORT,
            description="Voor iedereen die zorgt voor een naaste: advies, respijtzorg en een "
            "luisterend oor.",
            email=_email("mantelzorg", city), topics=("caregiving",),
            languages=("ar", "nl", "tr"), join_mode="contact_first",
            how_to_join="Bel of mail; je hoeft jezelf geen mantelzorger te noemen.",
        ),
        simple(
            welfare, "Buurthuis De Linde", ServiceKind.COMMUNITY_CENTRE,
            description="Inloop met koffie, taalcafé en activiteiten voor jong en oud.",
            email=_email("buurthuis", city), topics=("loneliness", "newcomer", "parenting"),
            languages=("ar", "fa", "nl", "tr"),
            locations=(_location(stable_id("demo-buurthuis", city.slug), city, rng),),
            schedules=(
                ScheduleRecord(
                    id=stable_id("demo-schedule", "buurthuis", city.slug),
                    rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                    dtstart="2025-01-06T09:00",
                    duration_minutes=480,
                    description="Open op werkdagen van 9 tot 17 uur",
                ),
            ),
        ),
        simple(
            welfare, "Sociaal wijkteam", ServiceKind.PROFESSIONAL,
            description="Hulp van professionals bij geld, opvoeding, zorg en wonen; het team "
            "kijkt met je mee.",
            email=_email("wijkteam", city),
            topics=("caregiving", "chronic_illness", "mental_health", "money_debt", "parenting"),
            languages=("nl",), led_by="professional", join_mode="contact_first",
            how_to_join="Mail of bel het wijkteam voor een afspraak.",
        ),
    ]  # fmt: skip
    return services


def _online_services() -> list[ServiceRecord]:
    org = OrganisationRecord(
        id=stable_id("demo-organisation", "online"),
        name="Demo Lotgenoten Online (landelijk)",
        description="Fictieve landelijke organisatie met online lotgenotengroepen, alleen voor "
        "de demo.",
        url=_url("online"),
        email=_email("online"),
    )
    languages_for = {"nl": list(Topic), "tr": [Topic.LONELINESS, Topic.CAREGIVING, Topic.GRIEF],
                     "fa": [Topic.NEWCOMER, Topic.MENTAL_HEALTH, Topic.GRIEF],
                     "ar": [Topic.PARENTING, Topic.NEWCOMER, Topic.LONELINESS]}  # fmt: skip
    return [
        _peer_group(org, None, topic, language)
        for language, topics in languages_for.items()
        for topic in topics
        if topic is not Topic.VIOLENCE
    ]


def demo_services() -> tuple[ServiceRecord, ...]:
    """Every demo service (fictional ones and the real national lines), independent of time."""
    services: list[ServiceRecord] = []
    for city in CITIES:
        services += _city_services(city)
    services += _online_services()
    services += national_line_services()
    return tuple(services)


def meetings_for(
    service: ServiceRecord, now: datetime, weeks: int = MEETING_WEEKS
) -> list[MeetingRecord]:
    """Concrete meetings of ``service``'s schedules from ``now`` for ``weeks`` weeks.

    Occurrences are computed in Europe/Amsterdam wall-clock time (the RRULE's frame) and then
    converted to UTC, so the UTC time shifts by an hour across DST while the local time stays.
    """
    start_local = now.astimezone(LOCAL_TZ).replace(tzinfo=None)
    end_local = start_local + timedelta(weeks=weeks)
    place = None
    if service.locations:
        loc = service.locations[0]
        place = ", ".join(p for p in (loc.name, loc.address, loc.city) if p)
    meetings = []
    for schedule in service.schedules:
        rule = rrulestr(schedule.rrule, dtstart=datetime.fromisoformat(schedule.dtstart))
        for local in rule.between(start_local, end_local, inc=True):
            starts = local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
            meetings.append(
                MeetingRecord(
                    id=stable_id("demo-meeting", schedule.id, starts.isoformat()),
                    service_id=service.id,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=schedule.duration_minutes),
                    place=place,
                    online_url=service.online_url,
                    language=",".join(service.languages) or None,
                    series_id=schedule.id,
                )
            )
    return meetings


def build_demo(now: datetime | None = None) -> DemoDirectory:
    """The demo directory with meetings for the :data:`MEETING_WEEKS` weeks after ``now``."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    services = demo_services()
    meetings = [
        meeting
        for service in services
        if service.kind == ServiceKind.PEER_GROUP.value
        for meeting in meetings_for(service, now)
    ]
    return DemoDirectory(services=services, meetings=tuple(meetings))
