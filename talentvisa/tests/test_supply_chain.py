"""The supply chain as data (docs/supply-chain.md): hashed locks that agree with their inputs,
installs that insist on the hashes, base images pinned by digest."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _lock(path: Path) -> dict[str, str]:
    """name -> version of every entry in a uv/pip-compile lock, each checked to carry hashes."""
    entries: dict[str, str] = {}
    blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    for block in blocks:
        match = PIN.match(block)
        if not match:
            continue
        assert "--hash=sha256:" in block, f"{path.name}: {match.group(1)} has no hash"
        entries[_name(match.group(1))] = match.group(3)
    return entries


def _inputs(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            pins[_name(match.group(1))] = match.group(3)
    return pins


def test_every_locked_package_is_pinned_and_hashed_and_the_inputs_pins_are_kept():
    runtime, dev = _lock(ROOT / "requirements.txt"), _lock(ROOT / "requirements-dev.txt")
    assert len(runtime) > len(_inputs(ROOT / "requirements.in")), "the lock must hold the transitive packages too"
    for name, version in _inputs(ROOT / "requirements.in").items():
        assert runtime.get(name) == version, (
            f"requirements.txt has {name}=={runtime.get(name)}, the input pins {version}"
        )
    for name, version in _inputs(ROOT / "requirements-dev.in").items():
        assert dev.get(name) == version, f"requirements-dev.txt has {name}=={dev.get(name)}, the input pins {version}"
    # The dev lock is constrained by the runtime lock: same versions for everything they share.
    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("path", ["Makefile", ".ci/run", "Dockerfile"])
def test_every_pip_install_of_a_requirements_file_insists_on_hashes(path):
    installs = [
        line
        for line in (ROOT / path).read_text().splitlines()
        if re.search(r"pip\)? install .*-r requirements", line, re.I)
    ]
    for line in installs:
        assert "--require-hashes" in line, f"{path}: {line.strip()}"
    assert installs or path == ".ci/run"


def test_base_images_are_current_and_pinned_by_digest():
    dockerfile = (ROOT / "Dockerfile").read_text()
    images = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]
    compose = (ROOT / "docker-compose.yml").read_text()
    nginx = re.search(r"image: (nginx:\S+)", compose).group(1)
    for image in [*images, nginx]:
        assert DIGEST.search(image), f"{image} is not pinned by digest"
    assert images[0].startswith("node:22-"), "Node 20 is end of life: the CSS stage builds on Node 22 LTS"
    assert images[-1].startswith("python:3.11-slim-bookworm@")
    # nginx: the stable branch has an even minor version.
    minor = int(re.match(r"nginx:1\.(\d+)", nginx).group(1))
    assert minor % 2 == 0 and minor >= 30


FAKE_PIP_AUDIT = """#!{python}
import json, sys
args = sys.argv[1:]
if "-o" in args:  # the canary: write what the service answered
    json.dump({{"dependencies": [{{"name": "django", "version": "3.2.0", "vulns": {vulns}}}]}},
              open(args[args.index("-o") + 1], "w"))
    sys.exit(0)
print("real audit ran")
"""


def _audit(tmp_path, vulns: str):
    import subprocess
    import sys

    fake = tmp_path / "pip-audit"
    fake.write_text(FAKE_PIP_AUDIT.format(python=sys.executable, vulns=vulns))
    fake.chmod(0o755)
    # npm is replaced by `false`: an npm whose audit answers nothing.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "npm").symlink_to("/bin/false")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PIP_AUDIT": str(fake), "PY": sys.executable}
    return subprocess.run(["bash", str(ROOT / "scripts" / "audit.sh")], capture_output=True, text=True, env=env)


def test_audit_refuses_to_pass_when_the_advisory_service_knows_nothing(tmp_path):
    # What pip-audit does here: the canary comes back with no advisories ("No known vulnerabilities").
    result = _audit(tmp_path, "[]")
    assert result.returncode == 3
    assert "audit: NOT RUN" in result.stderr and "real audit ran" not in result.stdout


def test_audit_runs_the_real_audit_once_the_canary_is_reported_and_still_checks_npm(tmp_path):
    result = _audit(tmp_path, '[{"id": "PYSEC-2021-98"}]')
    assert "canary: 1 advisories" in result.stdout and "real audit ran" in result.stdout
    # The npm canary gets no answer: the script stops there, loudly.
    assert result.returncode == 3
    assert "npm audit found no advisory" in result.stderr
