"""Time to the payment window (issue 14): what a shopper feels, in headless Chromium.

Every page is served from another origin (``localhost``) than the sandbox (``127.0.0.1``),
calls ``IMP.init`` + ``IMP.request_pay({pg: "html5_inicis.MID-b", …})`` as it loads, and is
timed from navigation start until the window's iframe (``/payments/ready/…/html5_inicis/MID-b``)
is in the page and visible:

- floor-mpy / floor-pyodide: a bare PyScript page whose one line of Python sets an iframe's src;
- imp.js-mpy / imp.js-pyodide: a JavaScript page with the one ``imp.js`` tag;
- readme-mpy: the README's Python quick start (its page and ``mpy.toml``, as written);
- readme-proposed-mpy: the same from bench/readme/ (the text proposed for the README).

Plus ``request_pay`` -> window ready (``[data-window-state=ready]``, on a booted imp.js page, the
window's assets cached), with the HTTP requests the window makes, and the bytes transferred
(as sent, headers included) before the window shows. Interleaved rounds, a fresh browser context
per page load, medians with min-max, ratios to the floor of the same interpreter.

``--before REV`` adds the imp.js pages served by a second sandbox whose web/ files (imp.js,
the bridge, the configs) are those of git revision REV: before/after in the same run.

Usage: python bench/window_time.py [--runs 7] [--only micropython] [--before REV]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

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
PARAM = ('{pg: "html5_inicis.MID-b", pay_method: "card", name: "Bench", amount: 1000, '
         'buyer_email: "buyer@example.com"}')
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
JS_READY = ("window.addEventListener('iamport:ready', "
            "() => { window.__impReady = performance.now(); });")
ROWS = [("micropython", "floor"), ("micropython", "imp.js"), ("micropython", "readme"),
        ("micropython", "readme-proposed"), ("pyodide", "floor"), ("pyodide", "imp.js")]
PROPOSED = os.path.join(ROOT, "bench", "readme")


def floor_page(service, interpreter):
    kind, runtime = {"micropython": ("mpy", "micropython/micropython.mjs"),
                     "pyodide": ("py", "pyodide/pyodide.mjs")}[interpreter]
    return """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="{s}/runtime/pyscript/core.js"></script></head><body>
<script type="{k}" config='{{"interpreter": "{s}/runtime/{r}"}}'>
from pyscript import document
document.body.appendChild(document.createElement("iframe")).src = "{s}{w}"
</script></body></html>""".format(s=service, k=kind, r=runtime, w=WINDOW_PATH)


def js_page(service, interpreter):
    attribute = ' data-interpreter="pyodide"' if interpreter == "pyodide" else ""
    return """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="{s}/web/imp.js" data-user-code="{c}"{a}></script></head><body>
<script>IMP.request_pay({p}, () => {{}});</script></body></html>""".format(
        s=service, c=DEMO["user_code"], a=attribute, p=PARAM)


def before_web(rev, tmp):
    """A web/ folder with REV's imp.js, bridge and configs, and today's runtimes."""
    from iamport_sandbox import assets

    folder = os.path.join(tmp, "web-before")
    os.makedirs(folder)
    for name in assets.SELF_HOSTED:
        text = subprocess.run(["git", "show", "{}:iamport_sandbox/web/{}".format(rev, name)],
                              cwd=ROOT, capture_output=True, check=True).stdout
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
    return {"readme-proposed-micropython.html": files["python.html"].replace(
                'config="./mpy.toml"', 'config="./proposed-mpy.toml"'),
            "proposed-mpy.toml": files["mpy.toml"]}


def merchant_files(service, before=None):
    files = {name: text.replace(DOCUMENTED_SERVICE, service)
             for name, text in readme_files().items()}
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


def window_ready(browser, url):
    """request_pay -> window ready on a booted page, the window's assets cached (a second
    payment), and the HTTP requests the window made for it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(JS_READY)
        page.goto(url)
        page.wait_for_function("() => window.__impReady !== undefined", timeout=60000)
        page.wait_for_selector("iframe")
        page.click(".iamport-close")
        page.wait_for_selector(".iamport-overlay", state="detached")
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.evaluate("() => { window.__t0 = performance.now(); IMP.request_pay(PARAM); }"
                      .replace("PARAM", PARAM))
        frame = page.wait_for_selector("iframe.iamport-frame").content_frame()
        frame.wait_for_selector(WINDOW_READY, timeout=60000)
        elapsed = page.evaluate("() => performance.now() - window.__t0")
        return elapsed, len(requests)
    finally:
        context.close()


def summary(values):
    return statistics.median(values), min(values), max(values)


def run(runs, interpreters, before=None):
    rows = [row for row in ROWS if row[0] in interpreters]
    if before:
        rows += [(interpreter, "imp.js-before") for interpreter in interpreters]
    times = {row: [] for row in rows}
    sizes = {row: [] for row in rows}
    ready, trips = [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        from iamport_sandbox.app import create_app

        app = create_app(Config(db_path=os.path.join(tmp, "bench.sqlite3"), demo_backend=DEMO))
        ensure_demo_merchant(app.state.store)
        service = LiveServer(app).start()
        old = None
        if before:
            old_app = create_app(Config(db_path=os.path.join(tmp, "before.sqlite3"),
                                        web_dir=before_web(before, tmp), demo_backend=DEMO))
            ensure_demo_merchant(old_app.state.store)
            old = LiveServer(old_app).start()
        site, site_url = merchant_site(merchant_files(service.url, old and old.url))
        browser = launch_chromium(playwright)
        try:
            for _ in range(runs):
                for interpreter, page in rows:
                    url = "{}/{}-{}.html".format(site_url, page, interpreter)
                    elapsed, size = time_to_window(browser, url)
                    times[(interpreter, page)].append(elapsed)
                    sizes[(interpreter, page)].append(size)
                elapsed, count = window_ready(
                    browser, "{}/imp.js-micropython.html".format(site_url))
                ready.append(elapsed)
                trips.append(count)
        finally:
            browser.close()
            site.stop()
            service.stop()
            app.state.store.close()
            if old:
                old.stop()
                old_app.state.store.close()
    return times, sizes, ready, trips


def report(times, sizes, ready, trips, runs):
    print("time to the payment window: headless Chromium, page on another origin, "
          "{} interleaved rounds, cold contexts".format(runs))
    print("| interpreter | page | median ms | min ms | max ms | x floor | KB before window |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for (interpreter, page), values in times.items():
        median, low, high = summary(values)
        floor = statistics.median(times[(interpreter, "floor")])
        print("| {} | {} | {:.0f} | {:.0f} | {:.0f} | {:.2f} | {:.0f} |".format(
            interpreter, page, median, low, high, median / floor,
            statistics.median(sizes[(interpreter, page)]) / 1024))
    median, low, high = summary(ready)
    print("| micropython | request_pay -> window ready | {:.0f} | {:.0f} | {:.0f} | "
          "{} HTTP requests | |".format(median, low, high, int(statistics.median(trips))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["micropython", "pyodide"])
    parser.add_argument("--before", metavar="REV")
    args = parser.parse_args()
    interpreters = [args.only] if args.only else ["micropython", "pyodide"]
    report(*run(args.runs, interpreters, args.before), args.runs)


if __name__ == "__main__":
    main()
