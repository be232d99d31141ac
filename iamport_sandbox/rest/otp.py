"""OTP identity checks from the merchant's server (``POST /certifications/otp/request``,
``POST /certifications/otp/confirm/{imp_uid}``), as Danal and KCP (new module) offer them:
the person's details are checked, a 6-digit code "goes by SMS", and the code confirms a
certification record like those a window makes (``GET /certifications/{imp_uid}`` reads it).

The sandbox sends no SMS: the test kit reads the code
(``GET /sandbox/testkit/certifications/{imp_uid}/otp``). A code lives :data:`OTP_TTL`
seconds; :data:`MAX_TRIES` wrong codes fail the check. KCP v2's ``verification_method``
``APP`` has no code: the person confirms in the carrier's app, and the confirmation
sends no ``otp`` (within the same time).
"""

import calendar
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_py import resolve_pg
from iamport_py.errors import IamportError
from iamport_py.routing import CERTIFICATION
from iamport_sandbox import payment_views
from iamport_sandbox.domain import payments
from iamport_sandbox.fields import Data, bool_field, choice_field, text_field
from iamport_sandbox.rest.common import body, merchant, not_found
from iamport_sandbox.store import Row, Store, now
from iamport_sandbox.wire import ApiError, envelope, refusal

OTP_PGS = ("danal", "kcp_v2")
CARRIERS = ("SKT", "KT", "LGT")
OTP_TTL = 180
MAX_TRIES = 5
NO_REQUEST = "본인인증 요청건이 존재하지 않습니다 (no such OTP identity check)"


def _digits(data: Data, name: str) -> str:
    # Iamport drops every character but digits ("010-1234-5678", "90.01.31").
    return re.sub(r"\D", "", text_field(data, name, max_length=40))


def _person(data: Data) -> dict[str, str | bool]:
    phone, birth = _digits(data, "phone"), _digits(data, "birth")
    gender_digit = text_field(data, "gender_digit", max_length=1)
    if not re.fullmatch(r"01\d{8,9}", phone, re.ASCII):
        raise ApiError(400, "'phone' must be a mobile number (010-1234-5678)")
    if gender_digit not in tuple("12345678"):
        raise ApiError(400, "'gender_digit' must be one digit from 1 to 8")
    century = 1900 if gender_digit in "1256" else 2000
    year, month, day = century + int(birth[:2] or 0), int(birth[2:4] or 0), int(birth[4:] or 0)
    if len(birth) != 6 or not 1 <= month <= 12 or not 1 <= day <= _days(year, month):
        raise ApiError(400, "'birth' must be YYMMDD")
    return {
        "name": text_field(data, "name", max_length=50),
        "phone": phone,
        "birth": birth,
        "gender_digit": gender_digit,
        "carrier": choice_field(data, "carrier", CARRIERS, ""),
        "is_mvno": bool_field(data, "is_mvno"),
        "birthday": "{:04d}-{:02d}-{:02d}".format(year, month, day),
    }


def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0


def _setting(store: Store, found: Row, data: Data) -> dict[str, str]:
    """The identity-check setting ``channelKey`` or ``pg`` names (Danal or KCP v2)."""
    pg = text_field(data, "pg", required=False, max_length=100)
    channel_key = text_field(data, "channelKey", required=False, max_length=100)
    try:
        setting = resolve_pg(
            store.settings(found["id"]),
            pg,
            CERTIFICATION,
            warn=lambda _: None,
            channel_key=channel_key,
        )
    except IamportError as error:
        raise refusal(
            "{}: {} ({})".format(error.code, error.message("ko"), error.message("en"))
        ) from None
    if setting["pg_provider"] not in OTP_PGS:
        raise refusal(
            "OTP 본인인증을 지원하지 않는 PG사입니다 (OTP identity checks are Danal's and "
            "KCP v2's; the setting is {})".format(setting["pg_provider"])
        )
    return {"pg_provider": setting["pg_provider"], "pg_id": setting["pg_id"]}


async def request_otp(request: Request) -> Response:
    """Check the person's details and "send" the code; answers the check's ``imp_uid``."""
    found = merchant(request)
    data = await body(request)
    person = _person(data)
    text_field(data, "company", required=False, max_length=100)
    method = choice_field(data, "verification_method", ("SMS", "APP"), "SMS")
    merchant_uid = text_field(data, "merchant_uid", required=False, max_length=40) or ""
    store = request.app.state.store
    with store.transaction():
        setting = _setting(store, found, data)
        if method == "APP" and setting["pg_provider"] != "kcp_v2":
            raise ApiError(400, "'verification_method' APP is KCP v2's only")
        record = store.create_certification(
            found["id"], dict(setting, merchant_uid=merchant_uid, status="ready")
        )
        store.add_otp(
            found["id"],
            record["imp_uid"],
            dict(
                person,
                # APP: the person confirms in the carrier's app, no code (empty).
                code=""
                if method == "APP"
                else "".join(secrets.choice("0123456789") for _ in range(6)),
                expires_at=now() + OTP_TTL,
            ),
        )
    return envelope({"imp_uid": record["imp_uid"]})


def _wrong(store: Store, record: Row, otp: Row, reason: str) -> ApiError:
    """A code refused: one more try counted (the check fails at :data:`MAX_TRIES`)."""
    store.count_otp_attempt(record["merchant_id"], record["imp_uid"])
    if otp["attempts"] + 1 >= MAX_TRIES:
        payments.fail_certification(store, record, "OTP_FAILED", reason)
    return ApiError(400, reason, code=1)


async def confirm_otp(request: Request) -> Response:
    """Confirm the check with the code: a certified record (Iamport's certification)."""
    found = merchant(request)
    data = await body(request)
    code = text_field(data, "otp", required=False, max_length=20)
    store = request.app.state.store
    imp_uid = request.path_params["imp_uid"]
    with store.transaction():
        record, otp = store.certification(found["id"], imp_uid), store.otp(found["id"], imp_uid)
        if record is None or otp is None:
            raise not_found(NO_REQUEST)
        if not payments.is_open(record):
            raise ApiError(
                400, "이미 인증처리가 완료된 건입니다 (already {})".format(record["status"]), 1
            )
        if not code and otp["code"]:
            raise ApiError(400, "인증번호(otp)가 누락되었습니다 ('otp' is required)", code=1)
        if now() > otp["expires_at"]:
            failure = _wrong(store, record, otp, "인증번호 입력시간이 초과되었습니다 (expired)")
        elif not secrets.compare_digest((code or "").encode(), otp["code"].encode()):
            failure = _wrong(store, record, otp, "인증번호가 일치하지 않습니다 (wrong code)")
        else:
            failure = None
            record = _certify(store, found, record, otp)
    if failure is not None:  # the try is counted (committed) before the refusal
        raise failure
    return envelope(payment_views.rest_certification(record))


def _certify(store: Store, found: Row, record: Row, otp: Row) -> Row:
    certified = payments.certify(store, found, record, _person_of(otp))
    foreigner = otp["gender_digit"] in "5678"
    changed = store.update_certification(
        found["id"], certified["imp_uid"], {"foreigner": foreigner, "foreigner_v2": foreigner}
    )
    assert changed is not None  # certified just above, in this transaction
    return changed


def _person_of(otp: Row) -> dict[str, object]:
    century = 1900 if otp["gender_digit"] in "1256" else 2000
    birth = otp["birth"]
    return {
        "name": otp["name"],
        "phone": otp["phone"],
        "gender": "male" if int(otp["gender_digit"]) % 2 else "female",
        "birthday": "{}-{}-{}".format(century + int(birth[:2]), birth[2:4], birth[4:]),
        "carrier": otp["carrier"] + ("_MVNO" if otp["is_mvno"] else ""),
    }


routes = [
    Route("/certifications/otp/request", request_otp, methods=["POST"]),
    Route("/certifications/otp/confirm/{imp_uid}", confirm_otp, methods=["POST"]),
]
