"""Time zones: the choices offered on forms, and one way to turn a stored zone name into a zone."""

import zoneinfo
from functools import lru_cache

DEFAULT_ZONE = "Europe/London"


@lru_cache(maxsize=1)
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(tz for tz in zoneinfo.available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/")))
    return [("UTC", "UTC")] + [(tz, tz.replace("_", " ")) for tz in names]


def is_valid_timezone(name: str) -> bool:
    return name in {value for value, _ in timezone_choices()}


def zone_named(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone called `name`, or None when it is empty or unknown."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def zone_or_default(name: str | None, default: str = DEFAULT_ZONE) -> zoneinfo.ZoneInfo:
    """The zone called `name`; Europe/London (the product's home) when it is empty or unknown."""
    return zone_named(name) or zoneinfo.ZoneInfo(default)
