"""``await IMP.pay(param)`` resolves to the same rsp the callback form gets."""

import asyncio

from iamport_py.testing import done_message, ready_imp, request_id_of


def test_pay_resolves_to_the_window_answer():
    imp, bridge = ready_imp()

    async def scenario():
        pending = asyncio.ensure_future(_await(imp.pay({"pg": "kakaopay", "amount": 1000})))
        await asyncio.sleep(0)
        bridge.emit(done_message(request_id_of(bridge), paid_amount=1000))
        return await pending

    rsp = asyncio.run(scenario())
    assert rsp["success"] is True and rsp["paid_amount"] == 1000


def test_certify_resolves_to_an_error_rsp():
    imp, _ = ready_imp()

    async def scenario():
        return await imp.certify({"pg": "danal"})

    assert asyncio.run(scenario())["error_code"] == "F1001"


async def _await(awaitable):
    return await awaitable
