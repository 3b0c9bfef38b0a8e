"""moto's S3 server on a loopback port (8120-8139), started by the tests that need an S3-compatible store."""

from __future__ import annotations

import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ops.servers import wait_for_port

PORTS = range(8120, 8140)
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "chapterhouse-test", "AWS_SECRET_ACCESS_KEY": "chapterhouse-test-secret",
               "AWS_DEFAULT_REGION": "us-east-1"}


def free_port_in_range() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {PORTS.start}-{PORTS.stop - 1} for the S3 test server")


@contextmanager
def s3_server(folder: Path):
    """Yields the endpoint URL of a fresh moto S3 server; its log is kept in ``folder``."""
    port = free_port_in_range()
    log = folder / "moto.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])


def objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    client = s3_client(endpoint)
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listing}
