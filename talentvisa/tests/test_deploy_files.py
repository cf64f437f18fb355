"""Docker cannot run on the development machine; these check the deployment files as data.

The compose file is parsed, its `${VAR:-default}` interpolation applied the way Compose does, and
each app service's environment is then checked against what the settings read: every variable is
one the settings (or gunicorn.conf.py) know, and the settings really start with exactly that
environment in a fresh interpreter. Commands are checked against what exists in the repository.
"""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
# What the operator puts in .env for the stack (the one value compose insists on).
OPERATOR_ENV = {"SECRET_KEY": "k" * 20 + "Zq8#vT2!mW9@pL4$xR7&nB3^" + "j" * 20}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _interpolate(value: str, env: dict) -> str:
    def sub(match):
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        if op == ":-":
            return env.get(name) or arg
        if op == ":?":
            if not env.get(name):
                raise AssertionError(f"compose requires {name}: {arg}")
            return env[name]
        return env.get(name, "")

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", sub, str(value))


def _known_settings() -> set[str]:
    settings_src = (ROOT / "talentvisa" / "settings.py").read_text()
    names = set(re.findall(r'config\.\w+\(\s*"([A-Z0-9_]+)"', settings_src))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', (ROOT / "gunicorn.conf.py").read_text()))
    return names


def _service_env(service: dict) -> dict:
    return {k: _interpolate(v, OPERATOR_ENV) for k, v in service["environment"].items()}


def test_compose_has_every_service_with_a_healthcheck():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "nginx"} <= set(services)
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert "healthcheck" in services[name], name
    for name in APP_SERVICES:
        assert services[name]["environment"]["DEBUG"] == "False"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["env_file"] == [{"path": ".env", "required": False}]


def test_every_variable_the_app_services_set_is_a_setting_and_documented():
    known = _known_settings()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    for name in APP_SERVICES:
        env = _compose()["services"][name]["environment"]
        unknown = set(env) - known
        assert not unknown, f"{name} sets variables no setting reads: {unknown}"
        assert not set(env) - documented, f"{name}: undocumented in .env.example: {set(env) - documented}"
    # And .env.example documents nothing the settings do not read.
    assert documented - known - {"CREATESTAFF_PASSWORD"} == set()


def test_the_settings_start_with_the_compose_environment():
    env = _service_env(_compose()["services"]["web"])
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_PROXY_SSL_HEADER, s.ALLAUTH_TRUSTED_PROXY_COUNT, s.CELERY_BROKER_URL, "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BEAT_SCHEDULE_FILENAME, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE)"
    )
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "talentvisa.settings", "ENV_FILE": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(" ", 3)[:3] == ["False", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    assert "1 redis://redis:6379/0 False /tmp/celerybeat-schedule ['localhost', '127.0.0.1'] True" in out.stdout


def test_commands_point_at_what_exists():
    services = _compose()["services"]
    web = services["web"]["command"]
    assert "manage.py migrate --noinput" in web and "gunicorn -c gunicorn.conf.py talentvisa.wsgi:application" in web
    assert (ROOT / "gunicorn.conf.py").exists() and (ROOT / "talentvisa" / "wsgi.py").exists()
    worker, beat = shlex.split(services["worker"]["command"]), shlex.split(services["beat"]["command"])
    assert worker[:4] == ["celery", "-A", "talentvisa", "worker"] and (ROOT / "talentvisa" / "celery.py").exists()
    assert beat[:4] == ["celery", "-A", "talentvisa", "beat"]
    schedule = beat[beat.index("-s") + 1]
    assert not schedule.startswith("/app/"), "the beat schedule must live outside the code"
    assert schedule == services["beat"]["environment"]["CELERY_BEAT_SCHEDULE_FILE"]
    assert schedule in " ".join(services["beat"]["healthcheck"]["test"])
    # Health checks call URLs the project routes.
    from django.urls import resolve

    assert resolve("/healthz").url_name == "healthz"
    for mount in services["nginx"]["volumes"]:
        source = mount.split(":")[0]
        if source.startswith("./deploy/") and source != "./deploy/certs":
            assert (ROOT / source).exists(), source


@pytest.mark.parametrize("template", ["tls.conf.template", "behind-proxy.conf.template"])
def test_nginx_setups_include_the_shared_locations_and_set_the_scheme(template):
    conf = (ROOT / "deploy" / "nginx" / template).read_text()
    assert "include /etc/nginx/talentvisa/locations.conf;" in conf
    assert "$forwarded_proto" in conf
    if template == "tls.conf.template":
        assert "listen 443 ssl http2;" in conf and "set $forwarded_proto https;" in conf
        assert "ssl_certificate ${TLS_CERTIFICATE};" in conf and "ssl_certificate_key ${TLS_CERTIFICATE_KEY};" in conf
        assert "return 301 https://$host$request_uri;" in conf
    else:
        # Behind a TLS terminator the upstream header passes through; never overwritten with $scheme.
        assert re.search(r"map \$http_x_forwarded_proto \$forwarded_proto \{\s*default \$http_x_forwarded_proto;", conf)
        assert "listen 443" not in conf


def test_nginx_limits_uploads_serves_media_and_never_private_files():
    conf = (ROOT / "deploy" / "nginx" / "locations.conf").read_text()
    size = re.search(r"client_max_body_size\s+(\d+)m;", conf)
    assert size and 5 <= int(size.group(1)) <= 10  # the app accepts 5 MB CVs
    assert re.search(r"location /private_media/ \{ return 404; \}", conf)
    assert re.search(r"location /media/ \{\s*alias /srv/media/;", conf)
    assert "X-Request-ID $request_id" in conf and "X-Forwarded-Proto $forwarded_proto" in conf
    assert "$scheme" not in conf
    media_mount = [v for v in _compose()["services"]["nginx"]["volumes"] if v.startswith("media:")]
    assert media_mount == ["media:/srv/media:ro"]


def test_dockerfile_runs_gunicorn_as_non_root_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER app" in dockerfile and "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"' in dockerfile
    # The CSS stage sees every app (Tailwind scans */templates and */*.py), so new apps need no edit here.
    css_stage = dockerfile.split("FROM python")[0]
    assert "COPY . /app" in css_stage and css_stage.index("COPY . /app") < css_stage.index("RUN npm run build")


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().splitlines())
    assert {".env", ".git", ".venv", "**/node_modules", "private_media", "deploy/certs", "db.sqlite3*"} <= ignored
    assert "!.env.example" in ignored


def test_local_certificates_and_beat_state_are_never_committed():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/deploy/certs/" in ignored and "celerybeat-schedule*" in ignored


def _nginx():
    import shutil

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        pytest.skip("nginx is not installed here (apt-get install nginx-light to run this check)")
    return nginx


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _render_nginx(template: str, tmp_path: Path, *, upstream: int, http: int, https: int) -> Path:
    """The setup as the nginx image renders it (envsubst), moved to local ports and paths."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    media = tmp_path / "media"
    (media / "experts").mkdir(parents=True)
    (media / "experts" / "a.jpg").write_bytes(b"jpeg")
    (media / "experts" / "evil.html").write_bytes(b"<script>")
    locations = (ROOT / "deploy" / "nginx" / "locations.conf").read_text().replace("/srv/media/", f"{media}/")
    (tmp_path / "locations.conf").write_text(locations)
    site = (ROOT / "deploy" / "nginx" / template).read_text()
    site = site.replace("${TLS_CERTIFICATE}", str(tmp_path / "c.pem"))
    site = site.replace("${TLS_CERTIFICATE_KEY}", str(tmp_path / "k.pem"))
    site = site.replace("server web:8000;", f"server 127.0.0.1:{upstream};")  # "web" resolves only in compose
    site = site.replace("/etc/nginx/talentvisa/locations.conf", str(tmp_path / "locations.conf"))
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};").replace("listen 443 ", f"listen 127.0.0.1:{https} ")
    (tmp_path / "site.conf").write_text(site)
    conf = tmp_path / "nginx.conf"
    # As root, nginx's workers would drop to "nobody", who cannot read pytest's private tmp dir.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"{user}daemon off;\npid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path};\n proxy_temp_path {tmp_path};\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    return conf


@pytest.mark.parametrize("template", ["tls.conf.template", "behind-proxy.conf.template"])
def test_nginx_accepts_both_setups(template, tmp_path):
    conf = _render_nginx(template, tmp_path, upstream=8000, http=_free_port(), https=_free_port())
    result = subprocess.run([_nginx(), "-t", "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def echo_upstream():
    """A stand-in for gunicorn that answers with the X-Forwarded-Proto it received."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Echo(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = (self.headers.get("X-Forwarded-Proto") or "-").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def run_nginx(tmp_path, echo_upstream):
    import time
    import urllib.request

    procs = []

    def start(template):
        ports = {"http": _free_port(), "https": _free_port()}
        conf = _render_nginx(template, tmp_path, upstream=echo_upstream, **ports)
        proc = subprocess.Popen([_nginx(), "-c", str(conf)], stderr=subprocess.PIPE)
        procs.append(proc)
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{ports['http']}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        return ports

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def _get(url, headers=None):
    import ssl
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our throwaway self-signed pair
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, "", exc.headers


def test_behind_a_terminator_nginx_passes_its_scheme_through(run_nginx):
    ports = run_nginx("behind-proxy.conf.template")
    base = f"http://127.0.0.1:{ports['http']}"
    assert _get(base + "/", {"X-Forwarded-Proto": "https"})[:2] == (200, "https")  # no redirect loop
    assert _get(base + "/")[:2] == (200, "http")  # nothing in front: nginx's own scheme
    assert _get(base + "/media/experts/a.jpg")[:2] == (200, "jpeg")
    assert _get(base + "/media/experts/evil.html")[0] == 404
    assert _get(base + "/private_media/cv/x.pdf")[0] == 404


def test_nginx_ending_tls_redirects_http_and_tells_django_https(run_nginx):
    ports = run_nginx("tls.conf.template")
    status, _, headers = _get(f"http://127.0.0.1:{ports['http']}/experts/")
    assert status == 301 and headers["Location"] == "https://127.0.0.1/experts/"
    assert _get(f"http://127.0.0.1:{ports['http']}/healthz")[0] == 200  # probes stay plain HTTP
    https = f"https://127.0.0.1:{ports['https']}"
    # Whatever the client claims, the scheme Django hears is the one nginx served.
    assert _get(https + "/", {"X-Forwarded-Proto": "http"})[:2] == (200, "https")
    assert _get(https + "/media/experts/a.jpg")[:2] == (200, "jpeg")


def test_readme_and_docs_link_only_to_files_in_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert len(pages) >= 4
    for page in pages:
        text = page.read_text()
        assert "../shared" not in text and "/work/" not in text, page.name
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "#", "mailto:")):
                continue
            path = (page.parent / target.split("#", 1)[0]).resolve()
            assert path.is_relative_to(ROOT) and path.exists(), f"{page.name} links to {target}"


def test_nginx_compresses_html_from_the_app():
    conf = (ROOT / "deploy" / "nginx" / "locations.conf").read_text()
    # text/html is always compressed once gzip is on; proxied (gunicorn) responses need gzip_proxied.
    assert re.search(r"^gzip on;$", conf, re.M) and re.search(r"^gzip_proxied any;$", conf, re.M)
    assert re.search(r"^gzip_vary on;$", conf, re.M)
    types = re.search(r"^gzip_types ([^;]+);$", conf, re.M)
    assert types and {"text/css", "application/javascript", "application/json"} <= set(types.group(1).split())
