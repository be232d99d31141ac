"""Make ``head_store.sqlite3``: a store written by the sandbox as it was before one numbered
migration list (commit 29ea7dd, four schema tracks: ``PRAGMA user_version`` 3 and the meta
keys ``rest_schema``, ``security_schema`` and ``console_schema`` at 1), holding one row or
more of every kind, for ``tests/sandbox/test_store_migrations.py`` to upgrade.

Run it against that commit's code, never the current one (which would write a store of
today's schema, and the test checks that the fixture is of the old one)::

    mkdir /tmp/head && git archive 29ea7dd iamport_sandbox | tar -x -C /tmp/head
    PYTHONPATH=/tmp/head python tests/sandbox/legacy/make_head_store.py

It writes the store (small pages, no WAL, so that it is a few KB) and ``head_store.json``:
the secrets the store keeps only as digests or hashes, which the test presents again.
"""

import json
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 365 * 24 * 3600
# Fixed inputs: the test compares the upgraded rows with them.
MERCHANT = (
    "legacy",
    "legacy-password-1",
    "imp20000002",
    "2000000000000002",
    "legacy-secret-0123456789-0123456789-abcd",
)
SETTINGS = (
    {
        "pg_provider": "html5_inicis",
        "pg_id": "MID-L1",
        "label": "first",
        "type": "payment",
        "sandbox": True,
        "channel_key": "channel-key-20000002-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
        "credentials": {"sign_key": "LEGACY-SIGN-KEY-123456"},
    },
    {
        "pg_provider": "kakaopay",
        "pg_id": "MID-L2",
        "label": "second",
        "type": "payment",
        "sandbox": True,
        "channel_key": "channel-key-20000002-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
    },
    {
        "pg_provider": "danal",
        "pg_id": "CERT-L",
        "label": "identity",
        "type": "certification",
        "sandbox": True,
        "channel_key": "channel-key-20000002-cccc-4ccc-8ccc-cccccccccccc",
    },
    {
        "pg_provider": "kcp",
        "pg_id": "TIER-L",
        "label": "tier",
        "type": "payment",
        "sandbox": False,
        "tier_code": "T01",
        "channel_key": "channel-key-20000002-dddd-4ddd-8ddd-dddddddddddd",
    },
)


def main(path):
    from iamport_sandbox.store import Store

    for name in (path, path + "-wal", path + "-shm"):
        if os.path.exists(name):
            os.remove(name)
    store = Store(path)
    login, password, user_code, imp_key, imp_secret = MERCHANT
    merchant = store.create_merchant(login, password, user_code, imp_key, imp_secret)
    mid = merchant["id"]
    store.create_merchant("other", "other-password-2")
    store.set_webhook_url(mid, "http://127.0.0.1:9/hook")
    settings = [store.add_setting(mid, values) for values in SETTINGS]
    store.reorder_setting(mid, settings[1], "default")

    paid = store.create_payment(
        mid,
        {
            "merchant_uid": "order-paid",
            "request_id": "req_1",
            "status": "ready",
            "amount": 1000,
            "currency": "KRW",
            "name": "tee",
            "pg_provider": "html5_inicis",
            "pg_id": "MID-L1",
            "pay_method": "card",
            "buyer_name": "홍길동",
            "request_json": {"pg": "html5_inicis.MID-L1", "amount": 1000},
        },
    )
    with store.transaction():
        store.add_payment_event(paid, {})
        paid = store.update_payment(
            mid,
            paid["imp_uid"],
            {
                "status": "paid",
                "paid_at": paid["started_at"] + 1,
                "apply_num": "12345678",
                "card_name": "신한카드",
                "card_number": "123456******1234",
                "channel": "pc",
            },
        )
        store.add_payment_event(paid, {})
        store.add_webhook(
            mid,
            paid["imp_uid"],
            "http://127.0.0.1:9/hook",
            {"imp_uid": paid["imp_uid"], "merchant_uid": "order-paid", "status": "paid"},
        )
    vbank = store.create_payment(
        mid,
        {
            "merchant_uid": "order-vbank",
            "status": "ready",
            "amount": 5000,
            "pg_provider": "html5_inicis",
            "pg_id": "MID-L1",
            "pay_method": "vbank",
            "vbank_num": "110-123-456789",
            "vbank_name": "신한은행",
            "vbank_date": 2000000000,
        },
    )
    store.add_payment_event(vbank, {"vbank_num": vbank["vbank_num"]})
    certification = store.create_certification(
        mid,
        {
            "merchant_uid": "order-cert",
            "request_id": "req_2",
            "status": "certified",
            "pg_provider": "danal",
            "pg_id": "CERT-L",
            "name": "홍길동",
            "phone": "01012345678",
            "certified": True,
            "unique_key": "uk-1",
        },
    )
    store.prepare(mid, "order-prepared", 2500)
    store.register_billing_key(
        mid,
        "customer-1",
        {
            "pg_provider": "html5_inicis",
            "pg_id": "MID-L1",
            "card_name": "신한카드",
            "card_number": "123456******1234",
            "customer_name": "홍길동",
        },
    )
    store.add_schedule(
        mid,
        {
            "customer_uid": "customer-1",
            "merchant_uid": "order-later",
            "schedule_at": 2000000000,
            "amount": 3000,
            "name": "monthly",
        },
    )
    store.save_cash_receipt(
        mid,
        paid["imp_uid"],
        {
            "receipt_tid": "rt-1",
            "apply_num": "ap-1",
            "type": "person",
            "identifier_type": "phone",
            "identifier": "01012345678",
            "amount": 1000,
            "vat": 91,
            "tax_free": 0,
            "applied_at": paid["started_at"] + 2,
        },
    )
    store.save_escrow_logis(
        mid,
        paid["imp_uid"],
        {
            "company": "CJ",
            "invoice": "inv-1",
            "sent_at": paid["started_at"] + 3,
            "sender": {"name": "shop"},
            "receiver": {"name": "buyer"},
        },
    )
    token, _ = store.issue_token(mid, 100 * YEAR)
    session_id, csrf = store.create_session(mid, 100 * YEAR)
    store.close()

    db = sqlite3.connect(path)  # a few KB: small pages, the WAL folded in
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA page_size=512")
    db.execute("VACUUM")
    db.close()
    secrets = {
        "merchant": dict(
            zip(("login", "password", "user_code", "imp_key", "imp_secret"), MERCHANT, strict=True)
        ),
        "settings": SETTINGS,
        "paid": paid["imp_uid"],
        "vbank": vbank["imp_uid"],
        "certification": certification["imp_uid"],
        "token": token,
        "session_id": session_id,
        "csrf": csrf,
    }
    with open(os.path.splitext(path)[0] + ".json", "w", encoding="utf-8") as out:
        json.dump(secrets, out, ensure_ascii=False, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "head_store.sqlite3"))
