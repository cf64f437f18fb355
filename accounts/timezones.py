import zoneinfo
from functools import lru_cache


@lru_cache(maxsize=1)
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(tz for tz in zoneinfo.available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/")))
    return [("UTC", "UTC")] + [(tz, tz.replace("_", " ")) for tz in names]


def is_valid_timezone(name: str) -> bool:
    return name in {value for value, _ in timezone_choices()}
