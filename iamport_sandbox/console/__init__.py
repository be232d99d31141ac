"""The merchant console (the seed's "Admin Dashboard"): its routes, in one table.

The pages live one area to a module (login, PG settings, payments, webhooks, API keys,
subscriptions); what they share (the session, CSRF, rendering, the login guard) lives in
``session``, ``render`` and ``guard``, and :class:`ConsoleHeaders` forbids framing every
console response. This package imports its page modules; they never import it back.
"""

from starlette.routing import Route

from iamport_sandbox.console import (
    key_pages,
    login_pages,
    payment_pages,
    setting_pages,
    subscription_pages,
    webhook_pages,
)
from iamport_sandbox.console.headers import ConsoleHeaders

__all__ = ["ConsoleHeaders", "routes"]

routes = [
    Route("/console", login_pages.home, methods=["GET"]),
    Route("/console/login", login_pages.login_page, methods=["GET"]),
    Route("/console/login", login_pages.login, methods=["POST"]),
    Route("/console/logout", login_pages.logout, methods=["POST"]),
    Route("/console/password", login_pages.password_page, methods=["GET"]),
    Route("/console/password", login_pages.change_password, methods=["POST"]),
    Route("/console/pg", setting_pages.settings_page, methods=["GET"]),
    Route("/console/pg", setting_pages.add_setting, methods=["POST"]),
    Route("/console/pg/new", setting_pages.new_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}/edit", setting_pages.edit_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}", setting_pages.update_setting, methods=["POST"]),
    Route("/console/pg/{setting_id}/delete", setting_pages.delete_setting_page, methods=["GET"]),
    Route("/console/pg/{setting_id}/delete", setting_pages.delete_setting, methods=["POST"]),
    Route("/console/pg/{setting_id}/up", setting_pages.move_up, methods=["POST"]),
    Route("/console/pg/{setting_id}/down", setting_pages.move_down, methods=["POST"]),
    Route("/console/pg/{setting_id}/default", setting_pages.make_default, methods=["POST"]),
    Route("/console/billing-keys", subscription_pages.billing_keys_page, methods=["GET"]),
    Route(
        "/console/billing-keys/{customer_uid:path}",
        subscription_pages.billing_key_page,
        methods=["GET"],
    ),
    Route("/console/schedules", subscription_pages.schedules_page, methods=["GET"]),
    Route(
        "/console/schedules/{merchant_uid:path}",
        subscription_pages.schedule_page,
        methods=["GET"],
    ),
    Route("/console/payments", payment_pages.payments_page, methods=["GET"]),
    Route("/console/payments.csv", payment_pages.payments_csv, methods=["GET"]),
    Route("/console/payments/{imp_uid}", payment_pages.payment_page, methods=["GET"]),
    Route("/console/payments/{imp_uid}/refund", payment_pages.refund, methods=["POST"]),
    Route("/console/payments/{imp_uid}/deposit", payment_pages.deposit, methods=["POST"]),
    Route("/console/webhooks", webhook_pages.webhooks_page, methods=["GET"]),
    Route("/console/webhook", webhook_pages.set_webhook_url, methods=["POST"]),
    Route("/console/webhooks/test", webhook_pages.send_test, methods=["POST"]),
    Route("/console/webhooks/{webhook_id}/resend", webhook_pages.resend, methods=["POST"]),
    Route("/console/keys", key_pages.keys_page, methods=["GET"]),
    Route("/console/keys/regenerate", key_pages.regenerate, methods=["POST"]),
]
