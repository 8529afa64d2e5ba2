"""Imports every model module so ``Base.metadata`` knows all tables (for Alembic and tests)."""

from bot.audit import models as _audit_models  # noqa: F401
from bot.citizens import models as _citizen_models  # noqa: F401
from bot.conversation import models as _conversation_models  # noqa: F401
from bot.db.base import Base
from bot.directory import models as _directory_models  # noqa: F401
from bot.facilitators import models as _facilitator_models  # noqa: F401
from bot.feedback import models as _feedback_models  # noqa: F401
from bot.outbox import models as _outbox_models  # noqa: F401
from bot.privacy import models as _privacy_models  # noqa: F401
from bot.reminders import models as _reminder_models  # noqa: F401
from bot.requests import models as _request_models  # noqa: F401
from bot.staff import models as _staff_models  # noqa: F401
from bot.stats import models as _stats_models  # noqa: F401

metadata = Base.metadata
