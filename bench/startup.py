"""Startup and window-opening times of iamport-py in headless Chromium, against a local sandbox.

For each interpreter (Pyodide, MicroPython), over --runs fresh browser contexts:

- bare:    navigation -> a bare PyScript page has run one line of Python (the baseline);
- shop:    navigation -> the demo checkout's IMP is ready to pay (settings loaded);
- imp.js:  navigation -> a plain JS page's window.IMP is ready (imp.js booted the SDK);
- window:  IMP.request_pay called -> the payment window is ready
           (body[data-window-state=ready]: the payment is recorded, its actions usable).

Prints medians with min and max, the ratios to the bare baseline, and the size of the
Python shipped to the page. Usage: python bench/startup.py [--runs 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import zipfile
from io import BytesIO

from playwright.sync_api import sync_playwright
from starlette.responses import HTMLResponse
from starlette.routing import Route

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from e2e.checkout import WINDOW_READY  # noqa: E402
from e2e.conftest import launch_chromium  # noqa: E402
from iamport_sandbox.assets import INTERPRETER_TABLE, sdk_archive  # noqa: E402
from iamport_sandbox.config import Config  # noqa: E402
from iamport_sandbox.demo import DEMO, ensure_demo_merchant  # noqa: E402
from tests.live import LiveServer  # noqa: E402

RUNTIMES = {
    name: (entry["script_type"], "/" + entry["runtime"])
    for name, entry in sorted(INTERPRETER_TABLE.items(), reverse=True)
}
# Records the moment (ms since navigation) an attribute appears on <body>.
MARK = """
new MutationObserver((changes, observer) => {
  for (const change of changes) {
    if (!window.__marks) window.__marks = {};
    window.__marks[change.attributeName] ??= performance.now();
  }
}).observe(document, {attributes: true, subtree: true,
                                      attributeFilter: ['data-imp-state', 'data-bare']});
"""
JS_READY = (
    "window.addEventListener('iamport:ready', () => { window.__impReady = performance.now(); });"
)


def bare_page(interpreter):
    kind, runtime = RUNTIMES[interpreter]
    return HTMLResponse(
        """<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,"><script type="module" src="/runtime/pyscript/core.js"></script>
</head><body><script type="{}" config='{{"interpreter": "{}"}}'>
from pyscript import document
document.body.setAttribute("data-bare", "1")
</script></body></html>""".format(kind, runtime)
    )


def js_page(interpreter):
    attribute = ' data-interpreter="pyodide"' if interpreter == "pyodide" else ""
    return HTMLResponse(
        """<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,"><script>{}</script>
<script src="/web/imp.js" data-user-code="{}"{}></script></head><body></body></html>""".format(
            JS_READY, DEMO["user_code"], attribute
        )
    )


def start(tmp):
    from iamport_sandbox.app import create_app

    app = create_app(Config(db_path=os.path.join(tmp, "bench.sqlite3"), demo_backend=DEMO))
    ensure_demo_merchant(app.state.store)

    async def bare(request):
        return bare_page(request.path_params["interpreter"])

    async def js(request):
        return js_page(request.path_params["interpreter"])

    app.router.routes.insert(0, Route("/bench/bare-{interpreter}.html", bare))
    app.router.routes.insert(0, Route("/bench/js-{interpreter}.html", js))
    return LiveServer(app).start(), app


def measure(browser, url, script, done, value):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(script)
        page.goto(url)
        page.wait_for_function(done, timeout=60000)
        return page.evaluate(value), page
    finally:
        context.close()


def measure_window(browser, base, interpreter):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(JS_READY)
        page.goto("{}/bench/js-{}.html".format(base, interpreter))
        page.wait_for_function("() => window.__impReady !== undefined", timeout=60000)
        # One warm-up payment, so the window's own assets are cached as for a shopper.
        for _ in range(2):
            page.evaluate("""() => { window.__t0 = performance.now();
                IMP.request_pay({pg: 'kakaopay', amount: 1000, name: 'Bench'}); }""")
            frame = page.wait_for_selector("iframe.iamport-frame").content_frame()
            frame.wait_for_selector(WINDOW_READY, timeout=60000)
            elapsed = page.evaluate("() => performance.now() - window.__t0")
            page.click(".iamport-close")
            page.wait_for_selector(".iamport-overlay", state="detached")
        return elapsed
    finally:
        context.close()


def summary(values):
    return statistics.median(values), min(values), max(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server, app = start(tmp)
        browser = launch_chromium(playwright)
        try:
            for interpreter in RUNTIMES:
                base = server.url
                rows = {"bare": [], "shop": [], "imp.js": [], "window": []}
                for _ in range(args.runs):
                    rows["bare"].append(
                        measure(
                            browser,
                            "{}/bench/bare-{}.html".format(base, interpreter),
                            MARK,
                            "() => window.__marks && window.__marks['data-bare'] !== undefined",
                            "window.__marks['data-bare']",
                        )[0]
                    )
                    rows["shop"].append(
                        measure(
                            browser,
                            "{}/?interpreter={}".format(base, interpreter),
                            MARK,
                            "() => window.__marks"
                            " && window.__marks['data-imp-state'] !== undefined",
                            "window.__marks['data-imp-state']",
                        )[0]
                    )
                    rows["imp.js"].append(
                        measure(
                            browser,
                            "{}/bench/js-{}.html".format(base, interpreter),
                            JS_READY,
                            "() => window.__impReady !== undefined",
                            "window.__impReady",
                        )[0]
                    )
                    rows["window"].append(measure_window(browser, base, interpreter))
                results[interpreter] = {name: summary(values) for name, values in rows.items()}
        finally:
            browser.close()
            server.stop()
            app.state.store.close()
    report(results, args.runs)


def sdk_sizes():
    archive = sdk_archive()
    with zipfile.ZipFile(BytesIO(archive)) as opened:
        raw = sum(info.file_size for info in opened.infolist())
    return len(archive), raw


def report(results, runs):
    print(
        "iamport-py startup benchmark: headless Chromium, local sandbox, {} runs each".format(runs)
    )
    print(
        "{:<12} {:<8} {:>10} {:>10} {:>10} {:>14}".format(
            "interpreter", "measure", "median ms", "min ms", "max ms", "x bare median"
        )
    )
    for interpreter, rows in results.items():
        bare = rows["bare"][0]
        for name, (median, low, high) in rows.items():
            ratio = "" if name == "window" else "{:.2f}".format(median / bare)
            print(
                "{:<12} {:<8} {:>10.0f} {:>10.0f} {:>10.0f} {:>14}".format(
                    interpreter, name, median, low, high, ratio
                )
            )
    if "pyodide" in results and "micropython" in results:
        print(
            "MicroPython shop ready vs Pyodide shop ready: {:.2f}x".format(
                results["micropython"]["shop"][0] / results["pyodide"]["shop"][0]
            )
        )
    zipped, raw = sdk_sizes()
    print(
        "Python shipped to the page: {:.1f} KB as iamport_py.zip ({:.1f} KB unpacked)".format(
            zipped / 1024, raw / 1024
        )
    )


if __name__ == "__main__":
    main()
