"""A local fake of the Cloudinary API that the real SDK talks to over HTTP.

It implements the three calls our storages make, with Cloudinary's rules where they matter here:

- POST /v1_1/<cloud>/<resource_type>/upload   (multipart; signed; overwrite=false keeps the old asset)
- POST /v1_1/<cloud>/<resource_type>/destroy  (signed)
- GET  /v1_1/<cloud>/<resource_type>/download (signed query string; refused after expires_at)

Signatures are checked the way Cloudinary documents them: SHA-1 over the sorted `key=value` pairs
(without file, api_key, resource_type, cloud_name and signature) followed by the API secret.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

UNSIGNED = {"file", "api_key", "resource_type", "cloud_name", "signature"}


def expected_signature(params: dict[str, str], secret: str) -> str:
    # Signature version 2 encodes "&" inside values so that one parameter cannot smuggle another.
    pairs = sorted(f"{k}={v}".replace("&", "%26") for k, v in params.items() if k not in UNSIGNED and v)
    return hashlib.sha1(("&".join(pairs) + secret).encode()).hexdigest()


class FakeCloudinary:
    def __init__(self, *, cloud_name="tv-test", api_key="123456789012345", api_secret="fake-secret-abc"):
        self.cloud_name, self.api_key, self.api_secret = cloud_name, api_key, api_secret
        self.assets: dict[tuple[str, str, str], bytes] = {}  # (resource_type, type, public_id) -> bytes
        self.calls: list[tuple[str, str]] = []  # (action, public_id)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def cloudinary_url(self) -> str:
        return f"cloudinary://{self.api_key}:{self.api_secret}@{self.cloud_name}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, status: int, body, content_type="application/json"):
                data = json.dumps(body).encode() if content_type == "application/json" else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _route(self):
                parts = urlsplit(self.path).path.strip("/").split("/")
                if len(parts) != 4 or parts[0] != "v1_1" or parts[1] != fake.cloud_name:
                    return None
                return parts[2], parts[3]  # resource_type, action

            def _authorised(self, params: dict[str, str]) -> bool:
                return params.get("api_key") == fake.api_key and params.get("signature") == expected_signature(
                    params, fake.api_secret
                )

            def do_POST(self):  # noqa: N802 - http.server's naming
                route = self._route()
                if route is None:
                    return self._reply(404, {"error": {"message": "Unknown route"}})
                resource_type, action = route
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                params, file_bytes = self._form(body)
                if not self._authorised(params):
                    return self._reply(401, {"error": {"message": "Invalid Signature"}})
                delivery = params.get("type") or "upload"
                public_id = params.get("public_id", "")
                key = (resource_type, delivery, public_id)
                fake.calls.append((action, public_id))
                if action == "upload":
                    if file_bytes is None:
                        return self._reply(400, {"error": {"message": "Missing required parameter - file"}})
                    existing = key in fake.assets and params.get("overwrite") in ("0", "false")
                    if not existing:
                        fake.assets[key] = file_bytes
                    return self._reply(
                        200,
                        {
                            "public_id": public_id,
                            "version": int(time.time()),
                            "resource_type": resource_type,
                            "type": delivery,
                            "bytes": len(fake.assets[key]),
                            "existing": existing,
                            "secure_url": f"https://res.cloudinary.com/{fake.cloud_name}/{resource_type}/"
                            f"{delivery}/{quote(public_id)}",
                        },
                    )
                if action == "destroy":
                    found = fake.assets.pop(key, None) is not None
                    return self._reply(200, {"result": "ok" if found else "not found"})
                return self._reply(404, {"error": {"message": f"Unknown action {action}"}})

            def do_GET(self):  # noqa: N802
                route = self._route()
                if route is None or route[1] != "download":
                    return self._reply(404, {"error": {"message": "Unknown route"}})
                resource_type = route[0]
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                if not self._authorised(params):
                    return self._reply(401, {"error": {"message": "Invalid Signature"}})
                if int(params.get("expires_at") or 0) < time.time():
                    return self._reply(401, {"error": {"message": "URL expired"}})
                key = (resource_type, params.get("type") or "upload", params.get("public_id", ""))
                fake.calls.append(("download", key[2]))
                if key not in fake.assets:
                    return self._reply(404, {"error": {"message": "Resource not found"}})
                return self._reply(200, fake.assets[key], content_type="application/octet-stream")

            def _form(self, body: bytes) -> tuple[dict[str, str], bytes | None]:
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("multipart/form-data"):
                    message = BytesParser(policy=HTTP).parsebytes(
                        f"Content-Type: {content_type}\r\n\r\n".encode() + body
                    )
                    params, file_bytes = {}, None
                    for part in message.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        payload = part.get_payload(decode=True) or b""
                        if name == "file":
                            file_bytes = payload
                        else:
                            params[name] = payload.decode()
                    return params, file_bytes
                return dict(parse_qsl(body.decode(), keep_blank_values=True)), None

        return Handler
