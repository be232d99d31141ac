"""``python -m iamport_sandbox --api-port``: one process serves the sandbox on its port and the
REST API at the root of the other, over one store."""

import re
import subprocess
import sys
import time

import httpx

from iamport_sandbox.demo import DEMO


def _wait_for(url, deadline):
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def test_api_port_serves_the_rest_api_at_its_root(tmp_path):
    command = [
        sys.executable,
        "-m",
        "iamport_sandbox",
        "--demo",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--api-port",
        "0",
        "--db",
        str(tmp_path / "cli.sqlite3"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(6)]
        urls = [re.search(r"REST API:\s+(\S+)", line) for line in lines]
        api, root = [match.group(1) for match in urls if match]
        assert api.endswith("/api/") and root != api, lines
        _wait_for(root, time.monotonic() + 15)
        form = {"imp_key": DEMO["imp_key"], "imp_secret": DEMO["imp_secret"]}
        token = httpx.post(root + "users/getToken", data=form, timeout=5).json()["response"]
        assert token["access_token"]
        # The token from the root works under /api on the main port: one store.
        answer = httpx.get(
            api + "payments/find/none", timeout=5, headers={"Authorization": token["access_token"]}
        )
        assert answer.status_code == 404 and answer.json()["code"] != 0
        assert httpx.get(root + "console", timeout=5).status_code == 404
    finally:
        process.terminate()
        process.communicate(timeout=15)


def test_api_port_must_differ_from_the_port(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "iamport_sandbox",
            "--port",
            "8123",
            "--api-port",
            "8123",
            "--db",
            str(tmp_path / "x.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--api-port" in done.stderr
