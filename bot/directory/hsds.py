"""HSDS 3.0 (Open Referral) export and import of the directory.

The file format is a JSON array of HSDS 3.0 ``service`` objects, each valid against
``service_with_definitions.json`` (vendored in ``data/hsds-3.0``, CC BY-SA 4.0) with nested
``organization``, ``languages``, ``service_areas``, ``service_at_locations`` (with ``location``
and ``addresses``), ``schedules`` and ``phones``.

Mapping (each of our fields lives in exactly one place, so export → import → export is exact):

============================  ===============================================================
ours                          HSDS 3.0
============================  ===============================================================
service id/name/description   ``id``, ``name``, ``description``, ``status``, ``url``, ``email``
service phone                 ``phones[0].number`` (type ``voice``; further phones are ignored)
cost                          ``fees_description``
how_to_join                   ``application_process``
wait_time                     ``wait_time``
organisation                  ``organization`` {id, name, description, website, email,
                              phones[0].number}
languages                     ``languages[].code`` (ISO 639-1; ``name`` is informative)
service areas                 ``service_areas[]``: ``name`` = municipality name, CBS code in an
                              attribute ``steunwijzer-fields/municipality_code``
locations                     ``service_at_locations[].location`` (type ``physical``): name,
                              latitude, longitude, ``addresses[0]`` {address_1, postal_code,
                              city, state_province = province, region = municipality name,
                              country NL}; CBS code in attribute ``municipality_code``
schedules                     ``schedules[]``: ``freq``, ``interval``, ``byday``,
                              ``bymonthday``, ``count``, ``until``, ``wkst`` derived from the
                              RRULE; ``dtstart`` (date), ``opens_at``/``closes_at`` (local
                              HH:MM:SS, Europe/Amsterdam; closes ≤ opens means past midnight),
                              ``description``; attributes ``rrule`` (the raw RRULE, which is
                              canonical on import) and ``timezone`` (``Europe/Amsterdam``,
                              because HSDS's numeric ``timezone`` offset cannot express DST)
topics                        one attribute per topic, taxonomy ``steunwijzer-topics``,
                              ``taxonomy_term.code`` = topic id (taxonomy.md)
kind                          one attribute, taxonomy ``steunwijzer-kinds``, code = kind
national, online, in_person,  attributes of taxonomy ``steunwijzer-fields``,
women_only                    ``taxonomy_term.code`` = field name, ``value`` = ``true``/``false``
online_url, community_focus,  attributes of taxonomy ``steunwijzer-fields``, ``value`` = text;
led_by, join_mode, anonymity, omitted when empty
accessibility
description and how_to_join   attributes of taxonomy ``steunwijzer-texts`` (see below):
in other languages            ``taxonomy_term.code`` = ``description:<lang>`` or
                              ``application_process:<lang>``, ``value`` = the text
============================  ===============================================================

Texts per language (our extension). HSDS 3.0 has one ``description`` and one
``application_process`` per service and no field for translations, but it lets any entity carry
``attributes`` that link it to a term of any taxonomy, with a free ``value``. The core fields
keep the Dutch (default) text; each text the group wrote in another language is one attribute::

    {"link_entity": "service", "link_id": <service id>, "value": "Kayıt olmadan gelebilirsiniz.",
     "taxonomy_term": {"taxonomy": "steunwijzer-texts", "code": "application_process:tr", …}}

``code`` is ``<HSDS field>:<ISO 639-1 code>``, for the languages the bot speaks besides Dutch
(tr, fa, ar, en). A schema-only HSDS reader sees a valid service in Dutch; a reader that knows
the taxonomy gets every language. On import a malformed or unsupported code is reported at
``$[i].attributes[j].taxonomy_term.code`` and an empty text at ``….value``.

Every generated id (languages, areas, phones, attributes, terms, addresses,
service_at_locations) is a uuid5 of its owner, so exports are byte-for-byte reproducible.
``last_modified`` is not exported for the same reason. Attributes of other taxonomies are
ignored on import; meetings (dated occurrences) are not part of HSDS and are not exported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from jsonschema import Draft202012Validator
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from bot.directory.importer import (
    Checker,
    ImportProblem,
    LocationRecord,
    OrganisationRecord,
    ScheduleRecord,
    ServiceRecord,
    TextRecord,
    canonical_dtstart,
    load_records,
    municipality_info,
    stable_id,
)

SCHEMA_PATH = (
    Path(__file__).resolve().parent / "data" / "hsds-3.0" / "service_with_definitions.json"
)

TOPIC_TAXONOMY = "steunwijzer-topics"
KIND_TAXONOMY = "steunwijzer-kinds"
FIELD_TAXONOMY = "steunwijzer-fields"
TEXT_TAXONOMY = "steunwijzer-texts"
TIMEZONE = "Europe/Amsterdam"

#: Boolean service fields carried as attributes (value ``true``/``false``).
BOOL_FIELDS = {
    "national": "Serves the whole country (helplines, national online groups).",
    "online": "Meets or can be reached online.",
    "in_person": "Meets or can be visited in person.",
    "women_only": "Only for women.",
}
#: Optional text service fields carried as attributes.
TEXT_FIELDS = {
    "online_url": "Where to join online.",
    "community_focus": "The community the group addresses, in its own words.",
    "led_by": "Who leads the group: peer, expert_by_experience or professional.",
    "join_mode": "How to join: just_come or contact_first.",
    "anonymity": "How anonymous taking part is, in the group's own words.",
    "accessibility": "Accessibility of the service.",
}
#: Our field → the HSDS field whose text a :data:`TEXT_TAXONOMY` attribute gives in a language.
HSDS_TEXT_FIELDS = {"description": "description", "how_to_join": "application_process"}
_FIELD_OF_HSDS = {hsds: ours for ours, hsds in HSDS_TEXT_FIELDS.items()}
_HSDS_FREQS = ("WEEKLY", "MONTHLY")


# --------------------------------------------------------------------------- schema


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The HSDS 3.0 ``service_with_definitions`` JSON schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def service_validator() -> Draft202012Validator:
    """A validator for one HSDS service, checking formats (uuid, email) too."""
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def json_path(base: str, parts: Sequence[str | int]) -> str:
    """``$[2]`` + ``["schedules", 0, "freq"]`` → ``$[2].schedules[0].freq``."""
    text = base
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def validate_service(document: Mapping[str, Any], base: str = "$") -> list[ImportProblem]:
    """Schema problems of one HSDS service, each with its JSON path."""
    problems = []
    for error in sorted(service_validator().iter_errors(document), key=lambda e: list(e.path)):
        location = json_path(base, list(error.absolute_path))
        message = error.message
        if error.validator == "required":
            missing = re.match(r"^'(.+)' is a required property$", error.message)
            if missing:
                location, message = f"{location}.{missing.group(1)}", f"missing {missing.group(1)}"
        problems.append(ImportProblem(location, message[:300]))
    return problems


# --------------------------------------------------------------------------- export


def _term(taxonomy: str, code: str, description: str) -> dict[str, Any]:
    return {
        "id": stable_id("taxonomy-term", taxonomy, code),
        "code": code,
        "name": code,
        "description": description,
        "taxonomy": taxonomy,
    }


def _attribute(
    owner: str, entity: str, taxonomy: str, code: str, description: str, value: str | None = None
) -> dict[str, Any]:
    term = _term(taxonomy, code, description)
    attribute: dict[str, Any] = {
        "id": stable_id("attribute", owner, taxonomy, code, value or ""),
        "link_id": owner,
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
    }
    if value is not None:
        attribute["value"] = value
    attribute["taxonomy_term"] = term
    return attribute


def _municipality_attribute(owner: str, entity: str, code: str) -> dict[str, Any]:
    return _attribute(
        owner, entity, FIELD_TAXONOMY, "municipality_code", "CBS municipality code.", code
    )


def _rrule_parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def _clock(moment: time) -> str:
    return moment.isoformat(timespec="seconds")


def _schedule_to_hsds(service_id: str, schedule: ScheduleRecord) -> dict[str, Any]:
    start = datetime.fromisoformat(schedule.dtstart)
    end = start + timedelta(minutes=schedule.duration_minutes)
    parts = _rrule_parts(schedule.rrule)
    document: dict[str, Any] = {"id": schedule.id, "service_id": service_id}
    if parts.get("FREQ") in _HSDS_FREQS:
        document["freq"] = parts["FREQ"]
    document["interval"] = int(parts.get("INTERVAL", "1"))
    if "BYDAY" in parts:
        document["byday"] = parts["BYDAY"]
    if "BYMONTHDAY" in parts:
        document["bymonthday"] = parts["BYMONTHDAY"]
    if "COUNT" in parts:
        document["count"] = int(parts["COUNT"])
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        document["until"] = f"{until[:4]}-{until[4:6]}-{until[6:8]}"
    if "WKST" in parts:
        document["wkst"] = parts["WKST"]
    document["dtstart"] = start.date().isoformat()
    document["opens_at"] = _clock(start.time())
    document["closes_at"] = _clock(end.time())
    if schedule.description is not None:
        document["description"] = schedule.description
    document["attributes"] = [
        _attribute(
            schedule.id, "schedule", FIELD_TAXONOMY, "rrule",
            "The iCalendar RRULE of this schedule; canonical over freq/byday/….",
            schedule.rrule,
        ),
        _attribute(
            schedule.id, "schedule", FIELD_TAXONOMY, "timezone",
            "IANA time zone of dtstart, opens_at and closes_at.", TIMEZONE,
        ),
    ]  # fmt: skip
    return document


def _location_to_hsds(
    service_id: str,
    location: LocationRecord,
    municipalities: Mapping[str, tuple[str, str | None]],
) -> dict[str, Any]:
    place: dict[str, Any] = {
        "id": location.id,
        "location_type": "physical",
        "name": location.name,
    }
    if location.latitude is not None:
        place["latitude"] = location.latitude
    if location.longitude is not None:
        place["longitude"] = location.longitude
    name, province = municipalities.get(location.municipality_code or "", ("", None))
    if location.address or location.postcode or location.city:
        address: dict[str, Any] = {
            "id": stable_id("address", location.id),
            "location_id": location.id,
            "address_1": location.address or "",
            "city": location.city or "",
            "state_province": province or "",
            "postal_code": location.postcode or "",
            "country": "NL",
            "address_type": "physical",
        }
        if name:
            address["region"] = name
        place["addresses"] = [address]
    if location.municipality_code:
        place["attributes"] = [
            _municipality_attribute(location.id, "location", location.municipality_code)
        ]
    return {
        "id": stable_id("service-at-location", service_id, location.id),
        "service_id": service_id,
        "location_id": location.id,
        "location": place,
    }


def _phone(owner: str, number: str, key: str) -> dict[str, Any]:
    return {"id": stable_id("phone", owner), key: owner, "number": number, "type": "voice"}


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except ValueError:
        return code


def service_to_hsds(
    record: ServiceRecord, municipalities: Mapping[str, tuple[str, str | None]]
) -> dict[str, Any]:
    """One service record as an HSDS 3.0 service object (see the module docstring)."""
    org = record.organisation
    organization: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "description": org.description,
    }
    if org.url:
        organization["website"] = org.url
    if org.email:
        organization["email"] = org.email
    if org.phone:
        organization["phones"] = [_phone(org.id, org.phone, "organization_id")]

    document: dict[str, Any] = {
        "id": record.id,
        "organization_id": org.id,
        "name": record.name,
        "description": record.description,
        "status": record.status,
    }
    if record.url:
        document["url"] = record.url
    if record.email:
        document["email"] = record.email
    if record.how_to_join:
        document["application_process"] = record.how_to_join
    document["fees_description"] = record.cost
    if record.wait_time:
        document["wait_time"] = record.wait_time
    document["organization"] = organization
    if record.phone:
        document["phones"] = [_phone(record.id, record.phone, "service_id")]
    document["languages"] = [
        {
            "id": stable_id("language", record.id, code),
            "service_id": record.id,
            "name": _language_name(code),
            "code": code,
        }
        for code in record.languages
    ]
    document["service_areas"] = [
        {
            "id": stable_id("service-area", record.id, code),
            "service_id": record.id,
            "name": municipalities.get(code, (code, None))[0],
            "attributes": [
                _municipality_attribute(stable_id("service-area", record.id, code),
                                        "service_area", code)
            ],
        }
        for code in record.areas
    ]  # fmt: skip
    document["service_at_locations"] = [
        _location_to_hsds(record.id, location, municipalities) for location in record.locations
    ]
    document["schedules"] = [_schedule_to_hsds(record.id, s) for s in record.schedules]

    attributes = [
        _attribute(record.id, "service", KIND_TAXONOMY, record.kind, "Steunwijzer service kind.")
    ]
    attributes += [
        _attribute(record.id, "service", TOPIC_TAXONOMY, topic, "Steunwijzer topic (taxonomy.md).")
        for topic in record.topics
    ]
    for name, description in BOOL_FIELDS.items():
        value = "true" if getattr(record, name) else "false"
        attributes.append(
            _attribute(record.id, "service", FIELD_TAXONOMY, name, description, value)
        )
    for name, description in TEXT_FIELDS.items():
        value = getattr(record, name)
        if value is not None:
            attributes.append(
                _attribute(record.id, "service", FIELD_TAXONOMY, name, description, value)
            )
    for text in record.texts:
        field = HSDS_TEXT_FIELDS[text.field]
        attributes.append(
            _attribute(
                record.id, "service", TEXT_TAXONOMY, f"{field}:{text.language}",
                f"The service's {field} in {_language_name(text.language)} "
                f"(ISO 639-1 {text.language}).",
                text.text,
            )
        )  # fmt: skip
    document["attributes"] = attributes
    return document


def export_records(
    records: Sequence[ServiceRecord], municipalities: Mapping[str, tuple[str, str | None]]
) -> list[dict[str, Any]]:
    """Records as a list of HSDS services, in the given order."""
    return [service_to_hsds(r, municipalities) for r in records]


def export_hsds(session: Session,
                where: ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    """The directory (or the services matching ``where``) as a JSON-ready list of HSDS 3.0
    services (sorted by name, id)."""
    return export_records(load_records(session, where), municipality_info(session))


def dumps(services: Sequence[Mapping[str, Any]]) -> str:
    """The canonical text of an HSDS export (UTF-8, indented, stable key order)."""
    return json.dumps(list(services), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- import


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else None


def _items(obj: Any, key: str) -> list[tuple[int, Any]]:
    value = _get(obj, key)
    return list(enumerate(value)) if isinstance(value, list) else []


def _our_attributes(obj: Any, path: str) -> list[tuple[str, str, Any, str]]:
    """(taxonomy, code, value, path) for each attribute of one of our taxonomies."""
    found = []
    for index, attribute in _items(obj, "attributes"):
        term = _get(attribute, "taxonomy_term")
        taxonomy = _get(term, "taxonomy")
        if taxonomy in (TOPIC_TAXONOMY, KIND_TAXONOMY, FIELD_TAXONOMY, TEXT_TAXONOMY):
            found.append((taxonomy, _get(term, "code"), _get(attribute, "value"),
                          f"{path}.attributes[{index}]"))  # fmt: skip
    return found


def _field_attribute(obj: Any, path: str, code: str) -> tuple[Any, str] | None:
    for taxonomy, found, value, where in _our_attributes(obj, path):
        if taxonomy == FIELD_TAXONOMY and found == code:
            return value, f"{where}.value"
    return None


def _parse_texts(ours: Sequence[tuple[str, str, Any, str]], checker: Checker) -> list[TextRecord]:
    """The texts per language among a service's attributes (taxonomy ``steunwijzer-texts``)."""
    texts: list[TextRecord] = []
    first_at: dict[tuple[str, str], str] = {}
    for taxonomy, code, value, where in ours:
        if taxonomy != TEXT_TAXONOMY:
            continue
        code_at = f"{where}.taxonomy_term.code"
        hsds_field, colon, language_code = str(code or "").partition(":")
        field = _FIELD_OF_HSDS.get(hsds_field)
        if not colon or field is None:
            checker.add(code_at, f"unknown text {code!r} (expected description:<language> or "
                                 f"application_process:<language>, e.g. description:tr)")
            continue
        language = checker.text_language(language_code, code_at)
        text = checker.optional(value)
        if text is None:
            checker.add(f"{where}.value", "missing text")
        if language is None or text is None:
            continue
        key = (field, language)
        if key in first_at:
            checker.add(where, f"more than one {hsds_field} text in {language!r} "
                               f"(also at {first_at[key]})")
            continue
        first_at[key] = where
        texts.append(TextRecord(field, language, text))
    return texts


def _parse_schedule(
    raw: Any, path: str, service_id: str, index: int, checker: Checker
) -> ScheduleRecord | None:
    schedule_id = checker.identifier(_get(raw, "id"), f"{path}.id") or stable_id(
        "schedule", service_id, str(index)
    )
    zone = _field_attribute(raw, path, "timezone")
    if zone is not None and zone[0] != TIMEZONE:
        checker.add(zone[1], f"unsupported timezone {zone[0]!r} (only {TIMEZONE})")

    day_text = checker.optional(_get(raw, "dtstart"))
    opens_text = checker.optional(_get(raw, "opens_at")) or "00:00"
    dtstart = None
    try:
        day = date.fromisoformat(day_text[:10]) if day_text else None
    except ValueError:
        checker.add(f"{path}.dtstart", f"bad date {day_text!r}")
        day = None
    if day_text is None:
        checker.add(f"{path}.dtstart", "missing dtstart")
    try:
        opens = time.fromisoformat(opens_text.replace("Z", "+00:00"))
    except ValueError:
        checker.add(f"{path}.opens_at", f"bad time {opens_text!r}")
        opens = None
    if day is not None and opens is not None:
        # combine() keeps an offset given on opens_at (HSDS allows one); canonical_dtstart then
        # converts it to Amsterdam wall-clock time.
        dtstart = canonical_dtstart(datetime.combine(day, opens))

    raw_rule = _field_attribute(raw, path, "rrule")
    if raw_rule is not None:
        rule = checker.rrule(raw_rule[0], raw_rule[1], dtstart)
    else:
        parts = [f"FREQ={_get(raw, 'freq')}"] if _get(raw, "freq") else []
        for key, name in (
            ("interval", "INTERVAL"),
            ("byday", "BYDAY"),
            ("bymonthday", "BYMONTHDAY"),
            ("count", "COUNT"),
            ("wkst", "WKST"),
        ):
            value = _get(raw, key)
            if value not in (None, ""):
                parts.append(f"{name}={int(value) if isinstance(value, float) else value}")
        if _get(raw, "until"):
            parts.append(f"UNTIL={str(_get(raw, 'until'))[:10].replace('-', '')}T235959")
        rule = checker.rrule(";".join(parts), path, dtstart)  # fmt: skip

    duration = 120
    closes_text = checker.optional(_get(raw, "closes_at"))
    if closes_text and opens is not None:
        try:
            closes = time.fromisoformat(closes_text.replace("Z", "+00:00"))
        except ValueError:
            checker.add(f"{path}.closes_at", f"bad time {closes_text!r}")
        else:
            minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
            duration = minutes if minutes > 0 else minutes + 24 * 60  # past midnight
    if rule is None or dtstart is None:
        return None
    return ScheduleRecord(
        id=schedule_id,
        rrule=rule,
        dtstart=dtstart,
        duration_minutes=duration,
        description=checker.optional(_get(raw, "description")),
    )


def _coordinate(value: Any) -> float | None:
    # Wrong types are already reported by the schema check.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number else None


def _parse_location(raw: Any, path: str, service_id: str, index: int, checker: Checker
                    ) -> LocationRecord:  # fmt: skip
    place = _get(raw, "location")
    place_path = f"{path}.location"
    location_id = checker.identifier(_get(place, "id"), f"{place_path}.id") or stable_id(
        "location", service_id, str(index)
    )
    addresses = _items(place, "addresses")
    address = addresses[0][1] if addresses else None
    code = None
    attribute = _field_attribute(place, place_path, "municipality_code")
    if attribute is not None:
        code = checker.municipality(attribute[0], attribute[1])
    return LocationRecord(
        id=location_id,
        name=checker.required(_get(place, "name"), f"{place_path}.name", "location name"),
        address=checker.optional(_get(address, "address_1")),
        postcode=checker.optional(_get(address, "postal_code")),
        city=checker.optional(_get(address, "city")),
        municipality_code=code,
        latitude=_coordinate(_get(place, "latitude")),
        longitude=_coordinate(_get(place, "longitude")),
    )


def _parse_service(raw: Any, path: str, checker: Checker) -> ServiceRecord | None:
    if not isinstance(raw, dict):
        return None
    org = _get(raw, "organization")
    if not isinstance(org, dict):
        checker.add(f"{path}.organization", "missing organization")
        org = {}
    org_name = checker.required(_get(org, "name"), f"{path}.organization.name", "organisation name")
    org_phones = _items(org, "phones")
    organisation = OrganisationRecord(
        id=checker.identifier(_get(org, "id"), f"{path}.organization.id")
        or stable_id("organisation", org_name),
        name=org_name,
        description=checker.optional(_get(org, "description")) or "",
        url=checker.url(_get(org, "website"), f"{path}.organization.website"),
        email=checker.email(_get(org, "email"), f"{path}.organization.email"),
        phone=checker.phone(_get(org_phones[0][1], "number"),
                            f"{path}.organization.phones[0].number") if org_phones else None,
    )  # fmt: skip

    name = checker.required(_get(raw, "name"), f"{path}.name", "name")
    service_id = checker.identifier(_get(raw, "id"), f"{path}.id") or stable_id(
        "service", org_name, name
    )
    ours = _our_attributes(raw, path)
    kinds = [(code, where) for taxonomy, code, _v, where in ours if taxonomy == KIND_TAXONOMY]
    kind = None
    if not kinds:
        checker.add(f"{path}.attributes", f"missing kind (an attribute of {KIND_TAXONOMY})")
    elif len(kinds) > 1:
        checker.add(kinds[1][1], "more than one kind")
    else:
        kind = checker.kind(kinds[0][0], f"{kinds[0][1]}.taxonomy_term.code")
    topics = [
        checker.topic(code, f"{where}.taxonomy_term.code")
        for taxonomy, code, _v, where in ours
        if taxonomy == TOPIC_TAXONOMY
    ]
    fields: dict[str, Any] = {}
    for field_name, default in (
        ("national", False),
        ("online", False),
        ("in_person", True),
        ("women_only", False),
    ):
        found = _field_attribute(raw, path, field_name)
        fields[field_name] = checker.flag(found[0], found[1], default) if found else default
    texts = {name: _field_attribute(raw, path, name) for name in TEXT_FIELDS}
    for field_name in ("community_focus", "anonymity", "accessibility"):
        found = texts[field_name]
        fields[field_name] = checker.optional(found[0]) if found else None
    online_url = texts["online_url"]
    fields["online_url"] = checker.url(online_url[0], online_url[1]) if online_url else None
    led_by = texts["led_by"]
    fields["led_by"] = checker.led_by(led_by[0], led_by[1]) if led_by else None
    join_mode = texts["join_mode"]
    fields["join_mode"] = (
        checker.join_mode(join_mode[0], join_mode[1]) if join_mode else "just_come"
    )

    languages = [
        checker.language(_get(lang, "code"), f"{path}.languages[{i}].code")
        for i, lang in _items(raw, "languages")
    ]
    areas = []
    for i, area in _items(raw, "service_areas"):
        area_path = f"{path}.service_areas[{i}]"
        attribute = _field_attribute(area, area_path, "municipality_code")
        if attribute is not None:
            areas.append(checker.municipality(attribute[0], attribute[1]))
        elif checker.optional(_get(area, "name")) is None:
            checker.add(f"{area_path}.name", "missing municipality")
        else:
            areas.append(checker.municipality(_get(area, "name"), f"{area_path}.name"))
    locations = [
        _parse_location(sal, f"{path}.service_at_locations[{i}]", service_id, i, checker)
        for i, sal in _items(raw, "service_at_locations")
    ]
    schedules = [
        _parse_schedule(s, f"{path}.schedules[{i}]", service_id, i, checker)
        for i, s in _items(raw, "schedules")
    ]
    texts = _parse_texts(ours, checker)
    phones = _items(raw, "phones")
    if kind is None:
        return None
    return ServiceRecord(
        id=service_id,
        organisation=organisation,
        name=name,
        kind=kind,
        description=checker.optional(_get(raw, "description")) or "",
        status=checker.status(_get(raw, "status"), f"{path}.status"),
        url=checker.url(_get(raw, "url"), f"{path}.url"),
        email=checker.email(_get(raw, "email"), f"{path}.email"),
        phone=checker.phone(_get(phones[0][1], "number"), f"{path}.phones[0].number")
        if phones
        else None,
        cost=checker.optional(_get(raw, "fees_description")) or "free",
        how_to_join=checker.optional(_get(raw, "application_process")),
        wait_time=checker.optional(_get(raw, "wait_time")),
        topics=tuple(t for t in topics if t),
        languages=tuple(code for code in languages if code),
        areas=tuple(code for code in areas if code),
        locations=tuple(locations),
        schedules=tuple(s for s in schedules if s is not None),
        texts=tuple(texts),
        **fields,
    )


def parse_hsds(data: Any, checker: Checker) -> list[tuple[ServiceRecord, str]]:
    """Parse a decoded HSDS document (a list of services) into records.

    Schema problems and semantic problems all go to ``checker``; returns the records that could
    be built, each with its JSON path (``$[3]``) for problems found later.
    """
    if not isinstance(data, list):
        checker.add("$", "expected a JSON array of HSDS services")
        return []
    records: list[tuple[ServiceRecord, str]] = []
    for index, raw in enumerate(data):
        path = f"$[{index}]"
        if not isinstance(raw, dict):
            checker.add(path, "expected an HSDS service object")
            continue
        for problem in validate_service(raw, path):
            checker.add(problem.location, problem.message)
        record = _parse_service(raw, path, checker)
        if record is not None:
            records.append((record, path))
    return records


def parse_hsds_text(text: str, checker: Checker) -> list[tuple[ServiceRecord, str]]:
    """Parse the text of an HSDS JSON file (see :func:`parse_hsds`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        checker.add(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")
        return []
    return parse_hsds(data, checker)


__all__ = [
    "dumps",
    "export_hsds",
    "export_records",
    "load_schema",
    "parse_hsds",
    "parse_hsds_text",
    "service_to_hsds",
    "validate_service",
]
