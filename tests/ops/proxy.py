"""A small reverse proxy that does what nginx does in front of chapterhouse (deploy/nginx.conf): it terminates
TLS (or listens on plain http), drops any X-Forwarded-* header a client sent, and tells the backend the
client's address, the scheme and the host asked for."""

from __future__ import annotations

import http.client
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length", "server", "date"}


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for ``localhost`` made with Debian's openssl; the test's clients trust only it."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class ReverseProxy:
    def __init__(self, backend_port: int, certificate: tuple[Path, Path] | None = None):
        scheme = "https" if certificate else "http"

        class Forward(BaseHTTPRequestHandler):
            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {name: value for name, value in self.headers.items()
                           if name.lower() not in HOP_BY_HOP and not name.lower().startswith("x-forwarded-")}
                headers.update({"X-Forwarded-For": self.client_address[0], "X-Forwarded-Proto": scheme,
                                "X-Forwarded-Host": self.headers.get("Host", "")})
                backend = http.client.HTTPConnection("127.0.0.1", backend_port, timeout=60)
                try:
                    backend.request(self.command, self.path, body=body, headers=headers)
                    answer = backend.getresponse()
                    content = answer.read()
                finally:
                    backend.close()
                self.send_response(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_HEAD = forward

            def log_message(self, *args):  # the test reads responses, not an access log
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, certificate))
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "ReverseProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
