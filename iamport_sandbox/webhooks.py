"""Webhooks: on every status change, POST ``{imp_uid, merchant_uid, status}`` to the
payment's ``notice_url`` (or the merchant's configured URL), in the background,
with bounded retries. Every delivery is recorded, so the console shows it and a
restart resumes what was still pending."""

import asyncio
import json
import logging

import httpx

log = logging.getLogger("iamport_sandbox.webhooks")


class WebhookSender:
    def __init__(self, store, config, transport=None):
        self.store = store
        self.config = config
        self._transport = transport
        self._queue = None
        self._worker = None
        self._client = None
        self._timers = set()

    async def start(self):
        self._queue = asyncio.Queue()
        self._client = httpx.AsyncClient(timeout=self.config.webhook_timeout,
                                         transport=self._transport, follow_redirects=False)
        self._worker = asyncio.create_task(self._run())
        for webhook in self.store.pending_webhooks():
            self._queue.put_nowait((webhook["id"], webhook["attempts"]))

    async def stop(self):
        for timer in list(self._timers):
            timer.cancel()
        if self._worker:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        if self._client:
            await self._client.aclose()

    def notify(self, merchant, payment):
        """Queue one delivery per target URL for ``payment``'s current status."""
        urls = json.loads(payment["notice_url"]) if payment["notice_url"] else []
        if not urls and merchant["webhook_url"]:
            urls = [merchant["webhook_url"]]
        payload = {"imp_uid": payment["imp_uid"], "merchant_uid": payment["merchant_uid"],
                   "status": payment["status"]}
        for url in urls:
            if not url.startswith(("http://", "https://")):
                continue
            webhook_id = self.store.add_webhook(merchant["id"], payment["imp_uid"], url, payload)
            if self._queue is not None:
                self._queue.put_nowait((webhook_id, 0))

    async def _run(self):
        while True:
            webhook_id, attempts = await self._queue.get()
            try:
                await self._deliver(webhook_id, attempts)
            except Exception:  # a bad URL or a bug must not stop the worker
                log.exception("webhook %s failed unexpectedly", webhook_id)
                self.store.record_webhook_attempt(webhook_id, "failed", "internal error")

    async def _deliver(self, webhook_id, attempts):
        webhook = self.store.pending_webhook(webhook_id)
        if webhook is None:
            return
        try:
            answer = await self._client.post(webhook["url"], content=webhook["payload"],
                                             headers={"Content-Type": "application/json"})
            error = None if 200 <= answer.status_code < 300 else "HTTP {}".format(
                answer.status_code)
        except httpx.HTTPError as failure:
            error = type(failure).__name__ + ": " + str(failure)[:200]
        attempts += 1
        if error is None:
            self.store.record_webhook_attempt(webhook_id, "delivered")
        elif attempts >= self.config.webhook_attempts:
            self.store.record_webhook_attempt(webhook_id, "failed", error)
        else:
            self.store.record_webhook_attempt(webhook_id, "retrying", error)
            pause = self.config.webhook_backoff * (2 ** (attempts - 1))
            self._later(pause, (webhook_id, attempts))

    def _later(self, pause, item):
        async def requeue():
            await asyncio.sleep(pause)
            self._queue.put_nowait(item)

        timer = asyncio.create_task(requeue())
        self._timers.add(timer)
        timer.add_done_callback(self._timers.discard)
