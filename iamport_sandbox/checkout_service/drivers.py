"""The PG drivers iamport.js 1.3 loads from ``https://cdn.portone.io/drivers/…`` after the
checkout server's prepare: ``GET /drivers/pg/{provider}/payment/iframe-<hash>.js`` serves
the sandbox's one driver (static/driver.js) with that driver id written in, for the six
checkout-server PGs; any other driver is a 404, which the SDK reports to the callback."""

import json
import os

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.checkout_service import facts
from iamport_sandbox.wire import error_body

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static", "driver.js")
ID_MARK = "/* driver id */ null"


def driver_script(driver_id: str) -> str:
    """The driver as served for ``driver_id`` (``pg/tosspayments/payment/iframe``)."""
    with open(SCRIPT, encoding="utf-8") as handle:
        return handle.read().replace(ID_MARK, json.dumps(driver_id))


async def driver(request: Request) -> Response:
    """``GET /drivers/{file}``: the driver of a checkout-server PG."""
    match = facts.DRIVER_FILE.match(request.path_params["driver"])
    code = facts.code_of_provider(match.group(2)) if match else None
    if match is None or code is None or match.group(1) != facts.driver_id(code):
        return error_body(404, "no such driver")
    return Response(
        driver_script(match.group(1)),
        media_type="text/javascript; charset=utf-8",
        # The real files are named by their hash; ours changes with the sandbox.
        headers={"Cache-Control": "no-cache"},
    )


routes = [Route(facts.DRIVER_PATH, driver, methods=["GET"])]
"""The drivers' route."""
