"""Reads for the expert marketplace: the public directory, profiles, slots, completeness.

Every list read here runs a fixed number of queries whatever the number of experts
(annotations for prices, prefetches for areas/languages/overrides, one busy-hook call).
A package of three: slots (free time and its inputs), directory (the public pages), own (the
expert's own pages); every name is importable from here.
"""

from .directory import (  # noqa: F401
    DIRECTORY_QUERY_KEYS,
    SORTS,
    DirectoryListing,
    ExpertHead,
    ExpertProfilePage,
    date_param,
    directory_experts,
    directory_query,
    expert_public_get,
    expert_public_head,
    listed_experts,
    month_param,
    offered_session_type,
    page_number,
    session_param,
    zone_param,
)
from .month import (  # noqa: F401
    MonthPicker,
    expert_horizon_end,
    month_view,
)
from .own import (  # noqa: F401
    BIO_MIN_CHARS,
    ChecklistItem,
    commission_bps_for,
    expert_by_feed_token,
    expert_completeness,
    expert_for_user,
    expert_override_get,
    expert_session_type_get,
    expert_upcoming_overrides,
)
from .slots import (  # noqa: F401
    DEFAULT_VIEWER_TZ,
    VIEWER_TZ_COOKIE,
    BusyProvider,
    calendar_import_busy,
    expert_busy_intervals,
    expert_free_slots,
    expert_rules,
    expert_schedule,
    experts_next_slot,
    override_to_engine,
    register_busy_provider,
    unregister_busy_provider,
    upcoming_overrides_prefetch,
    viewer_timezone,
)
