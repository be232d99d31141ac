"""The payment window's facts, each in one table: the kinds of window, the outcomes a
tester may record, the sandbox PG page's form, the codes the window answers with, the
paths of its API and the Korean · English texts its scripts show.

Python reads them here; the templates get them in their context (:mod:`.pages`); the
scripts get :func:`script_facts` written in where they say ``/* window facts */ null``
(:mod:`.inline`), as imp.js gets its interpreter table. A fact is never spelled twice.
"""

from dataclasses import dataclass
from typing import Any

from iamport_py import errors, protocol


@dataclass(frozen=True)
class Kind:
    """One kind of window: a payment or an identity check (certification)."""

    name: str
    """The request's ``action`` and the setting's ``type``."""
    segment: str
    """The window URL's first path segment (docs/protocol.md §1)."""
    outcomes: tuple[str, ...]
    """What a tester may record, the approving outcome first."""
    approve_label: str
    """The approving button's text."""
    identity: bool
    """Whether the window asks for a person (name and phone) to certify."""

    @property
    def approve(self) -> str:
        """The approving outcome."""
        return self.outcomes[0]


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "payment",
            protocol.WINDOW_SEGMENTS["payment"],
            ("approve", "decline", "cancel"),
            "승인 · Approve",
            False,
        ),
        Kind(
            "certification",
            protocol.WINDOW_SEGMENTS["certification"],
            ("certify", "decline", "cancel"),
            "본인인증 완료 · Verify",
            True,
        ),
    )
}
"""The kinds of window by name (the request's ``action``)."""

OUTCOMES = tuple(dict.fromkeys(o for kind in KINDS.values() for o in kind.outcomes))
"""Every outcome of any kind, in order (approve, decline, cancel, certify)."""


def one_of(names: tuple[str, ...] | list[str]) -> str:
    """``a, b or c``: the values an error message lists."""
    return " or ".join((", ".join(names[:-1]), names[-1])) if len(names) > 1 else names[0]


# The request id is opaque to the window and at most this long (docs/protocol.md §2).
REQUEST_ID_MAX = 80


@dataclass(frozen=True)
class FormField:
    """One field of the sandbox PG page's form."""

    name: str
    required: bool
    max_length: int


PG_FORM = (
    FormField("imp_uid", True, 40),
    FormField("request_id", True, REQUEST_ID_MAX),
    FormField("user_code", True, 40),
    FormField("origin", True, 200),
    FormField("action", True, 20),
    FormField("name", False, 200),
    FormField("amount", False, 40),
    FormField("currency", False, 10),
    FormField("pay_method", False, 40),
    FormField("merchant_uid", False, 80),
    FormField("pg_provider", False, 40),
    FormField("pg_id", False, 80),
    FormField("buyer_name", False, 60),
    FormField("vbank_due", False, 40),
    FormField("language", False, 10),
)
"""The form a popup PG's window sends into the popup (``<pg>.modal``, docs/protocol.md §5)
and the PG page takes, field by field: the window fills it from this list."""

# The decline codes a tester may pick, with the message the window sends for each, in
# Korean and English (the request's `language` chooses): the SDK's one code table.
DECLINE_CODES = tuple((code, *errors.MESSAGES[code]) for code in errors.DECLINE_CODES)

# A declined identity check with no code or message from the tester (Iamport documents no
# code for it: the sandbox's own, in the SDK's one code table).
CERT_DECLINED = errors.CERT_DECLINED

# What the page posts to the window when the shopper closed the popup: the SDK's
# spelling and the other one some PGs use (docs/protocol.md §5).
CLOSE_RESULTS = (protocol.POPUP_CLOSED, "check.closing")

# The window's API and the PG page (routes in .recording and .pages; {imp_uid} filled in).
OPEN_PATH = "/sandbox/windows/open"
COMPLETE_PATH = "/sandbox/windows/{imp_uid}/complete"
PG_PAGE_PATH = "/sandbox/pg/{imp_uid}"

TEXTS = {
    "waiting": "결제 요청을 기다리는 중… · Waiting for the request…",
    "choose": "결제를 진행해 주세요 · Choose an outcome",
    "done": "완료되었습니다 · Done",
    "failed": "실패 · Failed: {code} {message}",
    "error": "오류 · Error: {message}",
    "no_setting": "이 가맹점에 해당 PG 설정이 없습니다 · No such PG setting for this merchant.",
    "preparing_popup": "팝업을 준비하는 중… · Preparing the popup…",
    "continue_in_popup": "팝업에서 진행해 주세요 · Continue in the popup",
    "popup_only": (
        "이 페이지는 결제 팝업으로만 열립니다 · This page only works as the payment popup"
    ),
    "vbank_note": "가상계좌 발급 · A virtual account will be issued (due {due})",
    "vbank_approve": "가상계좌 발급 · Issue virtual account",
    "billing_note": "빌링키 발급 · A billing key will be issued for customer_uid {customer_uid}",
    "bad_redirect": "m_redirect_url이 올바르지 않습니다 · m_redirect_url is not an http(s) URL",
    "unreadable": "요청을 읽을 수 없습니다 · The request could not be read",
    "title": "{pg_name} · Iamport sandbox",
}
"""The Korean · English texts the scripts show (``{name}``: filled in by the script), and
those the templates share with them."""

LABELS = {
    "person_name": "이름 · Name",
    "person_phone": "휴대폰 · Phone",
    "order_name": "주문명 · Order",
    "order_amount": "결제금액 · Amount",
    "order_method": "결제수단 · Method",
    "order_buyer": "구매자 · Buyer",
    "order_merchant_uid": "주문번호 · merchant_uid",
    "decline_open": "거절 · Decline…",
    "error_code": "오류 코드 · Error code",
    "message": "메시지 · Message",
    "send_decline": "거절 보내기 · Send decline",
    "cancel": "취소 · Cancel",
    "rules": "이 PG의 요청 규칙 · Rules of this PG",
    "this_request": "이 요청 · this request",
    "required": "필수 · required",
    "optional": "선택 · optional",
}
"""The Korean · English labels only the templates show (the scripts never change them)."""

# The person an identity check's form starts with (the tester may change it).
SAMPLE_PERSON = {"name": "홍길동", "phone": "01012345678"}

# The words around a value the rules list shows in both languages: ``(Korean after the
# value, English before it)``, as "<code>pg=x</code>일 때 · when <code>pg=x</code>" reads.
AROUND_A_VALUE = {"when": ("일 때", "when"), "without": ("제외", "without")}


def script_facts() -> dict[str, Any]:
    """What the window's scripts know, written into them as they are served."""
    return {
        "kinds": {
            name: {
                "approve": kind.approve,
                "approveLabel": kind.approve_label,
                "identity": kind.identity,
            }
            for name, kind in KINDS.items()
        },
        "pgForm": [field.name for field in PG_FORM],
        "requestIdMax": REQUEST_ID_MAX,
        "sdkName": protocol.SDK_NAME,
        "closeResults": list(CLOSE_RESULTS),
        "codes": {
            "noSetting": errors.PG_NOT_REGISTERED,
            "windowError": errors.WINDOW_ERROR,
        },
        "paths": {"open": OPEN_PATH, "complete": COMPLETE_PATH, "pgPage": PG_PAGE_PATH},
        "texts": TEXTS,
    }
