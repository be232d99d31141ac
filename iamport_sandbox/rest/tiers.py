"""Tiers (``/tiers/{tier_code}``): an agency's sub-merchants, read, added, renamed and
deleted. A tier's PG settings are its own: ``IMP.agency(user_code, tier_code)`` and the
settings endpoint's ``?tier=`` read them, and deleting a tier deletes them."""

import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.fields import text_field
from iamport_sandbox.rest.common import body, merchant, not_found
from iamport_sandbox.store import Row, Store, StoreError
from iamport_sandbox.wire import ApiError, envelope

# Iamport's rule: exactly three upper-case letters or digits.
TIER_CODE = re.compile(r"^[A-Z0-9]{3}$", re.ASCII)
NO_TIER = "등록되지 않았거나 이미 삭제된 tier_code입니다 (no such tier)"


def show_tier(tier: Mapping[str, Any]) -> dict[str, Any]:
    """A tier as Iamport shows it."""
    return {"tier_code": tier["tier_code"], "tier_name": tier["tier_name"]}


def _code(request: Request) -> str:
    """The path's ``tier_code``: a 400 when it breaks the rule (a look-up of one is a 404)."""
    code: str = request.path_params["tier_code"]
    if not TIER_CODE.match(code):
        raise ApiError(400, "'tier_code' must be 3 upper-case letters or digits")
    return code


def _tier_or_404(store: Store, found: Row, request: Request) -> Row:
    code: str = request.path_params["tier_code"]
    tier = store.tier(found["id"], code) if TIER_CODE.match(code) else None
    if tier is None:
        raise not_found(NO_TIER)
    return tier


async def _name(request: Request) -> str:
    name = text_field(await body(request), "tier_name", max_length=100).strip()
    if not name:
        raise ApiError(400, "'tier_name' must not be blank")
    return name


async def get_tier(request: Request) -> Response:
    found = merchant(request)
    return envelope(show_tier(_tier_or_404(request.app.state.store, found, request)))


async def add_tier(request: Request) -> Response:
    """Register a tier; a code already registered is refused (400, as the document says)."""
    found = merchant(request)
    code, name = _code(request), await _name(request)
    try:
        tier = request.app.state.store.add_tier(found["id"], code, name)
    except StoreError:
        raise ApiError(
            400, "이미 등록된 tier_code입니다 (tier_code already registered)", code=1
        ) from None
    return envelope(show_tier(tier))


async def rename_tier(request: Request) -> Response:
    found = merchant(request)
    store = request.app.state.store
    name = await _name(request)
    with store.transaction():
        tier = _tier_or_404(store, found, request)
        renamed = store.rename_tier(found["id"], tier["tier_code"], name)
    return envelope(show_tier(renamed))


async def delete_tier(request: Request) -> Response:
    """Delete a tier and its PG settings; the answer is the tier as it was."""
    found = merchant(request)
    store = request.app.state.store
    with store.transaction():
        tier = _tier_or_404(store, found, request)
        store.delete_tier(found["id"], tier["tier_code"])
    return envelope(show_tier(tier))


routes = [
    Route("/tiers/{tier_code}", get_tier, methods=["GET"]),
    Route("/tiers/{tier_code}", add_tier, methods=["POST"]),
    Route("/tiers/{tier_code}", rename_tier, methods=["PUT"]),
    Route("/tiers/{tier_code}", delete_tier, methods=["DELETE"]),
]
