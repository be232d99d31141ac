"""Time to the payment window (issue 14): what a shopper feels, in headless Chromium.

Every page is served from another origin (``localhost``) than the sandbox (``127.0.0.1``),
calls ``IMP.init`` + ``IMP.request_pay({pg: "html5_inicis.MID-b", …})`` as it loads, and is
timed from navigation start until the window's iframe (``/payments/ready/…/html5_inicis/MID-b``)
is in the page and visible:

- floor-mpy / floor-pyodide: a bare PyScript page whose one line of Python sets an iframe's src;
- imp.js-mpy / imp.js-pyodide: a JavaScript page with the one ``imp.js`` tag;
- readme-mpy: the README's Python quick start (its page and ``mpy.toml``, as written);
- readme-proposed-mpy: the same from bench/readme/ (the text proposed for the README).

Plus ``request_pay`` -> window ready (``[data-window-state=ready]``) on a booted imp.js page
(a first and a second payment, each once the SDK's window loaded ahead for MID-b has loaded and
the network is idle, as they are by the time a shopper presses Pay), with the HTTP requests
the page and window make for it, and what the windows loaded ahead cost at init (requests,
bytes), against a sandbox in
its own process (as a shopper meets it; a server thread in this process would share the GIL
with Playwright's client): "marker" is when the window set the marker (its clock and the page's
share the epoch: ``performance.timeOrigin``), "seen" is when Playwright saw it (what the
earlier figure measured; it adds Playwright's polling and round trips). And the bytes
transferred (as sent, headers included) before the window shows. Interleaved rounds, a fresh
browser context per page load, medians with min-max, ratios to the floor of the same interpreter.

``--before REV`` adds the imp.js pages served by a second sandbox whose web/ files (imp.js,
the bridge, the configs) are those of git revision REV, and the ready rows of a sandbox
process running REV's whole tree: before/after in the same run.

``--only-ready`` runs the ``request_pay`` -> window ready row alone.

Usage: python bench/window_time.py [--runs 7] [--only micropython] [--before REV] [--only-ready]
"""

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from e2e.checkout import WINDOW_READY  # noqa: E402
from e2e.conftest import launch_chromium  # noqa: E402
from e2e.test_readme import DOCUMENTED_SERVICE, readme_files  # noqa: E402
from iamport_sandbox.config import Config  # noqa: E402
from iamport_sandbox.demo import DEMO, ensure_demo_merchant  # noqa: E402
from tests.live import LiveServer  # noqa: E402

PG = "html5_inicis.MID-b"
WINDOW_PATH = "/payments/ready/{}/html5_inicis/MID-b".format(DEMO["user_code"])
PARAM = (
    '{pg: "html5_inicis.MID-b", pay_method: "card", name: "Bench", amount: 1000, '
    'buyer_email: "buyer@example.com"}'
)
# Records when a visible iframe showing the window is in the page (ms since navigation).
MARK = """
(() => {
  const seen = () => {
    if (window.__window !== undefined) return;
    for (const frame of document.querySelectorAll('iframe')) {
      if ((frame.src || '').includes(WINDOW_PATH) && frame.isConnected &&
          frame.checkVisibility({opacityProperty: true, visibilityProperty: true})) {
        window.__window = performance.now();
        return;
      }
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true,
                                                attributes: true});
})();
""".replace("WINDOW_PATH", repr(WINDOW_PATH))
JS_READY = (
    "window.addEventListener('iamport:ready', () => { window.__impReady = performance.now(); });"
)
# Records, in the window's frame, when it sets its readiness marker (epoch ms).
READY_MARK = """
(() => {
  if (window.top === window) return;
  new MutationObserver(() => {
    if (window.__readyAt === undefined && document.body &&
        document.body.dataset.windowState === "ready") {
      window.__readyAt = performance.timeOrigin + performance.now();
    }
  }).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""
ROWS = [
    ("micropython", "floor"),
    ("micropython", "imp.js"),
    ("micropython", "readme"),
    ("micropython", "readme-proposed"),
    ("pyodide", "floor"),
    ("pyodide", "imp.js"),
]
PROPOSED = os.path.join(ROOT, "bench", "readme")


def floor_page(service, interpreter):
    kind, runtime = {
        "micropython": ("mpy", "micropython/micropython.mjs"),
        "pyodide": ("py", "pyodide/pyodide.mjs"),
    }[interpreter]
    return """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="{s}/runtime/pyscript/core.js"></script></head><body>
<script type="{k}" config='{{"interpreter": "{s}/runtime/{r}"}}'>
from pyscript import document
document.body.appendChild(document.createElement("iframe")).src = "{s}{w}"
</script></body></html>""".format(s=service, k=kind, r=runtime, w=WINDOW_PATH)


def js_page(service, interpreter, pay=True):
    attribute = ' data-interpreter="pyodide"' if interpreter == "pyodide" else ""
    call = "<script>IMP.request_pay({}, () => {{}});</script>".format(PARAM) if pay else ""
    return """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="{s}/web/imp.js" data-user-code="{c}"{a}></script></head><body>
{p}</body></html>""".format(s=service, c=DEMO["user_code"], a=attribute, p=call)


def web_of(rev):
    """Where REV keeps the browser files: the top-level ``web/`` since issue 23, the
    package's ``iamport_sandbox/web/`` before."""
    moved = subprocess.run(
        ["git", "cat-file", "-e", "{}:web/imp.js".format(rev)], cwd=ROOT, capture_output=True
    )
    return "web" if moved.returncode == 0 else "iamport_sandbox/web"


def before_web(rev, tmp):
    """A web/ folder with REV's imp.js, bridge and configs, and today's runtimes."""
    from iamport_sandbox import assets

    folder = os.path.join(tmp, "web-before")
    os.makedirs(folder)
    for name in assets.SELF_HOSTED:
        text = subprocess.run(
            ["git", "show", "{}:{}/{}".format(rev, web_of(rev), name)],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(text)
    os.symlink(assets.runtime_dir(), os.path.join(folder, "runtime"))
    return folder


def proposed_readme(service):
    """The README quick start proposed in bench/readme/: ``{name: text}`` of a page
    (``readme-proposed-micropython.html``) and its config (``proposed-mpy.toml``)."""
    files = {}
    for name in ("python.html", "mpy.toml"):
        with open(os.path.join(PROPOSED, name), encoding="utf-8") as handle:
            files[name] = handle.read().replace(DOCUMENTED_SERVICE, service)
    return {
        "readme-proposed-micropython.html": files["python.html"].replace(
            'config="./mpy.toml"', 'config="./proposed-mpy.toml"'
        ),
        "proposed-mpy.toml": files["mpy.toml"],
    }


def merchant_files(service, before=None):
    files = {
        name: text.replace(DOCUMENTED_SERVICE, service) for name, text in readme_files().items()
    }
    files["readme-micropython.html"] = files.pop("python.html")
    files.update(proposed_readme(service))
    for interpreter in ("micropython", "pyodide"):
        files["floor-{}.html".format(interpreter)] = floor_page(service, interpreter)
        files["imp.js-{}.html".format(interpreter)] = js_page(service, interpreter)
        if before:
            files["imp.js-before-{}.html".format(interpreter)] = js_page(before, interpreter)
    return files


def merchant_site(files):
    async def serve(request):
        name = request.path_params["name"]
        if name not in files:
            return Response("not found", status_code=404)
        kind = "text/html" if name.endswith(".html") else "text/plain"
        return Response(files[name], media_type=kind)

    server = LiveServer(Starlette(routes=[Route("/{name}", serve)])).start()
    return server, server.url.replace("127.0.0.1", "localhost")


class Transfer:
    """Bytes as sent (CDP encodedDataLength) of every response finished so far."""

    def __init__(self, context, page):
        self.total = 0
        self.cdp = context.new_cdp_session(page)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")

    def _finished(self, event):
        self.total += event["encodedDataLength"]


def time_to_window(browser, url):
    context = browser.new_context()
    try:
        page = context.new_page()
        transfer = Transfer(context, page)
        page.add_init_script(MARK)
        page.goto(url)
        page.wait_for_function("() => window.__window !== undefined", timeout=60000)
        # What had arrived when the window showed (the window's own page comes after).
        return page.evaluate("window.__window"), transfer.total
    finally:
        context.close()


def source_tree(rev, tmp):
    """REV's files in a folder, with today's runtimes (not in git) linked in."""
    from iamport_sandbox import assets

    folder = os.path.join(tmp, "tree-" + rev.replace("/", "_"))
    os.makedirs(folder)
    archive = subprocess.run(
        ["git", "archive", rev], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    os.symlink(assets.runtime_dir(), os.path.join(folder, *web_of(rev).split("/"), "runtime"))
    return folder


class SandboxProcess:
    """``python -m iamport_sandbox --demo`` of a source tree, in its own process."""

    def __init__(self, tree, db):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = "http://127.0.0.1:{}".format(self.port)
        env = dict(os.environ, PYTHONPATH=tree)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "iamport_sandbox",
                "--port",
                str(self.port),
                "--db",
                db,
                "--demo",
                "--window-opens-per-minute",
                "0",
            ],
            cwd=tree,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:  # until it accepts connections (uvicorn listens once it has started)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the sandbox of {} did not start".format(tree)) from None
                time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


# The SDK loads each setting's window ahead (hidden) once the settings arrive; a shopper
# takes longer than that to press Pay, so a payment waits for its window to have loaded
# (a tree without preloading has no such frame: nothing to wait for).
PRELOADED_READY = """() => !!document.querySelector(
    'iframe[data-iamport-preload=loaded][src$="/html5_inicis/MID-b"]')"""


def window_ready(browser, url, preloads=True):
    """request_pay -> window ready on a booted page: the first payment then a second one
    (each, when the tree preloads windows, once the MID-b window loaded ahead has loaded: at
    init for the first, after the first payment for the second). For each: (ms until the
    window set its marker, ms until Playwright saw it, the HTTP requests the page and the
    window made)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        in_flight = []  # the requests of the page and its frames not yet answered
        page.on("request", lambda request: in_flight.append(request))
        for event in ("requestfinished", "requestfailed"):
            page.on(
                event, lambda request: in_flight.remove(request) if request in in_flight else None
            )
        page.add_init_script(JS_READY)
        page.add_init_script(READY_MARK)
        page.goto(url)
        page.wait_for_function("() => window.__impReady !== undefined", timeout=60000)
        return [one_payment(page, preloads, in_flight) for _ in ("first", "second")]
    finally:
        context.close()


def preload_cost(browser, url):
    """(requests, KB) of the windows loaded ahead at init, what preloading adds: the
    responses' bodies as sent plus their headers (Playwright's sizes: the frames are
    out of process, where the page's CDP session does not see them finish)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url)
        page.wait_for_function(
            """() => {
            const frames = document.querySelectorAll('iframe[data-iamport-preload]');
            return frames.length > 0 &&
                !document.querySelector('iframe[data-iamport-preload=loading]');
        }""",
            timeout=60000,
        )
        count = page.evaluate("document.querySelectorAll('iframe[data-iamport-preload]').length")

        def window_requests():
            return [
                request
                for request in finished
                if "/payments/ready/" in request.url or "/certificates/ready/" in request.url
            ]

        deadline = time.monotonic() + 10
        while len(window_requests()) < count and time.monotonic() < deadline:
            page.wait_for_timeout(20)  # lets Playwright deliver the last requestfinished events
        windows = window_requests()
        sizes = [request.sizes() for request in windows]
        sent = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
        return len(windows), sent / 1024
    finally:
        context.close()


def one_payment(page, preloads, in_flight):
    if preloads:
        page.wait_for_function(PRELOADED_READY, timeout=60000)
    # And the page's other requests done (the preloaded windows' probes), as they are when a
    # shopper presses Pay: no request of the init competes with the payment's.
    deadline = time.monotonic() + 3
    while in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(10)
    requests = []

    def note(request):
        requests.append(request.url)

    page.on("request", note)
    start = page.evaluate(
        "() => { window.__t0 = performance.now(); IMP.request_pay(PARAM); "
        "return performance.timeOrigin + window.__t0; }".replace("PARAM", PARAM)
    )
    frame = page.wait_for_selector("iframe.iamport-frame").content_frame()
    frame.wait_for_selector(WINDOW_READY, timeout=60000)
    seen = page.evaluate("() => performance.now() - window.__t0")
    marker = frame.evaluate("window.__readyAt") - start
    page.remove_listener("request", note)
    page.click(".iamport-close")
    page.wait_for_selector(".iamport-overlay", state="detached")
    return marker, seen, len(requests)


def summary(values):
    return statistics.median(values), min(values), max(values)


def run(runs, interpreters, before=None, only_ready=False):
    rows = [] if only_ready else [row for row in ROWS if row[0] in interpreters]
    if before and not only_ready:
        rows += [(interpreter, "imp.js-before") for interpreter in interpreters]
    times = {row: [] for row in rows}
    sizes = {row: [] for row in rows}
    ready = {}  # {label: [[(marker ms, seen ms, requests) of the first, of the second]]}
    with (
        tempfile.TemporaryDirectory() as tmp,
        sync_playwright() as playwright,
        contextlib.ExitStack() as stack,
    ):
        from iamport_sandbox.app import create_app

        services = {}
        if rows:
            app = create_app(Config(db_path=os.path.join(tmp, "bench.sqlite3"), demo_backend=DEMO))
            ensure_demo_merchant(app.state.store)
            stack.callback(app.state.store.close)
            services["now"] = stack.enter_context(serving(LiveServer(app).start()))
        if before and rows:
            old_app = create_app(
                Config(
                    db_path=os.path.join(tmp, "before.sqlite3"),
                    web_dir=before_web(before, tmp),
                    demo_backend=DEMO,
                )
            )
            ensure_demo_merchant(old_app.state.store)
            stack.callback(old_app.state.store.close)
            services["before"] = stack.enter_context(serving(LiveServer(old_app).start()))
        trees = {"this tree": ROOT}
        if before:
            trees["before " + before] = source_tree(before, tmp)
        processes = {}
        for number, (label, tree) in enumerate(trees.items()):
            processes[label] = stack.enter_context(
                serving(
                    SandboxProcess(tree, os.path.join(tmp, "process-{}.sqlite3".format(number)))
                )
            )
            ready[label] = []
        files = (
            merchant_files(services["now"].url, services.get("before") and services["before"].url)
            if rows
            else {}
        )
        for number, process in enumerate(processes.values()):
            files["ready-{}.html".format(number)] = js_page(process.url, "micropython", pay=False)
        site, site_url = merchant_site(files)
        stack.enter_context(serving(site))
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        for _ in range(runs):
            for interpreter, page in rows:
                url = "{}/{}-{}.html".format(site_url, page, interpreter)
                elapsed, size = time_to_window(browser, url)
                times[(interpreter, page)].append(elapsed)
                sizes[(interpreter, page)].append(size)
            for number, label in enumerate(ready):
                ready[label].append(
                    window_ready(
                        browser,
                        "{}/ready-{}.html".format(site_url, number),
                        preloads=label == "this tree",
                    )
                )
        cost = preload_cost(browser, "{}/ready-0.html".format(site_url))
    return times, sizes, ready, cost


@contextlib.contextmanager
def serving(server):
    try:
        yield server
    finally:
        server.stop()


def report(times, sizes, ready, cost, runs):
    print(
        "time to the payment window: headless Chromium, page on another origin, "
        "{} interleaved rounds, cold contexts".format(runs)
    )
    print("| interpreter | page | median ms | min ms | max ms | x floor | KB before window |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (interpreter, page), values in times.items():
        median, low, high = summary(values)
        floor = statistics.median(times[(interpreter, "floor")])
        print(
            "| {} | {} | {:.0f} | {:.0f} | {:.0f} | {:.2f} | {:.0f} |".format(
                interpreter,
                page,
                median,
                low,
                high,
                median / floor,
                statistics.median(sizes[(interpreter, page)]) / 1024,
            )
        )
    print()
    print(
        "request_pay -> window ready (micropython imp.js page, booted, sandbox in its own process)"
    )
    print("| sandbox | payment | until | median ms | min ms | max ms | HTTP requests |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for label, rounds in ready.items():
        for which, payment in ((0, "first"), (1, "second")):
            samples = [pair[which] for pair in rounds]
            requests = int(statistics.median(sample[2] for sample in samples))
            for column, until in ((0, "the window set its marker"), (1, "Playwright saw it")):
                median, low, high = summary([sample[column] for sample in samples])
                print(
                    "| {} | {} | {} | {:.0f} | {:.0f} | {:.0f} | {} |".format(
                        label, payment, until, median, low, high, requests
                    )
                )
    print()
    print("windows loaded ahead at init (this tree): {} requests, {:.1f} KB as sent".format(*cost))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["micropython", "pyodide"])
    parser.add_argument("--before", metavar="REV")
    parser.add_argument(
        "--only-ready", action="store_true", help="only the request_pay -> window ready row"
    )
    args = parser.parse_args()
    interpreters = [args.only] if args.only else ["micropython", "pyodide"]
    report(*run(args.runs, interpreters, args.before, args.only_ready), args.runs)


if __name__ == "__main__":
    main()
