"""Reading the environment for settings.py: empty means unset, a bad value stops the start with one line.

Every setting is read through a `Config`, which looks in the process environment first and then in
an optional `.env` file (never written into `os.environ`). A variable set to the empty string counts
as not set, so `cp .env.example .env` (full of `NAME=` lines) changes nothing. A value that does not
parse raises `ConfigError` naming the variable; `manage.py`, the WSGI module and the Celery app print
that message as a single line and exit instead of a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ImproperlyConfigured):
    """A setting in the environment is missing or invalid. The message is one line naming the variable."""


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=value lines of a .env file (comments, blank lines and `export ` prefixes allowed)."""
    values: dict[str, str] = {}
    if not path or not Path(path).is_file():
        return values
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "").isalnum():
            raise ConfigError(f"{path}:{number}: expected NAME=value, got {raw.strip()[:40]!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


class Config:
    """Typed access to the environment (then the .env values), treating empty strings as unset."""

    def __init__(self, environ_: Mapping[str, str] | None = None, dotenv: Mapping[str, str] | None = None):
        self._environ = os.environ if environ_ is None else environ_
        self._dotenv = dict(dotenv or {})

    def raw(self, name: str) -> str | None:
        for source in (self._environ, self._dotenv):
            value = source.get(name)
            if value is not None and value.strip() != "":
                return value.strip()
        return None

    def is_set(self, name: str) -> bool:
        return self.raw(name) is not None

    def str(self, name: str, default: str = "") -> str:
        value = self.raw(name)
        return default if value is None else value

    def bool(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a boolean: use True or False.")

    def int(self, name: str, default: int, *, minimum: int | None = 0, maximum: int | None = None) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name}={number} is below the minimum of {minimum}.")
        if maximum is not None and number > maximum:
            raise ConfigError(f"{name}={number} is above the maximum of {maximum}.")
        return number

    def float(self, name: str, default: float, *, minimum: float = 0.0) -> float:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a number.") from None
        if number < minimum:
            raise ConfigError(f"{name}={number} is below the minimum of {minimum}.")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.str(name, default)
        if value not in choices:
            raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}.")
        return value

    def url(self, name: str, default: str = "", *, schemes: tuple[str, ...]) -> str:
        value = self.str(name, default)
        if value and value.split("://", 1)[0] not in schemes:
            shown = value.split("://", 1)[0] + "://…" if "://" in value else value[:20]
            raise ConfigError(
                f"{name}={shown!r} must be a URL starting with {' or '.join(s + '://' for s in schemes)}."
            )
        return value

    def db(self, name: str, default: str) -> dict:
        value = self.str(name, default)
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in environ.Env.DB_SCHEMES:
            raise ConfigError(f"{name} must be a database URL such as postgres://user:password@host:5432/name.")
        try:
            parsed = environ.Env.db_url_config(value)
        except Exception:  # noqa: BLE001 - the parser's own messages can echo the password
            raise ConfigError(f"{name} could not be parsed as a database URL.") from None
        if not parsed.get("NAME"):
            raise ConfigError(f"{name} names no database (postgres://user@host:5432/<name>).")
        return parsed

    def email(self, name: str) -> dict:
        value = self.str(name)
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in environ.Env.EMAIL_SCHEMES:
            raise ConfigError(f"{name} must be an email URL such as smtp+tls://user:password@smtp.example.com:587.")
        return environ.Env.email_url_config(value)


class exit_on_config_error:  # noqa: N801 - used as a context manager, reads like one
    """Turn a ConfigError into one line on stderr and exit status 2 (manage.py, WSGI, Celery)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, ConfigError):
            import sys

            print(f"Configuration error: {exc}", file=sys.stderr, flush=True)
            raise SystemExit(2)
        return False
