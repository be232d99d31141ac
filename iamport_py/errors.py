"""Error codes of the SDK and the one error type that carries them.

Every failure the SDK can report reaches the merchant as a callback ``rsp`` with
``success: False``, one of the codes below as ``error_code`` and a human message
in Korean or English as ``error_msg``. Inside the SDK the failure travels as an
:class:`IamportError` until exactly one place (``Iamport._finish``) turns it into
that ``rsp``.
"""

# Codes of Iamport v1 itself.
PG_NOT_REGISTERED = "F1001"
ALREADY_PAID = "F1002"
USER_CANCEL = "F0005"
NOT_READY = "NOT_READY"

# Codes of our own: the lifecycle of a request in the page.
NOT_INITIALIZED = "NOT_INITIALIZED"
WINDOW_OPEN = "WINDOW_OPEN"
POPUP_BLOCKED = "POPUP_BLOCKED"
NO_BROWSER = "NO_BROWSER"
WINDOW_FAILED = "WINDOW_FAILED"

# Codes of our own: parameter validation, one per rule.
INVALID_PARAM = "INVALID_PARAM"
INVALID_TYPE = "INVALID_TYPE"
MISSING_AMOUNT = "MISSING_AMOUNT"
INVALID_AMOUNT = "INVALID_AMOUNT"
INVALID_CUSTOM_DATA = "INVALID_CUSTOM_DATA"
MERCHANT_UID_TOO_LONG = "MERCHANT_UID_TOO_LONG"
UNSUPPORTED_PAY_METHOD = "UNSUPPORTED_PAY_METHOD"
UNSUPPORTED_CURRENCY = "UNSUPPORTED_CURRENCY"
UNSUPPORTED_LANGUAGE = "UNSUPPORTED_LANGUAGE"
PHONE_NEEDS_DIGITAL = "PHONE_NEEDS_DIGITAL"
INVALID_VBANK_DUE = "INVALID_VBANK_DUE"
INVALID_BIZ_NUM = "INVALID_BIZ_NUM"
MISSING_CUSTOMER_UID = "MISSING_CUSTOMER_UID"
INVALID_TAX_FREE = "INVALID_TAX_FREE"
INVALID_VAT_AMOUNT = "INVALID_VAT_AMOUNT"
INVALID_PG = "INVALID_PG"
# Codes of our own: a channelKey no loaded setting of the request's type carries. A key
# is an exact reference, so there is no fallback to the default (see routing.py).
UNKNOWN_CHANNEL_KEY = "UNKNOWN_CHANNEL_KEY"
CHANNEL_KEY_WRONG_TYPE = "CHANNEL_KEY_WRONG_TYPE"

# Codes of our own: a call of window.IMP (imp.js) the SDK cannot carry out.
UNKNOWN_METHOD = "UNKNOWN_METHOD"
INVALID_CALL = "INVALID_CALL"
# Raised by imp.js itself (the sandbox writes this message into it): the interpreter, the
# SDK or its JS half did not load, so no Python runs to answer the request.
SDK_UNAVAILABLE = "SDK_UNAVAILABLE"

# Codes a window answers with (the sandbox's windows; never raised inside the SDK, which
# passes them on in ``rsp``): the declines a tester picks, an approval the sandbox
# refuses because the amount differs from the prepared one, and a window that could not
# reach the sandbox. They are here so that one table documents every code a callback
# can see.
CARD_DECLINED = "CARD_DECLINED"
INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
CARD_EXPIRED = "CARD_EXPIRED"
LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
WINDOW_ERROR = "WINDOW_ERROR"
# The merchant's confirm_url did not answer HTTP 200 before approval (confirm process).
CONFIRM_REFUSED = "CONFIRM_REFUSED"
# A certification window declined without a code of the tester's (Iamport documents none).
CERT_DECLINED = "CERT_DECLINED"

DECLINE_CODES = (CARD_DECLINED, INSUFFICIENT_FUNDS, CARD_EXPIRED, LIMIT_EXCEEDED)
"""The decline codes a sandbox window offers, in the order it lists them."""

# code -> (Korean message, English message); ``{name}`` fields are filled from
# the error's details. This table is the documentation of every code.
MESSAGES = {
    PG_NOT_REGISTERED: (
        "{action} 용도의 PG 설정이 등록되어 있지 않습니다.",
        "No PG setting of type '{action}' is registered.",
    ),
    ALREADY_PAID: (
        "이미 결제가 완료된 주문번호입니다: {merchant_uid}",
        "This merchant_uid is already paid: {merchant_uid}",
    ),
    USER_CANCEL: (
        "사용자가 결제를 취소하였습니다.",
        "The user cancelled the payment.",
    ),
    NOT_READY: (
        "가맹점 식별코드 {user_code}의 PG 설정 정보를 {service}에서 불러오지 못했습니다: {reason}",
        "The PG settings of user code {user_code} could not be loaded from {service}: {reason}",
    ),
    NOT_INITIALIZED: (
        "IMP.init(가맹점 식별코드)을 먼저 호출해야 합니다.",
        "Call IMP.init(user_code) first.",
    ),
    WINDOW_OPEN: (
        "이미 결제창이 열려 있습니다. 진행 중인 요청이 끝난 뒤 다시 시도해 주세요.",
        "A payment window is already open; try again when that request has ended.",
    ),
    POPUP_BLOCKED: (
        "브라우저가 결제 팝업을 차단했습니다. 팝업을 허용한 뒤 다시 시도해 주세요.",
        "The browser blocked the payment popup; allow popups and try again.",
    ),
    NO_BROWSER: (
        "브라우저 밖에서는 결제창을 열 수 없습니다.",
        "No browser is available to open a payment window.",
    ),
    WINDOW_FAILED: (
        "결제창을 열지 못했습니다: {reason}",
        "The payment window could not be opened: {reason}",
    ),
    INVALID_PARAM: (
        "결제 요청 파라미터는 객체(dict)여야 합니다.",
        "The request parameters must be an object (dict).",
    ),
    INVALID_TYPE: (
        "'{field}' 값의 형식이 올바르지 않습니다. {expected} 값이어야 합니다.",
        "'{field}' has the wrong type; expected {expected}.",
    ),
    MISSING_AMOUNT: (
        "결제금액(amount)은 필수입니다.",
        "amount is required.",
    ),
    INVALID_AMOUNT: (
        "결제금액(amount)이 올바르지 않습니다: {reason}",
        "amount is not valid: {reason}",
    ),
    INVALID_CUSTOM_DATA: (
        "custom_data는 JSON으로 변환할 수 있는 값이어야 합니다.",
        "custom_data must be JSON-serialisable.",
    ),
    MERCHANT_UID_TOO_LONG: (
        "주문번호(merchant_uid)는 최대 {limit}자입니다.",
        "merchant_uid is at most {limit} characters long.",
    ),
    UNSUPPORTED_PAY_METHOD: (
        "{pg}은(는) 결제수단 '{pay_method}'을(를) 지원하지 않습니다. 지원: {supported}",
        "{pg} does not support pay_method '{pay_method}'. Supported: {supported}",
    ),
    UNSUPPORTED_CURRENCY: (
        "{pg}은(는) 통화 '{currency}'을(를) 지원하지 않습니다. 지원: {supported}",
        "{pg} does not support currency '{currency}'. Supported: {supported}",
    ),
    UNSUPPORTED_LANGUAGE: (
        "{pg}은(는) 언어 '{language}'을(를) 지원하지 않습니다. 지원: {supported}",
        "{pg} does not offer language '{language}'. Supported: {supported}",
    ),
    PHONE_NEEDS_DIGITAL: (
        "휴대폰 소액결제(phone)는 digital(실물/디지털 여부) 값이 필요합니다.",
        "pay_method 'phone' requires digital (true for digital goods, false otherwise).",
    ),
    INVALID_VBANK_DUE: (
        "가상계좌 입금기한(vbank_due)이 필요하며 YYYYMMDD, YYYY-MM-DD, YYYYMMDDHHmm, "
        "YYYYMMDDHHmmss, YYYY-MM-DD HH:mm:ss 중 하나여야 합니다.",
        "pay_method 'vbank' requires vbank_due as YYYYMMDD, YYYY-MM-DD, YYYYMMDDHHmm, "
        "YYYYMMDDHHmmss or YYYY-MM-DD HH:mm:ss.",
    ),
    INVALID_BIZ_NUM: (
        "다날 가상계좌는 10자리 사업자등록번호(biz_num)가 필요합니다.",
        "danal_tpay with vbank requires a 10-digit biz_num (business registration number).",
    ),
    MISSING_CUSTOMER_UID: (
        "{pg}는 빌링키 발급용 customer_uid가 필요합니다.",
        "{pg} requires customer_uid (the billing key's id).",
    ),
    INVALID_TAX_FREE: (
        "면세공급가액(tax_free)은 0 이상, 결제금액 이하여야 합니다.",
        "tax_free must be between 0 and amount.",
    ),
    INVALID_VAT_AMOUNT: (
        "부가세(vat_amount)는 0 이상, 결제금액 이하여야 합니다.",
        "vat_amount must be between 0 and amount.",
    ),
    INVALID_PG: (
        "pg 값은 문자열이어야 합니다.",
        "pg must be a string.",
    ),
    UNKNOWN_CHANNEL_KEY: (
        "채널키 '{channel_key}'에 해당하는 PG 설정이 없습니다. 콘솔의 연동 정보에서 채널키를 "
        "확인해 주세요.",
        "No PG setting has the channel key '{channel_key}'; check the key in the console's "
        "integration settings.",
    ),
    CHANNEL_KEY_WRONG_TYPE: (
        "채널키 '{channel_key}'는 {kind} 용도의 PG 설정({setting})입니다. {action} 요청에는 "
        "{action} 용도의 채널키를 사용해 주세요.",
        "The channel key '{channel_key}' is the {kind} setting {setting}; a {action} request "
        "needs the key of a {action} setting.",
    ),
    UNKNOWN_METHOD: (
        "iamport_py에는 IMP.{method}이(가) 없습니다: iamport_py가 구현하지 않는 iamport.js "
        "기능이거나, imp.js와 SDK의 버전이 다릅니다.",
        "iamport_py has no IMP.{method}: an iamport.js feature it does not implement, or imp.js "
        "and the SDK are not the same version.",
    ),
    INVALID_CALL: (
        "IMP.{method} 호출의 인자를 읽을 수 없습니다: {reason}",
        "The arguments of IMP.{method} cannot be read: {reason}",
    ),
    SDK_UNAVAILABLE: (
        "결제 모듈(iamport_py)을 시작하지 못했습니다: {reason}",
        "The payment SDK (iamport_py) could not start: {reason}",
    ),
    CARD_DECLINED: ("카드사 승인 거절", "Declined by the card issuer"),
    INSUFFICIENT_FUNDS: ("잔액 부족", "Insufficient funds"),
    CARD_EXPIRED: ("유효기간 만료", "The card has expired"),
    LIMIT_EXCEEDED: ("한도 초과", "Credit limit exceeded"),
    AMOUNT_MISMATCH: (
        "사전등록 금액({prepared})과 결제요청 금액({amount})이 다릅니다.",
        "The amount ({amount}) differs from the prepared amount ({prepared}).",
    ),
    CERT_DECLINED: (
        "본인인증이 거절되었습니다.",
        "The identity check was declined.",
    ),
    CONFIRM_REFUSED: (
        "고객사 요청에 의해 결제를 중단합니다. (상세사유 : {reason})",
        "The merchant's server refused the payment (confirm process): {reason}",
    ),
    WINDOW_ERROR: (
        "결제창이 결제 서버에 연결하지 못했습니다: {reason}",
        "The payment window could not reach the payment service: {reason}",
    ),
}


class IamportError(Exception):
    """A failure of the SDK, carrying a documented ``code`` and its ``details``."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.details = details
        super().__init__(self.code + ": " + self.message("en"))

    def message(self, language: str = "ko") -> str:
        """The human message for this error, in Korean (``ko``) or English."""
        return error_message(self.code, language, self.details)


def error_message(
    code: str, language: str = "ko", details: "dict[str, object] | None" = None
) -> str:
    """Format the message of ``code`` in ``language`` (anything but ``ko`` is English)."""
    pair = MESSAGES.get(code)
    if pair is None:
        return code
    template = pair[0] if language == "ko" else pair[1]
    try:
        return template.format(**(details or {}))
    except (KeyError, IndexError, ValueError):
        # A missing detail must never turn an error report into a crash.
        return template
