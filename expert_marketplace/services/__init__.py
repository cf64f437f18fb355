"""Writes for the expert marketplace. Views, forms, admin actions, tasks and webhooks call these.

A package: staff_review (applying, the profile state machine, adviser checks, tiers), profile
(the expert's own edits), availability (schedule, overrides, next free slot), connect (Stripe
Connect); every name is importable from here.
"""

from .availability import (  # noqa: F401
    availability_override_create,
    availability_override_delete,
    expert_availability_update,
    expert_next_slot_refresh,
)
from .calendar import (  # noqa: F401
    expert_calendar_feed_token_regenerate,
    expert_calendar_import_set,
    expert_calendar_import_sync,
    experts_with_calendar_import,
)
from .connect import (  # noqa: F401
    connect_reference,
    expert_connect_account_sync,
    expert_connect_onboarding_link,
    handle_account_updated,
)
from .profile import (  # noqa: F401
    expert_profile_update,
    session_type_create,
    session_type_delete,
    session_type_update,
)
from .staff_review import (  # noqa: F401
    EXPERT,
    RESERVED_SLUGS,
    ExpertError,
    InvalidTransition,
    expert_adviser_verify,
    expert_apply,
    expert_approve,
    expert_decision_email_send,
    expert_reject,
    expert_staff_edit_record,
    expert_tier_set,
)
