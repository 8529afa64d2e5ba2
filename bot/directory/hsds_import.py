"""Reading HSDS 3.0 JSON into service records (the mapping is in :mod:`bot.directory.hsds`).

Each service is checked twice: against the vendored HSDS schema (the file is valid HSDS) and
as a :class:`~bot.directory.records.ServiceRecord` (the values are valid for us). Every problem
carries its JSON path: ``$[2].schedules[0].attributes[0].value``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from bot.directory import values
from bot.directory.hsds import (
    BOOL_FIELDS,
    FIELD_TAXONOMY,
    HSDS_TEXT_FIELDS,
    KIND_TAXONOMY,
    TEXT_FIELDS,
    TEXT_TAXONOMY,
    TIMEZONE,
    TOPIC_TAXONOMY,
    validate_service,
)
from bot.directory.records import Loc, Problems, ServiceRecord, build_record, located
from bot.directory.values import PlaceResolver

_FIELD_OF_HSDS = {hsds: ours for ours, hsds in HSDS_TEXT_FIELDS.items()}
_OUR_TAXONOMIES = (TOPIC_TAXONOMY, KIND_TAXONOMY, FIELD_TAXONOMY, TEXT_TAXONOMY)
#: Our service field → its HSDS field, where they are plain fields of the service object.
_SERVICE_FIELDS = {"id": "id", "name": "name", "description": "description", "status": "status",
                   "url": "url", "email": "email", "cost": "fees_description",
                   "how_to_join": "application_process", "wait_time": "wait_time"}  # fmt: skip
#: Our organisation field → its HSDS field in ``organization``.
_ORGANISATION_FIELDS = {"id": "id", "name": "name", "description": "description",
                        "url": "website", "email": "email"}  # fmt: skip

#: Where each value of one service is (a value the format already reported maps to None).
Paths = dict[Loc, str | None]


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
        if taxonomy in _OUR_TAXONOMIES:
            found.append((taxonomy, _get(term, "code"), _get(attribute, "value"),
                          f"{path}.attributes[{index}]"))  # fmt: skip
    return found


def _field_attribute(obj: Any, path: str, code: str) -> tuple[Any, str] | None:
    for taxonomy, found, value, where in _our_attributes(obj, path):
        if taxonomy == FIELD_TAXONOMY and found == code:
            return value, f"{where}.value"
    return None


def _texts(ours: Sequence[tuple[str, str, Any, str]], problems: Problems, paths: Paths
           ) -> list[dict[str, str]]:  # fmt: skip
    """The texts per language among a service's attributes (taxonomy ``steunwijzer-texts``)."""
    texts: list[dict[str, str]] = []
    first_at: dict[tuple[str, str], str] = {}
    for taxonomy, code, value, where in ours:
        if taxonomy != TEXT_TAXONOMY:
            continue
        code_at = f"{where}.taxonomy_term.code"
        hsds_field, colon, language_code = str(code or "").partition(":")
        field = _FIELD_OF_HSDS.get(hsds_field)
        if not colon or field is None:
            problems.add(code_at, f"unknown text {code!r} (expected description:<language> or "
                                  f"application_process:<language>, e.g. description:tr)")
            continue
        language = problems.check(values.text_language, language_code, code_at)
        text = values.optional(value)
        if text is None:
            problems.add(f"{where}.value", "missing text")
        if language is None or text is None:
            continue
        key = (field, language)
        if key in first_at:
            problems.add(where, f"more than one {hsds_field} text in {language!r} "
                                f"(also at {first_at[key]})")
            continue
        first_at[key] = where
        paths[("texts", len(texts))] = where
        texts.append({"field": field, "language": language, "text": text})
    return texts


def _clock(text: str) -> time:
    return time.fromisoformat(text.replace("Z", "+00:00"))


def _schedule(raw: Any, path: str, index: int, problems: Problems, paths: Paths
              ) -> dict[str, Any]:  # fmt: skip
    """The raw values of one HSDS schedule: dtstart from date + opens_at, the RRULE from its
    attribute (canonical) or else from freq/byday/…, the duration from closes_at."""
    at: Loc = ("schedules", index)
    paths.update({at: path, (*at, "id"): f"{path}.id", (*at, "dtstart"): f"{path}.dtstart",
                  (*at, "duration_minutes"): f"{path}.closes_at",
                  (*at, "description"): f"{path}.description"})  # fmt: skip
    zone = _field_attribute(raw, path, "timezone")
    if zone is not None and zone[0] != TIMEZONE:
        problems.add(zone[1], f"unsupported timezone {zone[0]!r} (only {TIMEZONE})")

    day_text = values.optional(_get(raw, "dtstart"))
    opens_text = values.optional(_get(raw, "opens_at")) or "00:00"
    dtstart = None
    try:
        day = date.fromisoformat(day_text[:10]) if day_text else None
    except ValueError:
        problems.add(f"{path}.dtstart", f"bad date {day_text!r}")
        paths[(*at, "dtstart")] = None
        day = None
    try:
        opens: time | None = _clock(opens_text)
    except ValueError:
        problems.add(f"{path}.opens_at", f"bad time {opens_text!r}")
        paths[(*at, "dtstart")] = None
        opens = None
    if day is not None and opens is not None:
        # combine() keeps an offset given on opens_at (HSDS allows one); the record's dtstart
        # rule then converts it to Amsterdam wall-clock time.
        dtstart = values.canonical_dtstart(datetime.combine(day, opens))

    raw_rule = _field_attribute(raw, path, "rrule")
    if raw_rule is not None:
        rule, paths[(*at, "rrule")] = raw_rule
    else:
        parts = [f"FREQ={_get(raw, 'freq')}"] if _get(raw, "freq") else []
        for key, name in (("interval", "INTERVAL"), ("byday", "BYDAY"),
                          ("bymonthday", "BYMONTHDAY"), ("count", "COUNT"), ("wkst", "WKST")):
            value = _get(raw, key)
            if value not in (None, ""):
                parts.append(f"{name}={int(value) if isinstance(value, float) else value}")
        if _get(raw, "until"):
            parts.append(f"UNTIL={str(_get(raw, 'until'))[:10].replace('-', '')}T235959")
        rule, paths[(*at, "rrule")] = ";".join(parts), path  # fmt: skip

    duration = None
    closes_text = values.optional(_get(raw, "closes_at"))
    if closes_text and opens is not None:
        try:
            closes = _clock(closes_text)
        except ValueError:
            problems.add(f"{path}.closes_at", f"bad time {closes_text!r}")
        else:
            minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
            duration = minutes if minutes > 0 else minutes + 24 * 60  # past midnight
    return {"id": _get(raw, "id"), "dtstart": dtstart, "rrule": rule,
            "duration_minutes": duration, "description": _get(raw, "description")}  # fmt: skip


def _coordinate(value: Any) -> float | None:
    # Wrong types are already reported by the schema check.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if is_number else None


def _location(raw: Any, path: str, index: int, paths: Paths) -> dict[str, Any]:
    """The raw values of one ``service_at_location`` (its location and first address)."""
    place = _get(raw, "location")
    place_path = f"{path}.location"
    addresses = _items(place, "addresses")
    address = addresses[0][1] if addresses else None
    address_path = f"{place_path}.addresses[0]"
    at: Loc = ("locations", index)
    paths.update({at: path, (*at, "id"): f"{place_path}.id", (*at, "name"): f"{place_path}.name",
                  (*at, "address"): f"{address_path}.address_1",
                  (*at, "postcode"): f"{address_path}.postal_code",
                  (*at, "city"): f"{address_path}.city"})  # fmt: skip
    code = None
    attribute = _field_attribute(place, place_path, "municipality_code")
    if attribute is not None:
        code, paths[(*at, "municipality_code")] = attribute
    return {
        "id": _get(place, "id"),
        "name": _get(place, "name"),
        "address": _get(address, "address_1"),
        "postcode": _get(address, "postal_code"),
        "city": _get(address, "city"),
        "municipality_code": code,
        "latitude": _coordinate(_get(place, "latitude")),
        "longitude": _coordinate(_get(place, "longitude")),
    }


def _organisation(raw: Any, path: str, problems: Problems, paths: Paths) -> dict[str, Any]:
    org = _get(raw, "organization")
    org_path = f"{path}.organization"
    if not isinstance(org, dict):
        problems.add(org_path, "missing organization")
        org = {}
    paths[("organisation",)] = org_path
    data = {}
    for ours, theirs in _ORGANISATION_FIELDS.items():
        data[ours] = org.get(theirs)
        paths[("organisation", ours)] = f"{org_path}.{theirs}"
    phones = _items(org, "phones")
    data["phone"] = _get(phones[0][1], "number") if phones else None
    paths[("organisation", "phone")] = f"{org_path}.phones[0].number"
    return data


def _service_attributes(raw: Any, path: str, problems: Problems, paths: Paths
                        ) -> dict[str, Any]:  # fmt: skip
    """Kind, topics, the fields of ``steunwijzer-fields`` and the texts per language."""
    ours = _our_attributes(raw, path)
    data: dict[str, Any] = {}
    kinds = [(code, where) for taxonomy, code, _v, where in ours if taxonomy == KIND_TAXONOMY]
    data["kind"], paths[("kind",)] = None, None
    if not kinds:
        problems.add(f"{path}.attributes", f"missing kind (an attribute of {KIND_TAXONOMY})")
    elif len(kinds) > 1:
        problems.add(kinds[1][1], "more than one kind")
    else:
        data["kind"], paths[("kind",)] = kinds[0][0], f"{kinds[0][1]}.taxonomy_term.code"
    # Empty codes are no topics (as an empty CSV entry); leaving them out keeps the positions
    # of the paths equal to the positions in the record's list.
    topics = [(code, where) for taxonomy, code, _v, where in ours
              if taxonomy == TOPIC_TAXONOMY and values.optional(code) is not None]  # fmt: skip
    data["topics"] = [code for code, _where in topics]
    for index, (_code, where) in enumerate(topics):
        paths[("topics", index)] = f"{where}.taxonomy_term.code"
    for name in (*BOOL_FIELDS, *TEXT_FIELDS):
        found = _field_attribute(raw, path, name)
        if found is not None:
            data[name], paths[(name,)] = found
    data["texts"] = _texts(ours, problems, paths)
    return data


def _service(raw: dict[str, Any], path: str, problems: Problems, paths: Paths
             ) -> dict[str, Any]:  # fmt: skip
    """The raw values of one HSDS service under the record's field names."""
    data: dict[str, Any] = {ours: raw.get(theirs) for ours, theirs in _SERVICE_FIELDS.items()}
    paths.update({(ours,): f"{path}.{theirs}" for ours, theirs in _SERVICE_FIELDS.items()})
    data["organisation"] = _organisation(raw, path, problems, paths)
    phones = _items(raw, "phones")
    data["phone"] = _get(phones[0][1], "number") if phones else None
    paths[("phone",)] = f"{path}.phones[0].number"
    data.update(_service_attributes(raw, path, problems, paths))
    data["languages"] = [_get(lang, "code") for _i, lang in _items(raw, "languages")]
    for index in range(len(data["languages"])):
        paths[("languages", index)] = f"{path}.languages[{index}].code"
    areas: list[Any] = []
    for i, area in _items(raw, "service_areas"):
        area_path = f"{path}.service_areas[{i}]"
        attribute = _field_attribute(area, area_path, "municipality_code")
        value, where = attribute if attribute is not None else (_get(area, "name"),
                                                                  f"{area_path}.name")
        if values.optional(value) is not None:
            paths[("areas", len(areas))] = where
            areas.append(value)
        elif attribute is None:
            problems.add(where, "missing municipality")
    data["areas"] = areas
    data["locations"] = [
        _location(sal, f"{path}.service_at_locations[{i}]", i, paths)
        for i, sal in _items(raw, "service_at_locations")
    ]
    data["schedules"] = [
        _schedule(s, f"{path}.schedules[{i}]", i, problems, paths)
        for i, s in _items(raw, "schedules")
    ]
    return data


def parse_hsds(data: Any, problems: Problems, places: PlaceResolver | None = None
               ) -> list[tuple[ServiceRecord, str]]:  # fmt: skip
    """Parse a decoded HSDS document (a list of services) into records.

    Schema problems and value problems all go to ``problems``; ``places`` resolves municipality
    names. Returns the records that could be built, each with its JSON path (``$[3]``) for
    problems found later.
    """
    if not isinstance(data, list):
        problems.add("$", "expected a JSON array of HSDS services")
        return []
    records: list[tuple[ServiceRecord, str]] = []
    for index, raw in enumerate(data):
        path = f"$[{index}]"
        if not isinstance(raw, dict):
            problems.add(path, "expected an HSDS service object")
            continue
        for problem in validate_service(raw, path):
            problems.add(problem.location, problem.message)
        paths: Paths = {}
        values_of = _service(raw, path, problems, paths)
        record = build_record(ServiceRecord, values_of, locate=located(paths, path),
                              problems=problems, places=places)
        if record is not None:
            records.append((record, path))
    return records


def parse_hsds_text(text: str, problems: Problems, places: PlaceResolver | None = None
                    ) -> list[tuple[ServiceRecord, str]]:  # fmt: skip
    """Parse the text of an HSDS JSON file (see :func:`parse_hsds`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}")
        return []
    return parse_hsds(data, problems, places)
