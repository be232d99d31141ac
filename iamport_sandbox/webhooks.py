"""Webhooks: on every status change of a payment, POST ``{imp_uid, merchant_uid, status}``
to the payment's ``notice_url`` (or the merchant's configured URL), in the background,
with bounded retries.

The rows are an outbox: :mod:`iamport_sandbox.payments` writes a status change and its
webhook rows in one transaction; the sender hears of the rows only once that
transaction has committed, and a restart resumes every row still pending. So each
status change has exactly one row per target URL, delivered at least once.
"""

import asyncio
import json
import logging

import httpx

log = logging.getLogger("iamport_sandbox.webhooks")


def targets(merchant, payment):
    """The URLs a status change of ``payment`` is posted to (http(s) only)."""
    urls = json.loads(payment["notice_url"]) if payment["notice_url"] else []
    if not urls and merchant["webhook_url"]:
        urls = [merchant["webhook_url"]]
    return [url for url in urls if url.startswith(("http://", "https://"))]


def payload(payment):
    """What Iamport's webhook carries: the merchant's server reads the rest by imp_uid."""
    return {"imp_uid": payment["imp_uid"], "merchant_uid": payment["merchant_uid"],
            "status": payment["status"]}


class WebhookSender:
    def __init__(self, store, config, transport=None):
        self.store = store
        self.config = config
        self._transport = transport
        self._queue = None
        self._worker = None
        self._client = None
        self._timers = set()
        self._loop = None
        # Rows queued or waiting for a retry: a row is never delivered twice at once.
        self._queued = set()

    async def start(self):
        self._queue = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._client = httpx.AsyncClient(timeout=self.config.webhook_timeout,
                                         transport=self._transport, follow_redirects=False)
        self._worker = asyncio.create_task(self._run())
        # Listen first, then resume: a row committed in between is heard, not lost.
        self.store.outbox_listener = self._committed
        for webhook in self.store.pending_webhooks():
            self._enqueue([webhook["id"]], webhook["attempts"])

    def _committed(self, ids):
        # Called by the store after a commit, possibly from another thread. A loop that
        # has gone leaves the rows pending: the next start resumes them.
        try:
            self._loop.call_soon_threadsafe(self._enqueue, ids, 0)
        except RuntimeError:
            log.warning("webhook sender stopped; rows %s wait for the next start", ids)

    def _enqueue(self, ids, attempts):
        for webhook_id in ids:
            if webhook_id not in self._queued:
                self._queued.add(webhook_id)
                self._queue.put_nowait((webhook_id, attempts))

    async def stop(self):
        if self.store.outbox_listener == self._committed:
            self.store.outbox_listener = None
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

    async def _run(self):
        while True:
            webhook_id, attempts = await self._queue.get()
            try:
                await self._deliver(webhook_id, attempts)
            except Exception:  # a bad URL or a bug must not stop the worker
                log.exception("webhook %s failed unexpectedly", webhook_id)
                self.store.record_webhook_attempt(webhook_id, "failed", "internal error")
                self._queued.discard(webhook_id)

    async def _deliver(self, webhook_id, attempts):
        webhook = self.store.pending_webhook(webhook_id)
        if webhook is None:
            self._queued.discard(webhook_id)
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
            self._queued.discard(webhook_id)
        elif attempts >= self.config.webhook_attempts:
            self.store.record_webhook_attempt(webhook_id, "failed", error)
            self._queued.discard(webhook_id)
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
