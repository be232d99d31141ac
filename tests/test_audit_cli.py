"""``iamport-sandbox audit``: loopback only (the policy as a pure function: nothing is
resolved or contacted), a line per scenario or JSON, and its exit code, against the
examples' two backends on a sandbox with its test controls."""

import ast
import contextlib
import importlib.util
import json
import pathlib
import socket
import subprocess
import sys
import time

import httpx
import pytest

from iamport_sandbox.__main__ import audit_url_problems, main
from iamport_sandbox.audit import NAMES, SCENARIOS, loopback_problem
from iamport_sandbox.testkit import LiveServer, start_sandbox
from tests import docs_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "audit"


def _example(name):
    spec = importlib.util.spec_from_file_location(
        "audit_example_" + name, EXAMPLES / (name + ".py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://127.9.9.9/",
        "https://localhost:3000/x",
        "http://LOCALHOST./x",
        "http://[::1]:8000/",
        "http://[::ffff:127.0.0.1]/",
        "HTTP://127.0.0.1/hook",
    ],
)
def test_loopback_urls_are_accepted(url):
    assert loopback_problem(url) is None


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://10.0.0.1/hook", "not a loopback address"),
        ("http://169.254.169.254/latest/meta-data", "not a loopback address"),
        ("http://192.168.1.10:8080/", "not a loopback address"),
        ("http://8.8.8.8/", "not a loopback address"),
        ("http://[fe80::1]/", "not a loopback address"),
        ("http://0.0.0.0:8000/", "not a loopback address"),
        ("https://shop.example.com/webhook", "not a loopback host"),
        ("http://127.0.0.1.nip.io/", "not a loopback host"),
        ("http://localhost.example.com/", "not a loopback host"),
        ("ftp://127.0.0.1/", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:pw@127.0.0.1/", "no user or password"),
        ("http://127.0.0.1:99999/", "not a valid URL"),
        ("http:///hook", "no host"),
        ("", "not a URL"),
        (None, "not a URL"),
    ],
)
def test_other_urls_are_refused_without_being_resolved(url, why):
    assert why in loopback_problem(url)


def test_every_refused_url_is_named():
    problems = audit_url_problems(
        {
            "sandbox": "http://127.0.0.1:8000",
            "order_hook": "http://10.0.0.5/orders",
            "paid_hook": "http://127.0.0.1:3000/paid",
            "complete_url": "http://127.0.0.1:3000/complete",
            "webhook_url": "https://shop.example.com/hook",
        }
    )
    assert [problem.split(" ")[0] for problem in problems] == ["--order-hook", "--webhook-url"]


def _args(sandbox_url, backend_url, *extra):
    return [
        "audit",
        "--sandbox",
        sandbox_url,
        "--order-hook",
        backend_url + "/orders",
        "--paid-hook",
        backend_url + "/orders/paid",
        "--complete-url",
        backend_url + "/payments/complete",
        "--webhook-url",
        backend_url + "/webhooks/iamport",
        *extra,
    ]


def test_a_hook_off_loopback_is_refused_before_anything_is_sent(capsys):
    # Nothing listens at either address: a request would fail differently (exit 2 too,
    # but with a scenario's "could not run"); the refusal comes first and names the URL.
    with pytest.raises(SystemExit) as exited:
        main(_args("http://127.0.0.1:9", "http://10.255.255.1"))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "refused (nothing was sent)" in err and "--order-hook http://10.255.255.1" in err


def test_an_unknown_scenario_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(_args("http://127.0.0.1:9", "http://127.0.0.1:9", "--scenario", "nope"))
    assert exited.value.code == 2 and "unknown scenario: nope" in capsys.readouterr().err


@pytest.fixture
def sandbox():
    running = start_sandbox(test_controls=True, webhook_backoff=0.05)
    yield running
    running.stop()


@pytest.fixture
def backend(sandbox):
    started = []

    def serve(name):
        app = _example(name).create_app(sandbox.url, sandbox.imp_key, sandbox.imp_secret)
        server = LiveServer(app).start()
        started.append(server)
        return server.url

    yield serve
    for server in started:
        server.stop()


def _credentials(sandbox):
    return ["--user-code", sandbox.user_code, "--imp-key", sandbox.imp_key]


def test_the_shop_backend_passes_one_line_per_scenario(sandbox, backend, capsys, monkeypatch):
    monkeypatch.setenv("IAMPORT_IMP_SECRET", sandbox.imp_secret)
    chosen = ["honest_payment", "forged_webhook", "webhook_twice"]
    picks = [arg for name in chosen for arg in ("--scenario", name)]
    code = main(_args(sandbox.url, backend("shop_backend"), *_credentials(sandbox), *picks))
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.split()[:2] for line in lines[:-1]] == [["PASS", name + ":"] for name in chosen]
    assert lines[-1] == "3 scenarios: 3 passed, 0 failed, 0 could not run"


def test_the_naive_backend_fails_by_name_with_json(sandbox, backend, capsys):
    code = main(
        _args(
            sandbox.url,
            backend("naive_backend"),
            *_credentials(sandbox),
            "--imp-secret",
            sandbox.imp_secret,
            "--scenario",
            "amount_tampered",
            "--scenario",
            "failed_reported_complete",
            "--json",
        )
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["passed"] is False
    tampered, failed = report["findings"]
    assert (tampered["name"], tampered["passed"], tampered["flaw"]) == (
        "amount_tampered",
        False,
        "trusts the browser's amount",
    )
    assert "half its amount" in tampered["wrong"] and "v1-docs-full.md" in tampered["guide"]
    assert "4. 결제 완료 처리하기" in tampered["guide"]
    assert failed["passed"] is True and failed["wrong"] is None


def test_without_the_test_controls_the_chaos_scenarios_cannot_run(backend, capsys):
    plain = start_sandbox()  # no --test-controls
    try:
        url = LiveServer(
            _example("shop_backend").create_app(plain.url, plain.imp_key, plain.imp_secret)
        ).start()
        args = _args(plain.url, url.url, *_credentials(plain), "--imp-secret", plain.imp_secret)
        code = main(args + ["--scenario", "webhook_twice"])
        url.stop()
    finally:
        plain.stop()
    out = capsys.readouterr().out
    assert code == 2 and "start it with --test-controls" in out, out


def test_every_scenario_can_be_chosen_by_name():
    assert len(NAMES) == len(set(NAMES)) == 13


def test_the_docs_pytest_block_is_the_example_suites():
    code = docs_text.block("docs/test-kit.md", "## Audit your server", "python")
    suite = (EXAMPLES / "test_shop_backend_audit.py").read_text(encoding="utf-8")
    tree = ast.parse(code)
    assert [node.name for node in tree.body if isinstance(node, ast.FunctionDef)] == [
        "iamport_audit_hooks",
        "test_shop_backend",
    ]
    for node in tree.body:  # pytest examples runs that file, so the block runs as written
        assert ast.get_source_segment(code, node) in suite


def test_the_docs_list_every_scenario_with_what_it_proves():
    table = docs_text.section("docs/test-kit.md", "### The scenarios")
    for found in SCENARIOS:
        assert "| `{}` | {} | {} |".format(found.name, found.proves, found.flaw) in table


# -- the documented flow, as processes: iamport-sandbox --demo [--test-controls] ----------


def _ready(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError("{} never answered".format(url))


@contextlib.contextmanager
def _process(*command):
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=15)
        process.stdout.close()


@contextlib.contextmanager
def _served_sandbox(folder, *flags):
    """``iamport-sandbox --demo --port 0 FLAGS`` in a process; yields its base URL."""
    folder.mkdir(parents=True, exist_ok=True)
    command = ("-m", "iamport_sandbox", "--demo", "--port", "0", "--db", str(folder / "s.db"))
    with _process(*command, *flags) as process:
        for line in process.stdout:
            if "demo shop:" in line:
                url = line.split("demo shop:")[1].strip().rstrip("/")
                break
        else:
            raise AssertionError("the sandbox printed no address")
        _ready(url + "/users/pg/imp10000001")
        yield url


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_plain_demo_serves_no_chaos_and_test_controls_do(tmp_path):
    for flags, status in (((), 404), (("--test-controls",), 200)):
        with _served_sandbox(tmp_path / str(status), *flags) as url:
            token = httpx.post(
                url + "/api/users/getToken",
                json={
                    "imp_key": "1000000000000001",
                    "imp_secret": "demo-secret-for-the-local-sandbox-only",
                },
            ).json()["response"]["access_token"]
            answer = httpx.post(
                url + "/sandbox/testkit/webhook-chaos",
                json={"duplicate": True},
                headers={"Authorization": token},
            )
            assert answer.status_code == status


def test_the_documented_commands_audit_the_naive_backend(tmp_path, capsys):
    with _served_sandbox(tmp_path, "--test-controls") as url:
        port = str(_free_port())
        backend = "http://127.0.0.1:" + port
        naive = str(EXAMPLES / "naive_backend.py")
        with _process(naive, "--port", port, "--sandbox", url):
            _ready(backend + "/orders/paid")
            code = main(
                _args(url, backend, "--scenario", "honest_payment", "--scenario", "forged_webhook")
            )
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("PASS  honest_payment:")
    assert lines[1].startswith("FAIL  forged_webhook [believes webhook bodies]:")
