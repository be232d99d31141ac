"""Time to the payment window on a phone network (issue 13), in headless Chromium.

The pages and the figure are bench/window_time.py's (page on another origin than the sandbox,
``IMP.init`` + ``IMP.request_pay({pg: "html5_inicis.MID-b", …})`` as it loads, time from
navigation start until the window's iframe is in the page and visible), under Chromium's network
emulation (CDP ``Network.emulateNetworkConditions``):

- 4G: 9 Mbps down and up, 60 ms latency; slow 4G: 1.6 Mbps down and up, 150 ms latency;
- cold visit (a fresh browser context), then a returning visit (the same context, the same URL
  navigated again): runtime and SDK bytes downloaded again, revalidation requests (304);
- pages: ``reference`` (stands in for Iamport's iamport.js 1.2: jQuery 1.12.4 from the npm
  registry plus a 98 KB script, both served gzip with a long cache lifetime as a CDN does; the
  script asks for the settings by JSONP, then shows the window's iframe), ``floor`` (a bare
  PyScript MicroPython page whose one line of Python sets the iframe), ``imp.js`` (MicroPython),
  ``readme`` (the README's Python quick start as README.md has it) and ``readme-proposed``
  (the page and ``mpy.toml`` in bench/readme/, the text proposed for the README).

Interleaved rounds; medians with min-max; bytes as sent (``encodedDataLength``, headers
included) of the responses finished when the window showed; ratios to the reference page of
the same profile and visit. Needs ``npm ci`` in bench/reference (``make bench`` runs it).

Usage: python bench/network.py [--runs 5] [--profile 4g] [--pages reference,imp.js]
"""

import argparse
import gzip
import hashlib
import os
import random
import statistics
import sys
import tempfile

from playwright.sync_api import sync_playwright
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)
sys.path.insert(0, os.path.dirname(BENCH))

from window_time import MARK, floor_page, js_page, proposed_readme, summary  # noqa: E402

from e2e.conftest import launch_chromium  # noqa: E402
from e2e.test_readme import DOCUMENTED_SERVICE, readme_files  # noqa: E402
from iamport_sandbox.config import Config  # noqa: E402
from iamport_sandbox.demo import DEMO, ensure_demo_merchant  # noqa: E402
from tests.live import LiveServer  # noqa: E402

PROFILES = {  # name: (download/upload bits per second, latency ms)
    "4g": (9_000_000, 60),
    "slow-4g": (1_600_000, 150),
}
PAGES = ["reference", "floor", "imp.js", "readme", "readme-proposed"]
JQUERY = os.path.join(BENCH, "reference", "node_modules", "jquery", "dist", "jquery.min.js")
REFERENCE_SIZE = 98 * 1024
# The reference SDK: settings by JSONP through jQuery (as iamport.js 1.2 asks for them), then
# the payment window's iframe, visible, for the requested PG.
REFERENCE_SDK = """/* bench/network.py's stand-in for iamport.js 1.2 (98 KB before gzip). */
(function ($) {
  var settings = null, waiting = [];
  window.IMP = {
    init: function (userCode, service) {
      IMP.userCode = userCode; IMP.service = service;
      $.ajax({url: service + "/users/pg/" + encodeURIComponent(userCode), dataType: "jsonp",
              success: function (body) {
                settings = body.data; waiting.splice(0).forEach(function (go) { go(); }); }});
    },
    request_pay: function (param, callback) {
      var go = function () {
        var parts = (param.pg || "").split("."), chosen = settings[0];
        $.each(settings, function (_, s) {
          if (s.pg_provider === parts[0] && (!parts[1] || s.pg_id === parts[1])) {
            chosen = s; return false;
          }
        });
        var frame = $("<iframe>").css({position: "fixed", inset: 0, width: "100%",
                                        height: "100%", border: 0});
        frame.attr("src", IMP.service + "/payments/ready/" + IMP.userCode + "/" +
                   chosen.pg_provider + "/" + chosen.pg_id);
        $("body").append(frame);
      };
      if (settings) go(); else waiting.push(go);
    }
  };
})(jQuery);
"""


def reference_script():
    """REFERENCE_SDK padded to 98 KB with code that is parsed but never run, about as
    compressible as minified JavaScript (iamport.js 1.2.1: 98 KB, about 19 KB gzip)."""
    rng = random.Random(13)
    words = [
        "pay",
        "amount",
        "merchant",
        "buyer",
        "name",
        "tel",
        "email",
        "addr",
        "pg",
        "method",
        "card",
        "vbank",
        "trans",
        "phone",
        "uid",
        "imp",
        "data",
        "rsp",
        "msg",
        "code",
        "success",
        "error",
        "popup",
        "frame",
        "modal",
        "close",
        "open",
        "url",
    ]
    lines = [REFERENCE_SDK, "function __unused(){"]
    size = len(REFERENCE_SDK)
    while size < REFERENCE_SIZE - 200:
        name = rng.choice(words) + rng.choice(words).title() + str(rng.randrange(60))
        body = (
            'var {a}=e.{b}||{{}},{c}=t?{a}.{d}:"{e}";if({c}&&{a}.{f}>{n})return n({c},{a});'
            'return {a}.{g}({n},"{h}")'.format(
                a=rng.choice("abcde"),
                b=rng.choice(words),
                c=rng.choice("lmn"),
                d=rng.choice(words),
                e=rng.choice(words),
                f=rng.choice(words),
                g=rng.choice(words),
                h=rng.choice(words),
                n=rng.randrange(40),
            )
        )
        line = "function {}(e,t,n){{{}}}".format(name, body)
        lines.append(line)
        size += len(line) + 1
    lines.append("}")
    return "\n".join(lines).encode("utf-8")


def reference_page(site, service):
    return """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="{site}/ref/jquery-1.12.4.min.js"></script>
<script src="{site}/ref/iamport-ref.js"></script></head><body>
<script>IMP.init("{c}", "{s}"); IMP.request_pay({{pg: "html5_inicis.MID-b", amount: 1000}},
  function () {{}});</script></body></html>""".format(site=site, s=service, c=DEMO["user_code"])


def page_files(service, site):
    readme = {
        name: text.replace(DOCUMENTED_SERVICE, service) for name, text in readme_files().items()
    }
    files = {
        "floor.html": floor_page(service, "micropython"),
        "imp.js.html": js_page(service, "micropython"),
        "reference.html": reference_page(site, service),
        "readme.html": readme["python.html"],
        "mpy.toml": readme["mpy.toml"],
    }
    proposed = proposed_readme(service)
    files["readme-proposed.html"] = proposed.pop("readme-proposed-micropython.html")
    files.update(proposed)
    return {
        name: (
            "<!doctype html><meta charset=utf-8>" + text if name.startswith("readme") else text
        ).encode("utf-8")
        for name, text in files.items()
    }


def merchant_site(service):
    """The merchant's origin (localhost): the pages (revalidated), and the reference page's
    two scripts, gzip, cached for a year as a CDN serves them."""
    with open(JQUERY, "rb") as handle:
        scripts = {"jquery-1.12.4.min.js": handle.read(), "iamport-ref.js": reference_script()}
    scripts = {name: gzip.compress(data, 9, mtime=0) for name, data in scripts.items()}
    files = {}

    async def page(request):
        name = request.path_params["name"]
        if name not in files:
            return Response("not found", status_code=404)
        etag = '"{}"'.format(hashlib.sha256(files[name]).hexdigest()[:16])
        headers = {"Cache-Control": "no-cache", "ETag": etag}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        kind = "text/html" if name.endswith(".html") else "text/plain"
        return Response(files[name], media_type=kind, headers=headers)

    async def script(request):
        name = request.path_params["name"]
        if name not in scripts:
            return Response("not found", status_code=404)
        return Response(
            scripts[name],
            media_type="text/javascript",
            headers={
                "Content-Encoding": "gzip",
                "Vary": "Accept-Encoding",
                "Cache-Control": "public, max-age=31536000",
            },
        )

    server = LiveServer(
        Starlette(routes=[Route("/ref/{name}", script), Route("/{name}", page)])
    ).start()
    site = server.url.replace("127.0.0.1", "localhost")
    files.update(page_files(service, site))
    return server, site, {name: len(data) for name, data in scripts.items()}


class Visit:
    """One page load's network as CDP reports it: bytes as sent, 304s, what came from the
    service's runtime and SDK folders."""

    def __init__(self):
        self.total = 0
        self.status = {}
        self.urls = {}
        self.runtime_bytes = 0
        self.not_modified = []

    def response(self, event):
        self.urls[event["requestId"]] = event["response"]["url"]
        self.status[event["requestId"]] = event["response"]["status"]
        if event["response"]["status"] == 304:
            self.not_modified.append(event["response"]["url"])

    def finished(self, event):
        self.total += event["encodedDataLength"]
        url = self.urls.get(event["requestId"], "")
        if "/runtime/" in url or "/sdk/" in url:
            self.runtime_bytes += event["encodedDataLength"]


def visits(browser, url, profile):
    """Cold visit, then the returning visit in the same context: [(ms, Visit), (ms, Visit)]."""
    bits, latency = PROFILES[profile]
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        current = []
        cdp.on("Network.responseReceived", lambda event: current[-1].response(event))
        cdp.on("Network.loadingFinished", lambda event: current[-1].finished(event))
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency,
                "downloadThroughput": bits / 8,
                "uploadThroughput": bits / 8,
            },
        )
        page.add_init_script(MARK)
        results = []
        for _ in range(2):
            current.append(Visit())
            page.goto(url, wait_until="commit")
            page.wait_for_function("() => window.__window !== undefined", timeout=120000)
            # What had arrived when the window showed (the window's own page comes after).
            seen = current[-1]
            snapshot = Visit()
            snapshot.total, snapshot.runtime_bytes = seen.total, seen.runtime_bytes
            snapshot.not_modified = list(seen.not_modified)
            results.append((page.evaluate("window.__window"), snapshot))
            page.wait_for_load_state("load")
        return results
    finally:
        context.close()


def run(runs, profiles, pages):
    rows = [
        (profile, page, visit)
        for profile in profiles
        for page in pages
        for visit in ("cold", "returning")
    ]
    times = {row: [] for row in rows}
    sent = {row: [] for row in rows}
    runtime = {row: [] for row in rows}
    revalidated = {row: [] for row in rows}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        from iamport_sandbox.app import create_app

        app = create_app(Config(db_path=os.path.join(tmp, "bench.sqlite3"), demo_backend=DEMO))
        ensure_demo_merchant(app.state.store)
        service = LiveServer(app).start()
        site, site_url, script_sizes = merchant_site(service.url)
        browser = launch_chromium(playwright)
        try:
            for _ in range(runs):
                for profile in profiles:
                    for page in pages:
                        url = "{}/{}.html".format(site_url, page)
                        for visit, (elapsed, seen) in zip(
                            ("cold", "returning"), visits(browser, url, profile), strict=True
                        ):
                            row = (profile, page, visit)
                            times[row].append(elapsed)
                            sent[row].append(seen.total)
                            runtime[row].append(seen.runtime_bytes)
                            revalidated[row].append(len(seen.not_modified))
        finally:
            browser.close()
            site.stop()
            service.stop()
            app.state.store.close()
    return times, sent, runtime, revalidated, script_sizes


def report(times, sent, runtime, revalidated, script_sizes, runs):
    print(
        "time to the payment window under network emulation: headless Chromium, page on "
        "another origin, {} interleaved rounds; reference scripts {} bytes gzip".format(
            runs, script_sizes
        )
    )
    print()
    print(
        "| profile | visit | page | median ms | min–max ms | × reference | KB sent "
        "before window | runtime+SDK KB | 304s |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (profile, page, visit), values in sorted(
        times.items(), key=lambda item: (list(PROFILES).index(item[0][0]), item[0][2])
    ):
        median, low, high = summary(values)
        reference = (
            statistics.median(times[(profile, "reference", visit)])
            if (profile, "reference", visit) in times
            else float("nan")
        )
        row = (profile, page, visit)
        print(
            "| {} | {} | {} | {:.0f} | {:.0f}–{:.0f} | {:.2f} | {:.0f} | {:.0f} | {} |".format(
                profile,
                visit,
                page,
                median,
                low,
                high,
                median / reference,
                statistics.median(sent[row]) / 1024,
                statistics.median(runtime[row]) / 1024,
                max(revalidated[row]),
            )
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=sorted(PROFILES), action="append")
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    if not os.path.exists(JQUERY):
        parser.error("no jQuery: run `npm ci` in bench/reference")
    pages = args.pages.split(",")
    if "reference" not in pages:
        pages.insert(0, "reference")
    report(*run(args.runs, args.profile or list(PROFILES), pages), args.runs)


if __name__ == "__main__":
    main()
