"""The Crossref deposit client: sends a deposit file to Crossref's deposit servlet and reads back the result.

The protocol is Crossref's XML deposit over HTTPS: the file is POSTed as ``multipart/form-data`` to
``<endpoint>/servlet/deposit`` with ``operation=doMDUpload``, ``login_id``, ``login_passwd`` and the file as
``fname``; Crossref answers that it received the batch (it is processed later, in a queue). The outcome is read
from ``<endpoint>/servlet/submissionDownload?usr=…&pwd=…&doi_batch_id=…&type=result``: a
``<doi_batch_diagnostic status="…">`` whose status is ``completed`` once processed, with a
``<record_diagnostic status="Success|Failure">`` per DOI (its ``<doi>`` and ``<msg>``) and the
``<submission_id>``. Until then it says ``queued``, ``in_process`` or ``unknown_submission``.

Plain Python (urllib, lxml); the web side records what this returns and decides when to call it.
"""

from __future__ import annotations

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from lxml import etree

TEST_ENDPOINT = "https://test.crossref.org"
COMPLETED = "completed"
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Endpoint:
    """Where deposits go and the press's Crossref login (a role or user name and its password)."""

    url: str
    login: str
    password: str

    @property
    def base(self) -> str:
        return self.url.rstrip("/")


class DepositRefused(Exception):
    """Crossref (or the configured endpoint) said no: wrong login, a file it will not take. Sending the same
    thing again will not help; the message says what it said."""


class DepositUnreachable(Exception):
    """The endpoint could not be reached or answered with a server error: worth trying again later."""


@dataclass(frozen=True)
class RecordOutcome:
    doi: str
    registered: bool
    message: str


@dataclass(frozen=True)
class DepositResult:
    """What Crossref's result says: ``status`` (``completed`` or a waiting word), its submission id, and each
    DOI's outcome once completed."""

    status: str
    submission_id: str = ""
    batch_id: str = ""
    records: tuple[RecordOutcome, ...] = ()

    @property
    def completed(self) -> bool:
        return self.status == COMPLETED


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "chapterhouse-" + secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="fname"; filename="{filename}"\r\n'
                 "Content-Type: application/xml\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _open(request: urllib.request.Request, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        said = _text(error.read())
        if error.code in (401, 403):
            raise DepositRefused(f"Crossref refused the login (HTTP {error.code}): check "
                                 f"CHAPTERHOUSE_CROSSREF_LOGIN and CHAPTERHOUSE_CROSSREF_PASSWORD. {said}".strip()) from error
        if error.code >= 500:
            raise DepositUnreachable(f"Crossref answered HTTP {error.code} (a fault on its side). {said}".strip()) from error
        raise DepositRefused(f"Crossref answered HTTP {error.code}. {said}".strip()) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DepositUnreachable(f"Crossref could not be reached at {request.full_url.split('?')[0]}: {reason}") from error


def _text(body: bytes) -> str:
    """The words of an HTML or text answer, briefly (Crossref answers uploads with a small HTML page)."""
    text = re.sub(r"(?is)<head\b.*?</head>", " ", body.decode("utf-8", "replace"))
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:500]


def upload(endpoint: Endpoint, filename: str, content: bytes, timeout: float = TIMEOUT_SECONDS) -> str:
    """Sends the deposit; returns what Crossref said on receiving it. Raises DepositRefused or DepositUnreachable."""
    body, content_type = _multipart({"operation": "doMDUpload", "login_id": endpoint.login,
                                     "login_passwd": endpoint.password}, filename, content)
    request = urllib.request.Request(f"{endpoint.base}/servlet/deposit", data=body, method="POST",
                                     headers={"Content-Type": content_type, "User-Agent": "chapterhouse"})
    said = _text(_open(request, timeout))
    if "FAILURE" in said.upper() and "SUCCESS" not in said.upper():
        raise DepositRefused(f"Crossref did not take the file: {said}")
    return said


def result(endpoint: Endpoint, batch_id: str, timeout: float = TIMEOUT_SECONDS) -> tuple[DepositResult, bytes]:
    """The submission's result as Crossref reports it now, and the XML it sent (kept on record)."""
    query = urllib.parse.urlencode({"usr": endpoint.login, "pwd": endpoint.password, "doi_batch_id": batch_id,
                                    "type": "result"})
    request = urllib.request.Request(f"{endpoint.base}/servlet/submissionDownload?{query}", method="GET",
                                     headers={"User-Agent": "chapterhouse"})
    body = _open(request, timeout)
    return parse_result(body), body


def parse_result(body: bytes) -> DepositResult:
    """Reads a ``doi_batch_diagnostic``; anything else is refused with what it was."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise DepositRefused(f"Crossref's result is not XML ({error}): {_text(body)[:200]}") from error
    if etree.QName(root).localname != "doi_batch_diagnostic":
        raise DepositRefused(f"Crossref's result is not a doi_batch_diagnostic but <{etree.QName(root).localname}>: "
                             f"{_text(body)[:200]}")

    def child_text(element, name: str) -> str:
        found = element.find(f"{{*}}{name}")
        return (found.text or "").strip() if found is not None else ""

    records = []
    for diagnostic in root.iter("{*}record_diagnostic"):
        status = (diagnostic.get("status") or "").strip()
        records.append(RecordOutcome(doi=child_text(diagnostic, "doi"), registered=status.lower() == "success",
                                     message=child_text(diagnostic, "msg") or status or "No message."))
    return DepositResult(status=(root.get("status") or "").strip(), submission_id=child_text(root, "submission_id"),
                         batch_id=child_text(root, "batch_id"), records=tuple(records))
