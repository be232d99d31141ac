"""The REST API's route table, resource by resource (mounted at ``/api``, and at the root of
``--api-port``). The statuses it answers are in :mod:`iamport_sandbox.rest`."""

from iamport_sandbox.rest import (
    benepia,
    certifications,
    codes,
    cvs,
    external_receipts,
    kcpquick,
    naverpay,
    otp,
    partners,
    payco,
    payments,
    paymentwall,
    receipts,
    reference,
    subscribe,
    tiers,
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
    + naverpay.routes
    + reference.routes
    + otp.routes
    + cvs.routes
    + external_receipts.routes
    + partners.routes
    + tiers.routes
    + benepia.routes
    + kcpquick.routes
    + payco.routes
    + paymentwall.routes
)
