"""What one staff member may see: their organisation's region and services, or everything.

Rule (docs/dashboard.md): admins see all requests and services. A coordinator sees requests
whose municipality is one of the municipalities on their account; requests without a
municipality only when their account is marked ``national`` (organisations that serve the
whole country or online). A coordinator manages the services of their own organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, true

from bot.directory.models import Service
from bot.requests.models import HelpRequest
from bot.staff.models import StaffUser


@dataclass(frozen=True)
class Scope:
    """A staff member as the services need them: name, role and region."""

    username: str
    role: str
    organisation_id: str | None
    municipality_codes: tuple[str, ...]
    national: bool

    @classmethod
    def of(cls, user: StaffUser) -> Scope:
        """The scope of an account."""
        return cls(user.username, user.role, user.organisation_id,
                   tuple(user.municipality_codes), user.national)

    @property
    def is_admin(self) -> bool:
        """Admins see everything."""
        return self.role == "admin"

    def sees_municipality(self, code: str | None) -> bool:
        """Whether a request (or statistics cell) in municipality ``code`` is in scope."""
        if self.is_admin:
            return True
        if not code:
            return self.national
        return code in self.municipality_codes

    def request_clause(self) -> ColumnElement[bool]:
        """SQL condition on :class:`HelpRequest` for the requests in scope."""
        if self.is_admin:
            return true()
        conditions: list[ColumnElement[bool]] = []
        if self.municipality_codes:
            conditions.append(HelpRequest.municipality_code.in_(self.municipality_codes))
        if self.national:
            conditions.append(HelpRequest.municipality_code.is_(None))
            conditions.append(HelpRequest.municipality_code == "")
        return or_(*conditions) if conditions else false()

    def service_clause(self) -> ColumnElement[bool]:
        """SQL condition on :class:`Service` for the services this person manages."""
        if self.is_admin:
            return true()
        if self.organisation_id is None:
            return false()
        return Service.organisation_id == self.organisation_id

    def manages_organisation(self, organisation_id: str | None) -> bool:
        """Whether this person may edit the organisation and its services."""
        return self.is_admin or (organisation_id is not None
                                 and organisation_id == self.organisation_id)
