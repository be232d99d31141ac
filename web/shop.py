# The demo shop's page code: a merchant's checkout written in Python (Pyodide or MicroPython).
# It calls the SDK like any merchant would, then asks its own backend (/demo/verify) to
# check the payment with the REST API: a page must never trust its own callback alone.
import asyncio
import json
import sys

from pyscript import document, fetch, when, window

from iamport_py import IMP, parse_redirect

DEMO_USER_CODE = "imp10000001"
PRODUCT = "tee"


def query():
    params = window.URLSearchParams.new(window.location.search)
    found = {}
    for name in ("service", "user_code", "interpreter", "imp_uid"):
        value = params.get(name)
        if value:
            found[name] = str(value)
    return found


QUERY = query()
SERVICE = QUERY.get("service") or str(window.location.origin)
USER_CODE = QUERY.get("user_code") or DEMO_USER_CODE
# Running tasks, kept so that none is collected before it ends.
TASKS = set()
RUNTIME = "MicroPython" if sys.implementation.name == "micropython" else "Pyodide"


def element(name):
    return document.getElementById(name)


def show(name, text, css=None):
    node = element(name)
    node.textContent = text
    if css is not None:
        node.className = css


def as_json(value):
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:  # MicroPython has no ensure_ascii (and writes UTF-8 as it is)
        return json.dumps(value)


def pretty(rsp):
    # json.dumps(indent=...) is missing on MicroPython: one field per line by hand.
    lines = ["  " + json.dumps(key) + ": " + as_json(rsp[key]) for key in rsp]
    return "{\n" + ",\n".join(lines) + "\n}"


async def post(path, data):
    answer = await fetch(
        path, method="POST", headers={"Content-Type": "application/json"}, body=json.dumps(data)
    )
    body = await answer.json()
    if body.get("code") != 0:
        raise ValueError(body.get("message") or "request failed")
    return body["response"]


def chosen_route():
    """``{"channelKey": …}`` for a route the shop knows (today's way: the key copied from
    the console), ``{"pg": …}`` for the custom one (the legacy way), ``{}`` for the default."""
    for radio in document.querySelectorAll("input[name=route]"):
        if radio.checked:
            key = radio.getAttribute("data-channel-key")
            if key:
                return {"channelKey": str(key)}
            value = str(radio.value)
            pg = str(element("custom_pg").value).strip() if value == "custom" else value
            return {"pg": pg} if pg else {}
    return {}


def due_in_days(days):
    due = window.Date.new(window.Date.now() + days * 86400000)
    return "{:04d}{:02d}{:02d}".format(
        int(due.getFullYear()), int(due.getMonth()) + 1, int(due.getDate())
    )


def landing_url():
    # Mobile payments come back here: keep the page's own settings in the URL.
    extra = ""
    for name in ("service", "user_code", "interpreter"):
        if name in QUERY:
            extra += "&" + name + "=" + str(window.encodeURIComponent(QUERY[name]))
    return str(window.location.origin) + "/?landing=1" + extra


def count_callback():
    # The e2e tests count callbacks here (exactly one per request).
    body = document.body
    body.setAttribute("data-callbacks", str(int(body.getAttribute("data-callbacks") or "0") + 1))


async def verify(rsp):
    show("verification", "서버에서 검증 중… · Verifying on the server…", "verification")
    try:
        result = await post(
            "/demo/verify", {"imp_uid": rsp["imp_uid"], "merchant_uid": rsp["merchant_uid"]}
        )
    except Exception as failure:  # shown to the tester
        show("verification", "검증 실패 · Not verified: " + str(failure), "verification bad")
        return
    if result["verified"]:
        show(
            "verification",
            "검증 완료 · verified — {} {} paid, status {}".format(
                result["amount"], "KRW", result["status"]
            ),
            "verification good",
        )
    elif result.get("awaiting_deposit"):
        # An issued virtual account is an order awaiting payment, never a paid one.
        show(
            "verification",
            "입금 대기 · Awaiting deposit — not paid yet: {} KRW to {} {}".format(
                result["amount"], result["vbank_name"], result["vbank_num"]
            ),
            "verification pending",
        )
    else:
        show(
            "verification", "검증 실패 · Not verified: " + str(result["reason"]), "verification bad"
        )


def show_result(rsp):
    element("result").hidden = False
    show("rsp", pretty(rsp))
    show("verification", "")
    if rsp.get("success"):
        show(
            "verdict",
            "결제 성공 · Payment succeeded ({})".format(rsp.get("imp_uid")),
            "verdict good",
        )
    else:
        said = [str(part) for part in (rsp.get("error_code"), rsp.get("error_msg")) if part]
        show("verdict", "결제 실패 · Payment failed: " + " ".join(said), "verdict bad")
    document.body.dataset.lastRsp = json.dumps(rsp)


async def on_rsp_async(rsp):
    show_result(rsp)
    if rsp.get("success") and rsp.get("imp_uid"):
        await verify(rsp)
    element("pay").disabled = False


def run_later(coroutine):
    # MicroPython's tasks have no add_done_callback: the task removes itself.
    holder = []

    async def run():
        try:
            await coroutine
        finally:
            TASKS.discard(holder[0])

    holder.append(asyncio.create_task(run()))
    TASKS.add(holder[0])


def on_rsp(rsp):
    count_callback()
    # The callback itself stays synchronous; the verification runs on after it.
    run_later(on_rsp_async(rsp))


@when("click", "#pay")
async def pay(event):
    element("pay").disabled = True
    quantity = int(str(element("quantity").value))
    try:
        order = await post("/demo/orders", {"product": PRODUCT, "quantity": quantity})
    except ValueError as refused:  # the shop's server answered no: no Iamport code applies
        show_result(
            {
                "success": False,
                "error_code": None,
                "error_msg": "주문을 만들지 못했습니다 · The order was refused: " + str(refused),
            }
        )
        element("pay").disabled = False
        return
    except Exception as failure:  # unreachable: this shop's server is the sandbox itself
        recheck_service(str(failure))
        return
    param = chosen_route()
    param.update(
        {
            "pay_method": str(element("pay_method").value),
            "merchant_uid": order["merchant_uid"],
            "name": order["name"],
            "amount": order["amount"],
            "buyer_name": str(element("buyer_name").value),
            "buyer_email": str(element("buyer_email").value),
            "buyer_tel": str(element("buyer_tel").value),
            "m_redirect_url": landing_url(),
            "custom_data": {"quantity": quantity},
        }
    )
    if param["pay_method"] == "vbank":
        param["vbank_due"] = due_in_days(3)
    if param["pay_method"] == "phone":
        param["digital"] = False
    if element("billing").checked:
        param["customer_uid"] = "cust_" + order["merchant_uid"]
    IMP.request_pay(param, on_rsp)


def recheck_service(reason):
    # The shop's server could not be reached, and in this demo it is the sandbox: load the
    # settings again so that the badge says what holds now, and when they fail too, let the
    # SDK report it (NOT_READY, naming the user code and the service) through the callback.
    IMP.init(USER_CODE, service=SERVICE)

    def after(state):
        on_ready(state)
        if state == "failed":
            param = chosen_route()
            param["pay_method"] = str(element("pay_method").value)
            IMP.request_pay(param, on_rsp)
        else:
            show_result(
                {
                    "success": False,
                    "error_code": None,
                    "error_msg": "상점 서버에 연결할 수 없습니다 · The shop's server cannot "
                    "be reached: " + reason,
                }
            )
            element("pay").disabled = False

    IMP.when_ready(after)


def on_ready(state):
    document.body.dataset.impState = state
    element("pay").disabled = False
    if state == "ready":
        show(
            "runtime",
            "{} · PG {}개 준비됨 · {} PG settings ready".format(
                RUNTIME, len(IMP.settings), len(IMP.settings)
            ),
            "runtime ready",
        )
    else:
        show(
            "runtime",
            "{} · {}의 PG 설정을 불러오지 못했습니다 · settings of {} not loaded from {}".format(
                RUNTIME, USER_CODE, USER_CODE, SERVICE
            ),
            "runtime failed",
        )


IMP.init(USER_CODE, service=SERVICE)
IMP.when_ready(on_ready)
document.body.dataset.runtime = RUNTIME

if "imp_uid" in QUERY:
    # Back from a mobile payment window: the result is in our own URL.
    landed = parse_redirect(str(window.location.href))
    count_callback()
    run_later(on_rsp_async(landed))
