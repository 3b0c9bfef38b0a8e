"""Real chapterhouse processes for the operations tests: the `chapterhouse` command run as a press would run
it, servers on free loopback ports, and a small HTTP client that keeps cookies and can speak from any
loopback address (127.0.0.2, 127.0.0.3, …) so that one test can be several clients."""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.conftest import PROJECT

CHAPTERHOUSE = [sys.executable, "-m", "chapterhouse.site.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(data: Path, **settings: str) -> dict[str, str]:
    """The environment of a chapterhouse process with its own data folder; SQLite unless DATABASE_URL is given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAPTERHOUSE_", "DATABASE_URL", "PYTEST_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({"CHAPTERHOUSE_DATA": str(data), "PYTHONUNBUFFERED": "1"}, **settings)
    return env


def chapterhouse(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([*CHAPTERHOUSE, *args], env=env, cwd=PROJECT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"chapterhouse {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s:\n{log.read_text()}")


class Process:
    """A long-running chapterhouse command (``serve``, ``worker``) whose output goes to a log file."""

    def __init__(self, env: dict[str, str], *args: str, log: Path, port: int | None = None):
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._out = log.open("w")
        self.process = subprocess.Popen([*CHAPTERHOUSE, *args], env=env, cwd=PROJECT, stdout=self._out,
                                        stderr=subprocess.STDOUT, text=True)
        self.port = port
        if port:
            wait_for_port(port, self.process, log)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()
        return self.log.read_text()


def serve(env: dict[str, str], log: Path, *options: str) -> Process:
    port = free_port()
    return Process(env, "serve", "--port", str(port), "--threads", "4", *options, log=log, port=port)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Client:
    """One person at one address: keeps cookies, never follows redirects, speaks http or https."""

    port: int
    source: str = "127.0.0.1"
    host: str = "localhost"
    tls: ssl.SSLContext | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None,
                files: dict[str, tuple[str, bytes, str]] | None = None) -> Response:
        if self.tls:
            connection = http.client.HTTPSConnection("localhost", self.port, context=self.tls, timeout=60,
                                                     source_address=(self.source, 0))
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                                    source_address=(self.source, 0))
        sent = {"Host": self.host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, sent["Content-Type"] = multipart(form or {}, files)
        elif form is not None:
            body = urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            body = answer.read()
        finally:
            connection.close()
        for value in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Response(answer.status, answer.headers, body)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict, **kwargs) -> Response:
        return self.request("POST", path, form=form, **kwargs)


def multipart(fields: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with a file input."""
    boundary = "----chapterhouse-test-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
