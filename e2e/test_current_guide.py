"""The guide's current edition ("복수 PG설정 및 사용하기", opi/ko/console/pg): three settings —
(new) NICE Payments MID-a and MID-b, told apart only by their channel keys, and KakaoPay
MID-c — chosen with ``channelKey`` alone, on a Python page (MicroPython and Pyodide, the
README's configs) and on a plain JavaScript page (imp.js, both interpreters). Each key opens
its own setting's window and pays through it; a key wins over a ``pg`` naming another
setting (with a console warning naming both); an unknown key ends with UNKNOWN_CHANNEL_KEY
and opens no window."""

import json

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from e2e.checkout import TIMEOUT, payment_window, window_shows
from e2e.conftest import CURRENT_API, CURRENT_MERCHANT, Page, assert_local_only, rest_client
from e2e.test_readme import DOCUMENTED_SERVICE, readme_files
from iamport_py.testing import CURRENT_EDITION_SETTINGS
from tests.live import LiveServer

KEY_A, KEY_B, KEY_C = (setting["channel_key"] for setting in CURRENT_EDITION_SETTINGS)
# (channelKey, pg or None, the window it opens as (pg_provider, MID) or None for none).
STEPS = (
    (KEY_C, None, ("kakaopay", "MID-c")),
    (KEY_A, None, ("nice_v2", "MID-a")),
    (KEY_B, None, ("nice_v2", "MID-b")),
    (KEY_B, "kakaopay", ("nice_v2", "MID-b")),  # the key wins; pg only warns
    ("channel-key-00000000-0000-4000-8000-000000000000", None, None),
)

# The guide's request: a channel key and the order; nothing else. Each step's rsp is kept
# in body[data-results] (a JSON list); the next step starts when the callback has run.
PYTHON_PAGE = """
<script type="{kind}" config="./{config}">
import json
import js
from iamport_py import IMP

IMP.init("{user_code}", service="{service}")
STEPS = json.loads('{steps}')
results = []


def step(index):
    if index == len(STEPS):
        return
    key, pg = STEPS[index]
    param = {{"channelKey": key, "amount": 1000, "name": "테스트 주문",
             "buyer_name": "구매자", "buyer_email": "buyer@iamport.kr"}}
    if pg:
        param["pg"] = pg

    def done(rsp):
        results.append(rsp)
        js.document.body.setAttribute("data-results", json.dumps(results))
        step(index + 1)

    IMP.request_pay(param, done)


step(0)
</script>
"""

JS_PAGE = """
<script src="{service}/web/imp.js" data-user-code="{user_code}"{interpreter}></script>
<script>
  const steps = {steps};
  const results = [];
  function step(index) {{
    if (index === steps.length) return;
    const [channelKey, pg] = steps[index];
    const param = {{channelKey, amount: 1000, name: "테스트 주문", buyer_name: "구매자",
                   buyer_email: "buyer@iamport.kr"}};
    if (pg) param.pg = pg;
    IMP.request_pay(param, (rsp) => {{
      results.push(rsp);
      document.body.dataset.results = JSON.stringify(results);
      step(index + 1);
    }});
  }}
  step(0);
</script>
"""


@pytest.fixture(scope="module")
def guide_site(service):
    """The merchant's own server (localhost, another origin): the guide's page written in
    Python and in JavaScript, with the README's configs."""
    steps = json.dumps([[key, pg] for key, pg, _ in STEPS])
    readme = {
        name: text.replace(DOCUMENTED_SERVICE, service) for name, text in readme_files().items()
    }
    files = {name: text for name, text in readme.items() if name.endswith(".toml")}
    # The README page's PyScript tags (and preloads), then the guide's code.
    head = readme["python.html"].split('<script type="mpy"')[0]
    for interpreter, kind, config in (
        ("micropython", "mpy", "mpy.toml"),
        ("pyodide", "py", "pyodide.toml"),
    ):
        files["python-{}.html".format(interpreter)] = head + PYTHON_PAGE.format(
            kind=kind, config=config, user_code=CURRENT_MERCHANT, service=service, steps=steps
        )
        files["js-{}.html".format(interpreter)] = JS_PAGE.format(
            service=service,
            user_code=CURRENT_MERCHANT,
            steps=steps,
            interpreter=' data-interpreter="pyodide"' if interpreter == "pyodide" else "",
        )

    async def serve(request):
        name = request.path_params["name"]
        if name not in files:
            return Response("not found", status_code=404)
        if name.endswith(".html"):
            return Response(
                "<!doctype html><meta charset=utf-8><body>" + files[name], media_type="text/html"
            )
        return Response(files[name], media_type="text/plain")

    server = LiveServer(Starlette(routes=[Route("/{name}", serve)]), host="localhost").start()
    yield server.url
    server.stop()


def _results(page, count):
    page.wait_for_function(
        "n => JSON.parse(document.body.dataset.results || '[]').length >= n",
        arg=count,
        timeout=TIMEOUT,
    )
    return json.loads(page.get_attribute("body", "data-results"))


@pytest.mark.parametrize("block", ["python", "js"])
def test_the_current_guides_keys_open_their_settings_windows(
    context, guide_site, service, interpreter, block
):
    page = Page(context.new_page())
    rest = rest_client(service, *CURRENT_API)
    page.goto("{}/{}-{}.html".format(guide_site, block, interpreter))
    for index, (key, _, window) in enumerate(STEPS):
        if window is not None:
            frame = payment_window(page)
            assert window_shows(frame) == window, key
            frame.click("[data-testid=approve]")
        rsp = _results(page, index + 1)[index]
        if window is None:
            assert (rsp["success"], rsp["error_code"]) == (False, "UNKNOWN_CHANNEL_KEY")
            assert key in rsp["error_msg"]
            assert page.query_selector("iframe.iamport-frame") is None
            continue
        assert rsp["success"] is True, rsp
        assert (rsp["pg_provider"], rsp["pg_id"]) == window
        record = rest.get("/payments/{}".format(rsp["imp_uid"])).json()["response"]
        assert record["status"] == "paid"
    warned = page.logged("warning", "channelKey '{}'".format(KEY_B))
    assert len(warned) == 1 and "'kakaopay'" in warned[0] and "nice_v2.MID-b" in warned[0]
    assert_local_only(page)
    rest.close()
