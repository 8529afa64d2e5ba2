"""HSDS 3.0 (Open Referral) export of the directory, and the mapping both ways.

This module writes HSDS; :mod:`bot.directory.hsds_import` reads it back with the same mapping.

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
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from bot.directory.records import (
    ImportProblem,
    LocationRecord,
    ScheduleRecord,
    ServiceRecord,
    stable_id,
)
from bot.directory.store import load_records, municipality_info
from bot.vocabulary import language_name

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
            "name": language_name(code, "en"),
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
                f"The service's {field} in {language_name(text.language, 'en')} "
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


__all__ = [
    "dumps",
    "export_hsds",
    "export_records",
    "load_schema",
    "service_to_hsds",
    "validate_service",
]
