"""ORM models of the directory, modelled on Open Referral HSDS 3.0.

organisation → service → locations, service areas, languages, topics, contacts, schedules,
plus the group attributes of product.md and concrete dated meetings. Contacts are always the
organisation's or service's own, never a citizen's.

Texts per language: ``Service.description`` and ``Service.how_to_join`` are the Dutch (default)
texts; a group may also write them in the other languages of :data:`TEXT_LANGUAGES`, one
:class:`ServiceText` row per field and language. A reader sees their own language where the
group wrote one, Dutch otherwise (product.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow
from bot.vocabulary import ALL_LANGUAGES

#: The language of ``Service.description`` and ``Service.how_to_join``: the default text.
DEFAULT_TEXT_LANGUAGE = "nl"
#: Languages a group may write its texts in besides Dutch (the languages the bot speaks).
TEXT_LANGUAGES = tuple(code for code in ALL_LANGUAGES if code != DEFAULT_TEXT_LANGUAGE)
#: Service fields that can be given per language.
TRANSLATABLE_FIELDS = ("description", "how_to_join")


class Organisation(Base):
    """The trusted organisation behind one or more services."""

    __tablename__ = "organisation"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    services: Mapped[list[Service]] = relationship(back_populates="organisation")


class Service(Base):
    """A service or group: what a citizen is signposted to."""

    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="active")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    # True for services that serve the whole country (helplines, national online groups).
    national: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    in_person: Mapped[bool] = mapped_column(Boolean, default=True)
    online_url: Mapped[str | None] = mapped_column(String(500))
    # Group attributes (product.md).
    women_only: Mapped[bool] = mapped_column(Boolean, default=False)
    community_focus: Mapped[str | None] = mapped_column(Text)  # the group's own words
    led_by: Mapped[str | None] = mapped_column(String(32))
    cost: Mapped[str] = mapped_column(String(200), default="free")
    accessibility: Mapped[str | None] = mapped_column(Text)
    join_mode: Mapped[str] = mapped_column(String(32), default="just_come")
    how_to_join: Mapped[str | None] = mapped_column(Text)
    anonymity: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="services")
    topics: Mapped[list[ServiceTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    languages: Mapped[list[ServiceLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    areas: Mapped[list[ServiceArea]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    locations: Mapped[list[Location]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        cascade="all, delete-orphan", back_populates="service", order_by="Meeting.starts_at"
    )
    texts: Mapped[list[ServiceText]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def topic_ids(self) -> list[str]:
        """The topic ids of this service, sorted."""
        return sorted(t.topic for t in self.topics)

    @property
    def language_codes(self) -> list[str]:
        """The language codes of this service, sorted."""
        return sorted(lang.language for lang in self.languages)

    @property
    def municipality_codes(self) -> list[str]:
        """Codes of the municipalities this service serves."""
        return sorted(a.municipality_code for a in self.areas)


class ServiceTopic(Base):
    """A topic id (taxonomy.md) a service is about."""

    __tablename__ = "service_topic"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class ServiceLanguage(Base):
    """A language (ISO 639-1) a service works in."""

    __tablename__ = "service_language"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)


class ServiceText(Base):
    """A service's description or how-to-join text in one more language than Dutch.

    The Dutch text stays on :class:`Service`; at most one row per (service, language, field).
    """

    __tablename__ = "service_text"
    __table_args__ = (
        CheckConstraint("field IN ('description', 'how_to_join')", name="field"),
    )

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    field: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ServiceArea(Base):
    """A municipality a service serves (a region is several rows)."""

    __tablename__ = "service_area"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    municipality_code: Mapped[str] = mapped_column(
        ForeignKey("municipality.code"), primary_key=True, index=True
    )


class Location(Base):
    """A physical place where a service meets or can be visited."""

    __tablename__ = "location"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    municipality_code: Mapped[str | None] = mapped_column(
        ForeignKey("municipality.code"), index=True
    )
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]


class Schedule(Base):
    """A recurring schedule as an iCalendar RRULE (like HSDS ``schedule``)."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    rrule: Mapped[str] = mapped_column(String(300))
    # Local wall-clock start of the first occurrence, ISO format, Europe/Amsterdam.
    dtstart: Mapped[str] = mapped_column(String(32))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    description: Mapped[str | None] = mapped_column(Text)


class Meeting(Base):
    """A concrete dated occurrence of a group's meeting."""

    __tablename__ = "meeting"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(32))  # comma-separated codes
    note: Mapped[str | None] = mapped_column(Text)  # the group's own words
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    series_id: Mapped[str | None] = mapped_column(String(64), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    service: Mapped[Service] = relationship(back_populates="meetings")


class Municipality(Base):
    """A Dutch municipality (gemeente), keyed by its CBS code (e.g. GM0363)."""

    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    province: Mapped[str | None] = mapped_column(String(50))
    region: Mapped[str | None] = mapped_column(String(100))


class MunicipalityAlias(Base):
    """Another way people write a municipality's name, in any script."""

    __tablename__ = "municipality_alias"
    __table_args__ = (UniqueConstraint("folded", "municipality_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    municipality_code: Mapped[str] = mapped_column(
        ForeignKey("municipality.code", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(100))
    folded: Mapped[str] = mapped_column(String(100), index=True)
    language: Mapped[str | None] = mapped_column(String(8))


class Postcode(Base):
    """A 4-digit postcode area and the municipality it lies in."""

    __tablename__ = "postcode"

    pc4: Mapped[str] = mapped_column(String(4), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(
        ForeignKey("municipality.code", ondelete="CASCADE"), index=True
    )
