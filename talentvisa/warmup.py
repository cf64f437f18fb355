"""Work done once in gunicorn's master (preload_app) so that every forked worker starts warm.

Django loads the URLconf and compiles templates lazily, on the first request that needs them:
in a fresh worker the first requests took 15-250 ms instead of 1-3 ms, and gunicorn recycles
workers now and then (max_requests), so those cold starts showed up as p99 spikes under load.
Nothing here touches the database or the cache: their connections must not cross the fork.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver


def project_template_names() -> list[str]:
    """Every template of this project (templates/ and each local app's templates/)."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += sorted(Path(settings.BASE_DIR).glob("*/templates"))
    names = set()
    for root in roots:
        names.update(str(path.relative_to(root)) for path in root.rglob("*.html") if path.is_file())
        names.update(str(path.relative_to(root)) for path in root.rglob("*.txt") if path.is_file())
    return sorted(names)


def warm_up() -> int:
    """Import every view (via the URLconf) and compile every project template; returns the count."""
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    get_resolver()._populate()  # the reverse() tables that {% url %} reads
    engine = engines["django"]
    names = project_template_names()
    for name in names:
        engine.get_template(name)  # the cached loader keeps the compiled template
    return len(names)
