"""Code tables: ``GET /banks``, ``/banks/{code}``, ``/cards``, ``/cards/{code}`` (KFTC
standard codes; the tables are :mod:`iamport_sandbox.domain.tables`)."""

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.domain.tables import BANKS, CARDS
from iamport_sandbox.rest.common import merchant
from iamport_sandbox.wire import ApiError, envelope


def _entries(table: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in table.items()]


def _entry(request: Request, table: Mapping[str, str], what: tuple[str, str]) -> Response:
    merchant(request)
    code = request.path_params["code"]
    if code not in table:
        raise ApiError(404, "존재하지 않는 {} 코드입니다 (no such {} code)".format(*what), code=1)
    return envelope({"code": code, "name": table[code]})


async def banks(request: Request) -> Response:
    merchant(request)
    return envelope(_entries(BANKS))


async def bank(request: Request) -> Response:
    return _entry(request, BANKS, ("은행", "bank"))


async def cards(request: Request) -> Response:
    merchant(request)
    return envelope(_entries(CARDS))


async def card(request: Request) -> Response:
    return _entry(request, CARDS, ("카드사", "card"))


routes = [
    Route("/banks", banks, methods=["GET"]),
    Route("/banks/{code}", bank, methods=["GET"]),
    Route("/cards", cards, methods=["GET"]),
    Route("/cards/{code}", card, methods=["GET"]),
]
