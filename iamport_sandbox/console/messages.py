"""The console's words in Korean and English, in one table (issue 15): the notices a page
shows after an action, the status values (payments, webhook deliveries, schedules, PG
setting types) and the table headers. Pages show both languages at once, Korean first,
as ``"한국어 · English"`` — the sandbox has no language switch, and a developer reading
Iamport's Korean console learns its words here.

Templates call :func:`t` (every console page and the receipts get it in their context);
Python code calls :func:`t`, :func:`notice` and :func:`label`. The table holds text: where a
page marks up a value inside a sentence (``<code>``), the template passes that value as
markup (a macro's output) and :func:`t` escapes the rest. Fixed markup in an entry (a link
in a sentence) is rare, marked, and rendered ``|safe`` with no value (a test checks).
"""

from markupsafe import Markup, escape

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
    # The pages' own words (issue 23): names, headings, labels, buttons, help. An entry
    # says one thing and every page that says it uses the entry.
    # The navigation bar; a page's title and heading reuse its name here.
    "nav.label": ("콘솔", "Console"),
    "nav.pg_settings": ("PG 설정", "PG settings"),
    "nav.payments": ("결제내역", "Payments"),
    "nav.billing_keys": ("빌링키", "Billing keys"),
    "nav.schedules": ("예약결제", "Schedules"),
    "nav.webhooks": ("웹훅", "Webhooks"),
    "nav.keys": ("API 키", "API keys"),
    "nav.demo_shop": ("데모 상점", "Demo shop"),
    "password": ("비밀번호", "Password"),
    "logout": ("로그아웃", "Log out"),
    "user_code": ("가맹점 식별코드", "User code"),
    # Buttons and words several pages share.
    "save": ("저장", "Save"),
    "cancel": ("취소", "Cancel"),
    "all": ("전체", "All"),
    "tries": ("{count}회", "tries"),
    "refunded": ("환불", "refunded"),
    "receipt": ("영수증", "Receipt"),
    "vbank": ("가상계좌", "Virtual account"),
    "col.method": ("결제수단", "Method"),
    "pager.label": ("페이지", "Pages"),
    "pager.previous": ("이전", "Previous"),
    "pager.next": ("다음", "Next"),
    "latest": ("최근", "last"),
    # The API keys page.
    "keys.imp_key": ("REST API 키", "key (imp_key)"),
    "keys.imp_secret": ("REST API 시크릿", "secret (imp_secret)"),
    "keys.tail_unknown": (
        "끝자리를 모릅니다: 재발급하면 보입니다",
        "last characters unknown: regenerate to see them",
    ),
    "keys.hash_only": (
        "해시만 저장되므로 다시 볼 수 없습니다",
        "Only its hash is stored, so it cannot be shown again.",
    ),
    "keys.reference": ("REST API 레퍼런스", "REST API reference"),
    "keys.reference_help": (
        'PortOne의 v1 OpenAPI 문서, 이 샌드박스로 "Try it out"',
        'PortOne\'s v1 OpenAPI document, "Try it out" against this sandbox',
    ),
    "keys.new_secret": ("새 REST API secret", "New secret"),
    "keys.shown_once": ("지금 한 번만 표시됩니다", "shown this once; copy it now:"),
    "keys.old_secret_gone": (
        "이전 secret과 그것으로 발급한 토큰은 더 이상 쓸 수 없습니다",
        "The old secret and the tokens issued with it no longer work.",
    ),
    "keys.regenerate_heading": ("secret 재발급", "Regenerate the secret"),
    "keys.regenerate_understood": (
        "이전 secret이 즉시 중지됨을 이해합니다",
        "I understand the old secret stops working now",
    ),
    "keys.regenerate": ("재발급", "Regenerate"),
    # The webhooks page.
    "webhooks.url": ("결제 상태 변경 알림 URL", "Notification URL"),
    "webhooks.url_help": ("요청에 notice_url이 없을 때", "used when a request has no notice_url"),
    "webhooks.send_test": ("테스트 웹훅 보내기", "Send test"),
    "webhooks.chaos": ("웹훅 카오스", "Webhook chaos"),
    "webhooks.every_payment": ("모든 결제", "every payment"),
    "webhooks.deliveries": ("전송 내역", "Deliveries"),
    "webhooks.none": ("아직 웹훅이 없습니다", "No webhook deliveries yet."),
    # The login and password pages.
    "login.log_in": ("로그인", "Log in"),
    "login.heading": ("관리자 콘솔", "Admin console"),
    "login.merchant": ("가맹점 로그인", "merchant login"),
    "login.id": ("아이디", "Login"),
    "password.heading": ("비밀번호 변경", "Change password"),
    "password.other_sessions": (
        "변경하면 다른 모든 로그인 세션이 끝납니다",
        "Every other session of this account ends.",
    ),
    "password.current": ("현재 비밀번호", "Current password"),
    "password.new": ("새 비밀번호", "New password"),
    "password.repeat": ("새 비밀번호 확인", "Repeat it"),
    "password.change": ("변경", "Change"),
    # The PG settings, their form and the page that confirms a deletion.
    "settings.intro": (
        "결제 요청의 {channel_key}에 설정의 채널키를 넣으면 그 설정의 결제창이 열립니다. "
        "1번이 기본 PG입니다. {channel_key}도 {pg}도 없이 요청하면 기본 PG가 쓰입니다",
        "A request's {channel_key} opens the window of the setting with that key. No. 1 is "
        "the default PG, used when a request names neither {channel_key} nor {pg}; the "
        "others follow in this order.",
    ),
    "settings.default_badge": ("기본 PG", "Default"),
    "settings.edit": ("수정", "Edit"),
    "settings.up": ("위로", "Move up"),
    "settings.down": ("아래로", "Move down"),
    "settings.make_default": ("기본 PG로", "Make default"),
    "settings.delete": ("삭제", "Delete"),
    "settings.add": ("PG 추가", "Add PG"),
    "settings.add_heading": ("PG 추가", "Add PG setting"),
    "settings.edit_title": ("PG 수정", "Edit PG"),
    "settings.edit_heading": ("PG 수정", "Edit PG setting"),
    "settings.pg_service": ("PG 서비스", "PG service"),
    "settings.never_changes": ("변경되지 않습니다", "never changes"),
    "settings.mid": ("PG 상점아이디", "PG merchant ID (MID)"),
    "settings.purpose": ("용도", "Purpose (label)"),
    "settings.purpose_example": ("일반결제", "General payment"),
    "settings.sandbox_mode": ("테스트 모드", "Sandbox (test) mode"),
    "settings.set_default": ("기본 PG로 설정", "Set as the default PG"),
    "settings.default_moves": (
        "기존 기본 PG는 2번이 됩니다",
        "the current default becomes No. 2",
    ),
    "settings.credentials": ("PG 인증 정보", "PG credentials"),
    "settings.keep_empty": ("비워 두면 유지", "leave empty to keep"),
    "settings.delete_title": ("PG 삭제", "Delete PG setting"),
    "settings.delete_heading": ("PG 설정 삭제", "Delete PG setting"),
    "settings.delete_warning": (
        "이 설정을 삭제합니다. 되돌릴 수 없으며, 이 설정을 지정한 결제 요청은 기본 PG로 넘어갑니다",
        "This cannot be undone; requests naming this setting fall back to the default PG.",
    ),
    "settings.delete_default": (
        "기본 PG입니다. 삭제하면 {successor}이(가) 기본 PG가 됩니다",
        "This is the default PG: {successor} becomes the default.",
    ),
    "settings.delete_last": (
        "기본 PG입니다. 삭제하면 기본 PG가 없어집니다",
        "This is the default PG and the last setting: no PG will be left.",
    ),
    "empty.settings": ("등록된 PG가 없습니다", "No PG setting yet."),
    # The payments list and a payment's page.
    "payments.search": ("검색", "Search"),
    "payments.buyer": ("구매자", "buyer"),
    "payments.from": ("시작일", "From"),
    "payments.to": ("종료일", "To"),
    "payments.apply": ("조회", "Search"),
    "payments.reset": ("초기화", "Reset"),
    "payments.csv": ("CSV 내보내기", "Export CSV"),
    "payments.total": ("{count}건", "{count} payments"),
    "payments.total_one": ("{count}건", "{count} payment"),
    "payments.kst": ("시각은 KST", "times in KST"),
    "payment.heading": ("결제 상세", "Payment"),
    "payment.why_failed": ("실패 내역", "Why it failed"),
    "payment.due": ("입금기한", "due"),
    "payment.simulate_deposit": ("입금 시뮬레이션", "Simulate deposit"),
    "payment.refund": ("환불", "Refund"),
    "payment.refund_empty": ("비우면 전액 {amount}", "empty = full {amount}"),
    "payment.reason": ("사유", "Reason"),
    "payment.history": ("상태 이력", "Status history"),
    "payment.confirm_process": ("컨펌 프로세스", "Confirm process"),
    "payment.before_approval": ("승인 직전", "before approval"),
    "payment.only_200": ("HTTP 200만 승인", "only 200 approves"),
    "payment.refunded_total": ("환불 누계", "refunded"),
    "payment.refunds": ("환불 내역", "Refunds"),
    "payment.webhooks_sent": ("보낸 웹훅", "Webhooks sent"),
    # Rendered |safe (fixed markup, no value goes in: a test checks).
    "payment.no_webhooks": (
        "이 결제로 보낸 웹훅이 없습니다",
        'No webhook was sent for this payment (set a URL on the <a href="/console/webhooks">'
        "webhooks page</a> or pass <code>notice_url</code>).",
    ),
    "payment.request": ("요청 원문", "The request as sent"),
    "payment.server_made": (
        "서버 호출로 만들어진 결제입니다",
        "Made by a server-side call: no window request.",
    ),
    "payment.fields": ("모든 필드", "Every field"),
    # Billing keys and schedules.
    "billing_keys.intro": (
        "정기결제용 카드 (카드번호는 마스킹되어 저장됩니다)",
        "Saved cards for recurring payments (card numbers are stored masked only).",
    ),
    "billing_keys.item": ("빌링키", "Billing key"),
    "billing_keys.item_title": ("빌링키 {customer_uid}", "Billing key"),
    "billing_keys.all": ("빌링키 목록", "All billing keys"),
    "empty.billing_keys": ("아직 빌링키가 없습니다", "No billing keys yet."),
    "schedules.clock": ("샌드박스 시계", "Sandbox clock"),
    "schedules.due": (
        "예약시각이 지나면 샌드박스가 결제합니다",
        "Due schedules are charged by the sandbox.",
    ),
    "schedules.item": ("예약결제", "Schedule"),
    "schedules.item_title": ("예약결제 {merchant_uid}", "Schedule"),
    "schedules.all": ("예약결제 목록", "All schedules"),
    # Receipts.
    "receipt.none": ("영수증 없음", "No receipt"),
    "receipt.failed": ("결제 실패", "Payment failed"),
    "receipt.failed_text": (
        "영수증이 발급되지 않았습니다: 결제가 실패했습니다",
        "No receipt was issued: the payment failed.",
    ),
    "receipt.pending": ("결제 미완료", "Payment not completed"),
    "receipt.pending_text": (
        "결제창이 열려 있거나 이탈했습니다: 영수증이 없습니다",
        "The payment window is open or was abandoned: there is no receipt.",
    ),
    "receipt.order": ("주문명", "Order"),
    "receipt.apply_num": ("승인번호", "Approval no."),
    "receipt.deposit_due": ("입금기한", "Deposit due"),
    "receipt.date": ("일시", "Date (KST)"),
    "receipt.missing_title": ("영수증 없음", "No such receipt"),
    "receipt.missing": ("영수증을 찾을 수 없습니다", "No such receipt"),
    "receipt.missing_text": (
        "이 샌드박스에 {imp_uid} 결제가 없습니다",
        "The sandbox has no payment {imp_uid}.",
    ),
    "receipt.use_receipt_url": (
        "결제의 {receipt_url}을 쓰세요 (결제 응답과 REST API가 알려 줍니다)",
        "Use the payment's {receipt_url} (in the window's answer and the REST API).",
    ),
    # The console's 404 page.
    "missing.title": ("찾을 수 없음", "Not found"),
    "missing.heading": ("찾을 수 없습니다", "Not found"),
    "missing.no_such_item": ("이 계정에 그런 항목이 없습니다", "This account has no such item"),
    "missing.back": ("목록으로", "Back to the list"),
}


def t(key: str, **values: object) -> str:
    """``"한국어 · English"`` for ``key``, each half filled with ``values``; an unknown key
    shows as itself (a missing word must never break a page; tests check that every key a
    template uses is known). If a value is :class:`~markupsafe.Markup` (a template's
    ``<code>`` around it), the answer is markup too: the table's text and the other values
    escaped, that value as it is."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key.split(".", 1)[-1]
    if any(isinstance(value, Markup) for value in values.values()):
        pair = (escape(pair[0]), escape(pair[1]))
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
