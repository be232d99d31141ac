"""The console's words in Korean and English, in one table (issue 15): the notices a page
shows after an action, the status values (payments, webhook deliveries, schedules, PG
setting types) and the table headers. Pages show both languages at once, Korean first,
as ``"한국어 · English"`` — the sandbox has no language switch, and a developer reading
Iamport's Korean console learns its words here.

Templates call :func:`t` (every console page and the receipts get it in their context);
Python code calls :func:`t`, :func:`notice` and :func:`label`.
"""

SEPARATOR = " · "

MESSAGES = {
    # Notices: ``?notice=<name>`` after a redirect (unknown names show nothing).
    "notice.added": ("PG 설정을 추가했습니다", "PG setting added"),
    "notice.saved": ("PG 설정을 저장했습니다", "PG setting saved"),
    "notice.delete": ("PG 설정을 삭제했습니다", "PG setting deleted"),
    "notice.up": ("순서를 바꿨습니다", "Order changed"),
    "notice.down": ("순서를 바꿨습니다", "Order changed"),
    "notice.default": ("기본 PG를 바꿨습니다", "Default PG changed"),
    "notice.password": ("비밀번호를 바꿨습니다", "Password changed"),
    "notice.refunded": ("환불했습니다", "Refunded"),
    "notice.deposited": ("입금 처리했습니다", "Deposit recorded (paid)"),
    "notice.resent": ("웹훅을 다시 보냈습니다", "Webhook queued again"),
    "notice.webhook_saved": ("웹훅 URL을 저장했습니다", "Webhook URL saved"),
    "notice.test": ("테스트 웹훅을 보냈습니다", "Test webhook queued"),
    # Payment statuses: Iamport's four, and the console's split of ``ready``.
    "status.ready": ("준비", "Ready"),
    "status.paid": ("결제완료", "Paid"),
    "status.failed": ("결제실패", "Failed"),
    "status.cancelled": ("결제취소", "Cancelled"),
    "status.window": ("결제창 열림/이탈", "Window open / abandoned"),
    "status.vbank": ("입금대기", "Awaiting deposit"),
    # Webhook deliveries.
    "delivery.pending": ("대기", "Pending"),
    "delivery.retrying": ("재시도 중", "Retrying"),
    "delivery.delivered": ("전송됨", "Delivered"),
    "delivery.failed": ("실패", "Failed"),
    # Payment schedules.
    "schedule.scheduled": ("예약됨", "Scheduled"),
    "schedule.executed": ("실행됨", "Executed"),
    "schedule.revoked": ("예약취소", "Revoked"),
    # What a PG setting is for.
    "type.payment": ("결제", "Payment"),
    "type.certification": ("본인인증", "Certification"),
    # Table headers (and the labels of a table's cards on a phone).
    "col.no": ("순서", "No."),
    "col.time": ("시각", "Time"),
    "col.order": ("주문", "Order"),
    "col.pg": ("PG", "PG"),
    "col.pg_method": ("PG · 결제수단", "Method"),
    "col.mid": ("상점아이디", "MID"),
    "col.purpose": ("용도", "Purpose"),
    "col.type": ("구분", "Type"),
    "col.channel_key": ("채널키", "Channel key"),
    "copy": ("복사", "Copy"),
    "resend": ("다시 보내기", "Resend"),
    # What an empty table says.
    "empty.schedules": ("예약된 결제가 없습니다", "No schedules."),
    "empty.payments": ("결제가 없습니다", "No payments."),
    "empty.payments_matching": ("조건에 맞는 결제가 없습니다", "No payments match these filters."),
    "copied": ("복사됨", "Copied"),
    "col.credentials": ("인증 정보", "Credentials"),
    "col.actions": ("작업", "Actions"),
    "col.amount": ("금액", "Amount"),
    "col.status": ("상태", "Status"),
    "col.buyer": ("구매자", "Buyer"),
    "col.payload": ("내용", "Payload"),
    "col.url": ("URL", "URL"),
    "col.state": ("전송 상태", "State"),
    "col.imp_uid": ("아임포트 결제번호", "imp_uid"),
    "col.merchant_uid": ("주문번호", "merchant_uid"),
    "col.customer_uid": ("고객 식별자", "customer_uid"),
    "col.card": ("카드", "Card"),
    "col.card_number": ("카드번호", "Number"),
    "col.customer": ("고객", "Customer"),
    "col.address": ("주소", "Address"),
    "col.registered": ("등록일시", "Registered"),
    "col.updated": ("수정일시", "Updated"),
    "col.schedule_at": ("예약일시", "Scheduled for"),
    "col.schedule_status": ("예약 상태", "Schedule"),
    "col.payment": ("결제", "Payment"),
    "col.usage": ("용도", "Usage"),
    "col.name": ("주문명", "Name"),
    "col.executed": ("실행일시", "Executed"),
    "col.revoked": ("취소일시", "Revoked"),
    "col.failure": ("실패 사유", "Failure"),
    "col.error_code": ("오류 코드", "Error code"),
    # Why a form is refused (``{name}``: filled in by :func:`t`'s keywords, in both languages).
    "error.throttled": (
        "시도가 너무 많습니다. {seconds}초 후 다시 시도하세요",
        "Too many attempts; try again in {seconds} s",
    ),
    "error.login": ("로그인 정보가 올바르지 않습니다", "Wrong login or password"),
    "error.password_current": (
        "현재 비밀번호가 올바르지 않습니다",
        "The current password is wrong",
    ),
    "error.password_length": (
        "새 비밀번호는 {low}~{high}자",
        "The new password needs {low} to {high} characters",
    ),
    "error.password_differs": ("새 비밀번호가 서로 다릅니다", "The new passwords differ"),
    "error.date": ("{name}: 날짜는 YYYY-MM-DD", "{name}: a date is YYYY-MM-DD"),
    "error.status": ("알 수 없는 상태", "Unknown status '{status}'"),
    "error.page": ("page: 1 이상의 숫자", "page: a number from 1"),
    "error.refund_amount": ("환불 금액은 숫자", "The refund amount is a number"),
    "error.vbank_not_waiting": (
        "입금대기 중인 가상계좌가 아닙니다",
        "This payment is not a virtual account awaiting its deposit",
    ),
    "error.pg_unknown": ("알 수 없는 PG입니다", "Unknown PG service '{code}'"),
    "error.setting_type": (
        "용도는 payment 또는 certification",
        "Type must be payment or certification",
    ),
    "error.setting_serves": (
        "{pg_ko}은(는) {kind} 용도를 지원하지 않습니다",
        "{pg_en} does not serve {kind}",
    ),
    "error.mid_needed": (
        "{pg_ko}에는 PG 상점아이디(MID)가 필요합니다",
        "{pg_en} needs a PG merchant ID",
    ),
    "error.mid_characters": (
        "MID에 공백이나 / ? # % 를 쓸 수 없습니다",
        "A MID has no spaces or / ? # %",
    ),
    "error.confirm_box": ("확인란을 선택하세요", "Tick the box to confirm"),
    "error.webhook_url": ("웹훅 URL을 쓸 수 없습니다", "The webhook URL is refused: {reason}"),
    "error.webhook_first": ("먼저 웹훅 URL을 저장하세요", "Save a webhook URL first"),
    # What a console refund records as its reason when none is given.
    "refund.reason": ("콘솔 환불", "refunded in the console"),
    # The labels of a setting's PG credentials.
    "credential.sign_key": ("웹표준 signKey", "web-standard signKey"),
    "credential.merchant_key": ("빌링용 merchantKey", "billing merchantKey"),
    "credential.api_secret": ("PG API 시크릿", "PG API secret"),
}


def t(key: str, **values: object) -> str:
    """``"한국어 · English"`` for ``key``, each half filled with ``values``; an unknown key
    shows as itself (a missing word must never break a page; tests check that every key a
    template uses is known)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key.split(".", 1)[-1]
    try:
        korean, english = (half.format(**values) if values else half for half in pair)
    except (KeyError, IndexError, ValueError):
        korean, english = pair  # a missing value shows its placeholder, never a crash
    return korean if korean == english else korean + SEPARATOR + english


def notice(name: str | None) -> str | None:
    """The notice for ``?notice=name``, or ``None`` for no or an unknown name."""
    return t("notice." + name) if name and "notice." + name in MESSAGES else None


def label(kind: str, value: str | None) -> str:
    """A status value in both languages (``label("status", "paid")``); an unknown value
    shows as it is."""
    return t(kind + "." + value) if value and kind + "." + value in MESSAGES else (value or "")
