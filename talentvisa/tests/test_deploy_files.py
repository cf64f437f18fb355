"""Docker cannot run on the development machine; these check the deployment files as data."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_every_service_with_a_healthcheck():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "nginx"} <= set(services)
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DEBUG"] == "False"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "celery -A talentvisa worker" in services["worker"]["command"]
    assert "celery -A talentvisa beat" in services["beat"]["command"]


def test_nginx_limits_uploads_and_never_serves_private_files():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    size = re.search(r"client_max_body_size\s+(\d+)m;", conf)
    assert size and 5 <= int(size.group(1)) <= 10  # the app accepts 5 MB CVs
    assert re.search(r"location /private_media/ \{ return 404; \}", conf)
    assert "X-Request-ID $request_id" in conf and "X-Forwarded-Proto $scheme" in conf


def test_dockerfile_runs_gunicorn_as_non_root_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER app" in dockerfile and "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"' in dockerfile
    # Every app the settings install is copied into the CSS build stage (Tailwind scans them).
    from django.conf import settings

    for app in ("accounts", "ai_tools", "bookings", "consultations", "expert_marketplace", "payments", "referrals"):
        assert app in settings.INSTALLED_APPS and f"COPY {app} /app/{app}" in dockerfile
