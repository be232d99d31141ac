"""The checkout server's facts, each in one table: the PG codes iamport.js 1.3 sends to it,
how it names them (its enums and driver ids), the paths of its API and of the drivers.

Read from iamport.js 1.3 (``iamport-1.3.0.esm.js``, SDK_VERSION 1.10.0), not copied: its
``request_pay`` sends a request whose ``pg`` code is one of :data:`CHECKOUT_PGS` (Toss
Payments only without ``customer_uid``) to ``POST {CHECKOUT_SERVER}/api/prepare/v1``, loads the
driver ``pg/{provider}/{transaction}/{window}`` the answer names from
``{DRIVER_SERVE_URL}/<that id>-<hash>.js`` and hands the answer to it (docs/protocol.md §9).
"""

import re

from iamport_py.routing import split_pg

CHECKOUT_SERVER = "https://checkout-service.prod.iamport.co"
"""Where iamport.js 1.3 sends the six PGs (its ``CHECKOUT_SERVER`` slot)."""
DRIVER_SERVER = "https://cdn.portone.io"
"""Where it loads their drivers from (its ``DRIVER_SERVE_URL`` slot is ``…/drivers``)."""

CHECKOUT_PGS = ("tosspayments", "ksnet", "smartro_v2", "nice_v2", "toss_brandpay", "welcome")
"""The PG codes iamport.js 1.3 sends to the checkout server, in its order."""
OLD_ROAD_WITH_BILLING_KEY = ("tosspayments",)
"""Codes that stay on service.iamport.kr's windows when the request has ``customer_uid``."""

TRANSACTION = "PAYMENT"
"""The one transaction the sandbox's checkout server simulates (``REQUEST_PAY``)."""
ACTION = "REQUEST_PAY"
WINDOW_TYPE = "IFRAME"
"""The window type the sandbox answers, on a PC and on a phone alike (the sandbox's
window is the driver's UI, in an iframe over the page)."""

PREPARE_PATH = "/api/prepare/v1"
FAIL_PATH = "/api/fail/{pg_provider}/v1"
NOT_SIMULATED_PATHS = (
    ("POST", "/api/initialize-payment/v1"),
    ("POST", "/api/approve/{pg_provider}/v1"),
    ("POST", "/api/issue-prepare/v1"),
    ("POST", "/api/initialize-issue-billing-key/v1"),
    ("POST", "/api/issue-approve/{pg_provider}/v1"),
    ("POST", "/api/issue-fail/{pg_provider}/v1"),
    ("POST", "/api/issue-billing-key-and-pay-prepare/v1"),
    ("POST", "/api/issue-billing-key-and-pay-fail/{pg_provider}/v1"),
    ("GET", "/api/client-credentials/v1"),
)
"""What iamport.js 1.3 may also call on the checkout server (billing keys, IMP.loadUI,
IMP.loadModule): answered with a JSON 404 that the SDK reports to the callback."""
DRIVER_PATH = "/drivers/{driver:path}"

# pg/{provider}/payment/iframe-<hash>.js: the hash is the manifest's (base64url, "="
# padded) and changes with each SDK release, so any is taken; none is taken too.
DRIVER_FILE = re.compile(r"^(pg/([a-z0-9-]+)/payment/iframe)(?:-[A-Za-z0-9_-]+=*)?\.js$")


def checkout_code(pg: object, customer_uid: object = None) -> str | None:
    """The code of ``pg`` when iamport.js 1.3 sends that request to the checkout server."""
    if not isinstance(pg, str):
        return None
    code = split_pg(pg)[0]
    if code in OLD_ROAD_WITH_BILLING_KEY and customer_uid:
        return None
    return code if code in CHECKOUT_PGS else None


def provider_enum(code: str) -> str:
    """``nice_v2`` -> ``PG_PROVIDER_NICE_V2``, the name the prepare answer carries."""
    return "PG_PROVIDER_" + code.upper()


def code_of_provider(name: str) -> str | None:
    """The PG code of a provider as the SDK passes it back (``PG_PROVIDER_NICE_V2``,
    ``nice_v2``) or a driver id names it (``nice-v2``); None when not one of the six."""
    code = name.removeprefix("PG_PROVIDER_").lower().replace("-", "_")
    return code if code in CHECKOUT_PGS else None


def driver_id(code: str) -> str:
    """The driver the SDK loads for a payment of ``code``: ``pg/nice-v2/payment/iframe``."""
    return "pg/{}/{}/{}".format(code.replace("_", "-"), TRANSACTION.lower(), WINDOW_TYPE.lower())
