"""The REST API's route table, resource by resource (mounted at ``/api``, and at the root of
``--api-port``). The statuses it answers are in :mod:`iamport_sandbox.rest`."""

from iamport_sandbox.rest import (
    certifications,
    codes,
    payments,
    receipts,
    subscribe,
    users,
    vbanks,
)

routes = (
    users.routes
    + payments.routes
    + subscribe.routes
    + vbanks.routes
    + receipts.routes
    + codes.routes
    + certifications.routes
)
