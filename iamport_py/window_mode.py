"""How a request's window opens: the window-mode policy, one pure function.

- ``redirect``: on a mobile device when the request has ``m_redirect_url`` (the whole
  page goes to the window; the outcome comes back to that URL);
- ``popup``: when the request asks for it (``popup: True``) or the PG's window is a
  popup in the catalog (PayPal, Eximbay, Naver Pay, …);
- ``iframe`` otherwise: a full-page overlay the shopper can close.
"""

from iamport_py.catalog import IFRAME, POPUP, get_pg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from iamport_py.bridge import JsonDict

REDIRECT = "redirect"
MODES = (IFRAME, POPUP, REDIRECT)


def window_mode(request: "JsonDict", is_mobile: bool) -> str:
    """``"redirect"``, ``"popup"`` or ``"iframe"`` for a validated ``request``."""
    if request.get("m_redirect_url") and is_mobile:
        return REDIRECT
    pg = get_pg(request.get("pg_provider")) or {}
    if request.get("popup") is True or pg.get("window") == POPUP:
        return POPUP
    return IFRAME
