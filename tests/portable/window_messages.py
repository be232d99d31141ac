"""What a sandbox (or service.iamport.kr) window posts to the merchant page: JSON strings
exactly as they arrive, with ``{rid}`` for the request id. The portable tests play them
against the SDK; ``tests/sandbox/test_window_message_samples.py`` holds them to the real
sandbox window (the same fields, values and envelope as its answer to the same request), so
they cannot drift from what a window sends."""

from iamport_py.testing import SERVICE

# kakaopay (MID-c, the seed's settings), order-1 of 1000 won (tests.portable.helpers.PARAM).
APPROVED = (
    '{"action": "done", "data": {"success": true, "imp_uid": "imp_100000000001", '
    '"merchant_uid": "order-1", "paid_amount": 1000, "status": "paid", '
    '"pg_provider": "kakaopay", "pg_id": "MID-c", "request_id": "{rid}"}}'
)
DECLINED = (
    '{"action": "done", "data": {"success": false, "imp_uid": "imp_100000000002", '
    '"merchant_uid": "order-1", "status": "failed", "error_code": "LIMIT_EXCEEDED", '
    '"error_msg": "limit", "request_id": "{rid}"}}'
)

# A popup PG (eximbay, EXI-1), order-2 of 10 USD: the window asks the page to open the PG
# page in the popup with its form, then the popup answers.
POPUP_SETTINGS = [{"pg_provider": "eximbay", "pg_id": "EXI-1", "type": "payment"}]
EXIMBAY = {"pg": "eximbay", "amount": 10, "currency": "USD", "merchant_uid": "order-2"}
EXIMBAY_MODAL = (
    '{"action": "eximbay.modal", "data": {"action": "'
    + SERVICE
    + '/sandbox/pg/imp_100000000003", "formData": {"imp_uid": "imp_100000000003", '
    '"request_id": "{rid}", "user_code": "imp12345678", '
    '"origin": "https://shop.test", "action": "payment", "amount": "10", '
    '"currency": "USD", "pay_method": "card", "merchant_uid": "order-2", '
    '"pg_provider": "eximbay", "pg_id": "EXI-1"}, "impUid": "imp_100000000003"}}'
)
POPUP_APPROVED = (
    '{"action": "done", "data": {"success": true, "imp_uid": "imp_100000000003", '
    '"merchant_uid": "order-2", "paid_amount": 10, "currency": "USD", '
    '"request_id": "{rid}"}}'
)
POPUP_CANCELLED = (
    '{"action": "done", "data": {"success": false, "imp_uid": "imp_100000000003", '
    '"merchant_uid": "order-2", "error_code": "F0005", '
    '"error_msg": "cancelled", "request_id": "{rid}"}}'
)
