"""A local HTTP server serving .ics files for the calendar import tests (threading http.server)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Routes(dict):
    """path -> (status, body bytes, headers dict, delay seconds)."""

    def ics(self, path: str, body: str | bytes, *, status: int = 200, headers=None, delay: float = 0.0):
        data = body.encode() if isinstance(body, str) else body
        self[path] = (status, data, {"Content-Type": "text/calendar; charset=utf-8", **(headers or {})}, delay)


@contextmanager
def ics_server():
    routes = Routes()
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            status, body, headers, delay = routes.get(self.path, (404, b"not found", {}, 0.0))
            if delay:
                time.sleep(delay)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", routes, hits
    finally:
        server.shutdown()
        server.server_close()


def vcalendar(*events: str, extra: str = "") -> str:
    body = "\r\n".join(e.strip().replace("\n", "\r\n") for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{extra}{body}\r\nEND:VCALENDAR\r\n"
