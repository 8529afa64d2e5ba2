"""The directory as plain records, and how a record is built from a file with every problem
located.

A record (:class:`ServiceRecord` with its :class:`OrganisationRecord`, locations, schedules and
texts per language; :class:`MeetingRecord`) is a frozen pydantic model. Its fields carry the
rules of :mod:`bot.directory.values`, so every record is valid and canonical by construction,
whoever builds it: a format module from a file, the demo, the national lines. Records read back
from the database are made with :meth:`ServiceRecord.trusted` (no checks: they passed them on
the way in, and an export must never fail on a row written under older rules).

Canonical form, shared by every format so that round trips are exact:

- empty optional text is ``None``; ``description`` is never ``None`` ("" instead); an empty
  value of a field with a default is that default;
- texts in other languages than Dutch (:class:`TextRecord`) are a sorted set keyed by
  (field, language); an empty one is simply not there;
- topics, languages and service areas are sorted sets (an empty topic or area entry is no
  entry); locations and schedules are sorted by id;
- a schedule's ``dtstart`` is a naive Europe/Amsterdam wall-clock time in ISO format with
  minute precision (seconds only when non-zero); an RRULE is stored upper-case without the
  ``RRULE:`` prefix and without DTSTART.

Stable ids: ids from a file are kept. Missing ids are derived with uuid5 under
:data:`NAMESPACE`: a service from (organisation name, service name), an organisation from its
name, a location or schedule from its service id and position.

Locations of problems: a format module hands :func:`build_record` the raw values under the
record's own field names, and a *locator* that turns pydantic's location of a value
(``("locations", 1, "name")``) into where it is in the file (``row 7, column location_names``
or ``$[2].service_at_locations[1].location.name``). The problems go to :class:`Problems`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, PydanticUseDefault

from bot.directory import values
from bot.directory.models import DEFAULT_TEXT_LANGUAGE
from bot.directory.values import PlaceResolver
from bot.taxonomy import JoinMode

#: Namespace of every derived id. Never change it: derived ids would all change with it.
NAMESPACE = uuid.UUID("6f1d7c1e-8a52-5b0e-9d1c-5e7a3b2c9f40")


def stable_id(*parts: str) -> str:
    """A deterministic uuid5 (as text) from ``parts``; the same parts always give the same id."""
    # \x1f (unit separator) cannot occur in names, so ("a b", "c") and ("a", "b c") differ.
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def service_id_for(organisation_name: str, service_name: str) -> str:
    """The id given to a service that arrives without one."""
    return stable_id("service", organisation_name.strip(), service_name.strip())


def organisation_id_for(organisation_name: str) -> str:
    """The id given to an organisation that arrives without one."""
    return stable_id("organisation", organisation_name.strip())


# --------------------------------------------------------------------------- field types

Id = Annotated[str, BeforeValidator(values.identifier)]
Text = Annotated[str, BeforeValidator(values.text_or_default)]
OptionalText = Annotated[str | None, BeforeValidator(values.optional)]
Url = Annotated[str | None, BeforeValidator(values.url)]
Email = Annotated[str | None, BeforeValidator(values.email)]
Phone = Annotated[str | None, BeforeValidator(values.phone)]
Flag = Annotated[bool, BeforeValidator(values.flag)]
Number = Annotated[float | None, BeforeValidator(values.number)]
Municipality = Annotated[str | None, BeforeValidator(values.municipality)]
OrganisationName = Annotated[str, BeforeValidator(values.required("organisation name"))]
Name = Annotated[str, BeforeValidator(values.required("name"))]
LocationName = Annotated[str, BeforeValidator(values.required("location name"))]


def _sorted_set(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


def _by_id(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=lambda item: item.id))


def _without_blanks(items: object) -> object:
    """A list without empty entries (``grief;;loneliness``): an empty entry is no entry."""
    if isinstance(items, list | tuple):
        return [item for item in items if values.optional(item) is not None]
    return items


def _blank(value: object) -> bool:
    return values.optional(value) is None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


class Record(BaseModel):
    """A frozen record: equal content compares (and hashes) equal; unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- records


class OrganisationRecord(Record):
    """An organisation as plain data (mirrors :class:`~bot.directory.models.Organisation`)."""

    id: Id
    name: OrganisationName
    description: Text = ""
    url: Url = None
    email: Email = None
    phone: Phone = None

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and _blank(data.get("id")):
            return {**data, "id": organisation_id_for(_text(data.get("name")))}
        return data


class LocationRecord(Record):
    """A place where a service meets (mirrors :class:`~bot.directory.models.Location`)."""

    id: Id
    name: LocationName
    address: OptionalText = None
    postcode: OptionalText = None
    city: OptionalText = None
    municipality_code: Municipality = None
    latitude: Number = None
    longitude: Number = None


class ScheduleRecord(Record):
    """A recurring schedule (mirrors :class:`~bot.directory.models.Schedule`).

    ``dtstart`` comes before ``rrule``: the rule is checked from the start it belongs to.
    """

    id: Id
    dtstart: Annotated[str, BeforeValidator(values.dtstart)]
    rrule: str
    duration_minutes: Annotated[int, BeforeValidator(values.duration)] = (
        values.DEFAULT_DURATION_MINUTES
    )
    description: OptionalText = None

    @field_validator("rrule", mode="before")
    @classmethod
    def _rule(cls, value: object, info: ValidationInfo) -> str:
        return values.rrule_text(value, info.data.get("dtstart"))


class TextRecord(Record):
    """A service's ``description`` or ``how_to_join`` in a language other than Dutch
    (mirrors :class:`~bot.directory.models.ServiceText`)."""

    field: Annotated[str, BeforeValidator(values.text_field)]
    language: Annotated[str, BeforeValidator(values.text_language)]
    text: Annotated[str, BeforeValidator(values.required("text"))]


def _one_text_per_language(texts: tuple[TextRecord, ...]) -> tuple[TextRecord, ...]:
    unique = sorted(set(texts), key=lambda t: (t.field, t.language))
    keys = [(t.field, t.language) for t in unique]
    for field, language in sorted({k for k in keys if keys.count(k) > 1}):
        values.refuse(f"more than one {field} text in {language!r}")
    return tuple(unique)


class ServiceRecord(Record):
    """A service with everything that belongs to it, in canonical (sorted) form."""

    id: Id
    organisation: OrganisationRecord
    name: Name
    kind: Annotated[str, BeforeValidator(values.kind)]
    description: Text = ""
    status: Annotated[str, BeforeValidator(values.status)] = "active"
    url: Url = None
    email: Email = None
    phone: Phone = None
    national: Flag = False
    online: Flag = False
    in_person: Flag = True
    online_url: Url = None
    women_only: Flag = False
    community_focus: OptionalText = None
    led_by: Annotated[str | None, BeforeValidator(values.led_by)] = None
    cost: Text = "free"
    accessibility: OptionalText = None
    join_mode: Annotated[str, BeforeValidator(values.join_mode)] = JoinMode.JUST_COME.value
    how_to_join: OptionalText = None
    anonymity: OptionalText = None
    wait_time: OptionalText = None
    topics: Annotated[
        tuple[Annotated[str, BeforeValidator(values.topic)], ...],
        BeforeValidator(_without_blanks), AfterValidator(_sorted_set),
    ] = ()
    languages: Annotated[
        tuple[Annotated[str, BeforeValidator(values.language)], ...], AfterValidator(_sorted_set)
    ] = ()
    areas: Annotated[
        tuple[Annotated[str, BeforeValidator(values.municipality)], ...],
        BeforeValidator(_without_blanks), AfterValidator(_sorted_set),
    ] = ()
    locations: Annotated[tuple[LocationRecord, ...], AfterValidator(_by_id)] = ()
    schedules: Annotated[tuple[ScheduleRecord, ...], AfterValidator(_by_id)] = ()
    texts: Annotated[tuple[TextRecord, ...], AfterValidator(_one_text_per_language)] = ()

    @model_validator(mode="before")
    @classmethod
    def _derive_ids(cls, data: Any) -> Any:
        """Fill in the ids a file left out (see the module docstring)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        organisation = data.get("organisation")
        if isinstance(organisation, OrganisationRecord):
            org_name = organisation.name
        else:
            org_name = _text(organisation.get("name") if isinstance(organisation, dict) else None)
        if _blank(data.get("id")):
            data["id"] = service_id_for(org_name, _text(data.get("name")))
        for key, kind in (("locations", "location"), ("schedules", "schedule")):
            children = data.get(key)
            if isinstance(children, list | tuple):
                data[key] = [
                    {**child, "id": stable_id(kind, str(data["id"]), str(index))}
                    if isinstance(child, dict) and _blank(child.get("id")) else child
                    for index, child in enumerate(children)
                ]  # fmt: skip
        return data

    @classmethod
    def trusted(cls, **fields: Any) -> ServiceRecord:
        """A record of values that were validated before (database rows): not checked again,
        only put in canonical order."""
        for name in ("topics", "languages", "areas"):
            fields[name] = _sorted_set(fields[name])
        for name in ("locations", "schedules"):
            fields[name] = _by_id(fields[name])
        fields["texts"] = tuple(sorted(set(fields["texts"]), key=lambda t: (t.field, t.language)))
        return cls.model_construct(**fields)

    def text(self, field: str, language: str) -> str | None:
        """The ``field`` text in ``language`` (Dutch: the main field), or None."""
        if language == DEFAULT_TEXT_LANGUAGE:
            return getattr(self, field) or None
        for text in self.texts:
            if text.field == field and text.language == language:
                return text.text
        return None


#: Scalar columns shared by :class:`ServiceRecord` and :class:`~bot.directory.models.Service`.
SERVICE_SCALARS = tuple(
    name
    for name in ServiceRecord.model_fields
    if name not in {
        "id", "organisation", "topics", "languages", "areas", "locations", "schedules", "texts"
    }
)  # fmt: skip


class MeetingRecord(Record):
    """A concrete dated meeting (mirrors :class:`~bot.directory.models.Meeting`)."""

    id: Id
    service_id: Id
    starts_at: datetime
    ends_at: datetime
    place: OptionalText = None
    online_url: Url = None
    language: OptionalText = None
    note: OptionalText = None
    cancelled: bool = False
    series_id: str | None = None


def fields_of(record: type[Record]) -> tuple[str, ...]:
    """The field names of a record type except ``id`` (the columns an upsert copies)."""
    return tuple(name for name in record.model_fields if name != "id")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in an import file, with where it is."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class Problems:
    """Every problem of one import, each (location, message) once, in the order found.

    One per import; never shared, so collecting into a list is safe.
    """

    def __init__(self) -> None:
        self._items: list[ImportProblem] = []
        self._seen: set[tuple[str, str]] = set()

    def add(self, location: str, message: str) -> None:
        """Record a problem (the same location and message only once)."""
        if (location, message) not in self._seen:
            self._seen.add((location, message))
            self._items.append(ImportProblem(location, message))

    def check(self, rule: Callable[..., Any], value: object, location: str) -> Any:
        """``rule(value)`` (a rule of :mod:`bot.directory.values`), or None after recording
        its problem at ``location``; None too when the value is empty and has a default."""
        try:
            return rule(value)
        except PydanticCustomError as exc:
            self.add(location, exc.message())
        except PydanticUseDefault:
            pass
        return None

    def __iter__(self) -> Iterator[ImportProblem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


#: pydantic's location of a value in a record: ``("locations", 1, "name")``.
Loc = tuple[str | int, ...]
#: A value's location → where it is in the file; None when the format module has already
#: reported the problem of that value in its own words.
Locator = Callable[[Loc], str | None]
R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class _Context:
    """What validators may need beyond the value: the import's place resolver."""

    places: PlaceResolver | None


def located(paths: Mapping[Loc, str | None], base: str) -> Locator:
    """A locator from a table of value locations; a value not in the table is located at its
    nearest listed parent, else at ``base`` (where the record is: ``row 7``, ``$[2]``)."""

    def locate(loc: Loc) -> str | None:
        for end in range(len(loc), 0, -1):
            if loc[:end] in paths:
                return paths[loc[:end]]
        return base

    return locate


def _message(error: Mapping[str, Any]) -> str:
    """A coordinator's message for one pydantic error (ours are written for them already)."""
    if error["type"] == "problem":
        return str(error["msg"])
    name = str(error["loc"][-1]) if error["loc"] else "value"
    if error["type"] == "missing":
        return f"missing {name}"
    if error["type"] == "extra_forbidden":
        return f"unknown field {name}"
    return str(error["msg"])


def build_record(
    model: type[R],
    data: Mapping[str, Any],
    *,
    locate: Locator,
    problems: Problems,
    places: PlaceResolver | None = None,
) -> R | None:
    """Validate raw ``data`` into a ``model`` record; None after recording every problem at its
    location. The one way a file's values become a record, whatever the format."""
    try:
        return model.model_validate(data, context=_Context(places))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = locate(tuple(error["loc"]))
            if where is not None:
                problems.add(where, _message(error))
        return None

