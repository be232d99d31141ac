"""The sandbox runs due payment schedules: a background task looks every
``config.schedule_poll`` seconds for schedules whose ``schedule_at`` has come on the
sandbox clock (``config.clock``), and charges each one's billing key. The charge is paid,
or failed by the sandbox's decline rule (:func:`iamport_sandbox.domain.payments.decline_reason`:
a card number ending in 0002, an amount ending in 44); either way the schedule becomes
``executed`` with the payment's status, and the payment's webhook is sent.

TEST-ONLY: ``POST /sandbox/clock`` ``{"advance": seconds}`` moves the sandbox clock and
runs what fell due before it answers. It is served only when ``config.clock_control`` is
True (a 404 otherwise); tests in-process may move ``config.clock`` directly instead.
"""

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from iamport_sandbox.config import Config
from iamport_sandbox.fields import number_field, read_json
from iamport_sandbox.rest.subscribe import charge_schedule, show_schedule
from iamport_sandbox.store import Row, Store
from iamport_sandbox.wire import ApiError, envelope

log = logging.getLogger("iamport_sandbox.scheduler")


def execute(store: Store, row: Row, when: int) -> Row | None:
    """Run one schedule now (if it still waits): its charge and its new state, atomically.
    The state is read again inside the write transaction (``BEGIN IMMEDIATE``), so a
    schedule runs once even when two rounds, or two processes on one file, meet it; and
    a process killed mid-charge leaves nothing of it (the next round charges it whole)."""
    with store.transaction():
        current = store.schedule(row["merchant_id"], row["merchant_uid"])
        if current is None or current["schedule_status"] != "scheduled":
            return None
        return charge_schedule(store, current, when, "payment.scheduled")[0]


def run_due(store: Store, when: int) -> list[Row]:
    """Execute every schedule due by ``when`` (sandbox clock); returns those executed."""
    done = []
    while True:
        due = store.due_schedules(when)
        ran = [row for row in (execute(store, row, when) for row in due) if row]
        done.extend(ran)
        if not ran:
            return done


class Scheduler:
    """The background task of the app's lifespan."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        while True:
            try:
                run_due(self.store, self.config.clock.now())
            except Exception:  # a bug in one round must not stop the next
                log.exception("running due schedules failed")
            await asyncio.sleep(self.config.schedule_poll)


async def move_clock(request: Request) -> Response:
    """TEST-ONLY: ``{"advance": seconds}`` moves the sandbox clock forward, then runs what
    fell due; answers the clock's time and the schedules executed."""
    config = request.app.state.config
    if not config.clock_control:
        raise ApiError(404, "Not Found")
    data = await read_json(request, config.max_body)
    seconds = number_field(data, "advance", required=False, allow_text=True) or 0
    if seconds > 10 * 366 * 86400:
        raise ApiError(400, "'advance' is at most ten years")
    config.clock.advance(seconds)
    executed = run_due(request.app.state.store, config.clock.now())
    return envelope(
        {
            "now": config.clock.now(),
            "offset": config.clock.offset,
            "executed": [show_schedule(row) for row in executed],
        }
    )


async def read_clock(request: Request) -> Response:
    config = request.app.state.config
    if not config.clock_control:
        raise ApiError(404, "Not Found")
    return envelope({"now": config.clock.now(), "offset": config.clock.offset})


routes = [
    Route("/sandbox/clock", read_clock, methods=["GET"]),
    Route("/sandbox/clock", move_clock, methods=["POST"]),
]
