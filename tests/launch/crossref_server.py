"""A small Crossref stand-in on 127.0.0.1 that speaks the deposit protocol the client uses: a multipart upload
to ``/servlet/deposit`` (``operation=doMDUpload``, ``login_id``, ``login_passwd``, the file as ``fname``),
checked against one login, and results from ``/servlet/submissionDownload`` (``usr``, ``pwd``,
``doi_batch_id``, ``type=result``) as ``doi_batch_diagnostic`` XML: "queued" for the first ``pending_reads``
asks, then "completed" with a Success per DOI, or a Failure with a message for the DOIs in ``refuse``."""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from lxml import etree

LOGIN, PASSWORD = "press-role", "s3cret"


@dataclass
class Submission:
    batch_id: str
    xml: bytes
    submission_id: str
    dois: list[str]
    reads: int = 0


@dataclass
class CrossrefStandIn:
    url: str = ""
    pending_reads: int = 1
    refuse: dict[str, str] = field(default_factory=dict)  # DOI → Crossref's failure message
    submissions: dict[str, Submission] = field(default_factory=dict)
    uploads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, xml: bytes) -> Submission:
        root = etree.fromstring(xml)
        batch_id = root.findtext("{*}head/{*}doi_batch_id")
        dois = [d.text for d in root.iter("{*}doi")]
        with self.lock:
            self.uploads += 1
            submission = Submission(batch_id, xml, str(1400000000 + self.uploads), dois)
            self.submissions[batch_id] = submission
        return submission

    def result(self, batch_id: str) -> bytes:
        submission = self.submissions.get(batch_id)
        if submission is None:
            return b'<?xml version="1.0" encoding="UTF-8"?>\n<doi_batch_diagnostic status="unknown_submission">' \
                   b'<submission_id>0</submission_id><batch_id/></doi_batch_diagnostic>'
        submission.reads += 1
        if submission.reads <= self.pending_reads:
            return (f'<?xml version="1.0" encoding="UTF-8"?>\n<doi_batch_diagnostic status="queued">'
                    f'<submission_id>{submission.submission_id}</submission_id>'
                    f'<batch_id>{escape(batch_id)}</batch_id></doi_batch_diagnostic>').encode()
        records = []
        for doi in submission.dois:
            if doi in self.refuse:
                records.append(f'<record_diagnostic status="Failure"><doi>{escape(doi)}</doi>'
                               f'<msg>{escape(self.refuse[doi])}</msg></record_diagnostic>')
            else:
                records.append(f'<record_diagnostic status="Success"><doi>{escape(doi)}</doi>'
                               '<msg>Successfully added</msg></record_diagnostic>')
        failures = sum(d in self.refuse for d in submission.dois)
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<doi_batch_diagnostic status="completed" sp="stand-in">'
                f'<submission_id>{submission.submission_id}</submission_id><batch_id>{escape(batch_id)}</batch_id>'
                + "".join(records)
                + f'<batch_data><record_count>{len(submission.dois)}</record_count>'
                  f'<success_count>{len(submission.dois) - failures}</success_count><warning_count>0</warning_count>'
                  f'<failure_count>{failures}</failure_count></batch_data></doi_batch_diagnostic>').encode()


def _handler(state: CrossrefStandIn):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet in the test output
            pass

        def _answer(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            if self.path != "/servlet/deposit":
                return self._answer(404, b"<html><body>Not found</body></html>")
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
            fields, files = {}, {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename():
                    files[name] = part.get_payload(decode=True)
                else:
                    fields[name] = part.get_payload(decode=True).decode()
            if fields.get("login_id") != LOGIN or fields.get("login_passwd") != PASSWORD:
                return self._answer(401, b"<html><body><h2>FAILURE</h2><p>Authentication failed: wrong login "
                                         b"or password.</p></body></html>")
            if fields.get("operation") != "doMDUpload" or "fname" not in files:
                return self._answer(200, b"<html><body><h2>FAILURE</h2><p>No metadata file (fname) with "
                                         b"operation doMDUpload.</p></body></html>")
            state.receive(files["fname"])
            return self._answer(200, b"<html><head><title>SUCCESS</title></head><body><h2>SUCCESS</h2>"
                                     b"<p>Your batch submission was successfully received.</p></body></html>")

        def do_GET(self):
            address = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(address.query))
            if address.path != "/servlet/submissionDownload":
                return self._answer(404, b"<html><body>Not found</body></html>")
            if query.get("usr") != LOGIN or query.get("pwd") != PASSWORD:
                return self._answer(401, b"<html><body>Authentication failed</body></html>")
            if query.get("type") != "result":
                return self._answer(400, b"<html><body>type must be result or contents</body></html>")
            return self._answer(200, state.result(query.get("doi_batch_id", "")), "application/xml; charset=utf-8")

    return Handler


def serve() -> tuple[CrossrefStandIn, ThreadingHTTPServer, threading.Thread]:
    state = CrossrefStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return state, server, thread
