"""The national lines of ``data/national_lines.yml`` as ``helpline`` service records.

The YAML stays the source of truth (:mod:`bot.directory.national_lines`, which the crisis
answer reads without a database); these records put the same lines in the directory, one
organisation per line, and are part of the demo directory too.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.directory.national_lines import NationalLine, load_national_lines
from bot.directory.records import OrganisationRecord, ServiceRecord, stable_id
from bot.taxonomy import JoinMode, ServiceKind


def national_line_services(
    lines: Sequence[NationalLine] | None = None,
) -> tuple[ServiceRecord, ...]:
    """The national lines as ``helpline`` services, one organisation per line."""
    records = []
    for line in lines if lines is not None else load_national_lines():
        organisation = OrganisationRecord(
            id=stable_id("national-line-organisation", line.id),
            name=line.organisation,
            description="",
            url=line.url,
        )
        ways = [f"Bel {line.phone}"] if line.phone else []
        ways += [f"bel {'gratis ' if p.free else ''}{p.phone}" for p in line.other_phones]
        if line.chat_url:
            ways.append(f"chat via {line.chat_url}")
        records.append(
            ServiceRecord(
                id=stable_id("national-line", line.id),
                organisation=organisation,
                name=line.name,
                kind=ServiceKind.HELPLINE.value,
                description=line.description.nl,
                url=line.url,
                phone=line.phone,
                national=True,
                online=line.chat_url is not None,
                in_person=False,
                online_url=line.chat_url,
                anonymity="anoniem" if line.anonymous else None,
                how_to_join=", of ".join(ways) or None,
                wait_time=None,
                topics=tuple(t.value for t in line.topics),
                languages=("nl",),
                join_mode=JoinMode.CONTACT_FIRST.value,
            )
        )
    return tuple(records)
