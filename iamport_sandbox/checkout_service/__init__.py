"""The checkout server iamport.js 1.3 sends six PGs to (``tosspayments`` without
``customer_uid``, ``ksnet``, ``smartro_v2``, ``nice_v2``, ``toss_brandpay``, ``welcome``)
and the PG drivers it then loads, standing in for
``https://checkout-service.prod.iamport.co`` and ``https://cdn.portone.io`` (routed here with
their paths kept). The driver's UI is the sandbox's own payment window, so the payment is
recorded, shown and delivered as every window payment is (docs/protocol.md §9)."""

from iamport_sandbox.checkout_service import api, drivers

routes = api.routes + drivers.routes
"""The checkout server's and the drivers' routes."""
