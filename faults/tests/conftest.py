"""The fault-injection suite (marker `faults`): real services broken on purpose.

Run it explicitly, on PostgreSQL, with redis-server and celery on the machine:
    DATABASE_URL=postgres://… .venv/bin/pytest -m faults faults/tests -p no:randomly
It starts its OWN redis-server (port 6390, a temporary directory) so it never touches the Redis
other tests or engineers use. Outside `-m faults` these tests are skipped.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest

FAULT_REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "6390"))


def pytest_collection_modifyitems(config, items):
    selected = "faults" in (config.option.markexpr or "")
    for item in items:
        if "/faults/tests/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)
            if not selected:
                item.add_marker(pytest.mark.skip(reason="fault injection runs only with -m faults"))


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A redis-server this test owns: start, stop (like a crash: SIGKILL) and start again."""

    def __init__(self, port: int, directory):
        self.port, self.directory, self.process = port, directory, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        assert not _port_open(self.port), f"port {self.port} is taken: set FAULT_REDIS_PORT"
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _port_open(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)
        while _port_open(self.port):
            time.sleep(0.05)


@pytest.fixture
def fault_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(FAULT_REDIS_PORT, tmp_path)
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.kill()


@pytest.fixture
def needs_postgres_db():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the fault suite runs on PostgreSQL (a worker process must see the test database)")
