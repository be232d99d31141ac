"""The sandbox's store: one SQLite file (WAL), its schema migrated when it opens.

This package owns all SQL, one module per aggregate over one shared connection; rows come
back as plain dicts. Secrets are stored only as hashes (passwords, REST API secrets) or
digests (access tokens, session ids), or never leave the store unmasked (PG credentials):
the functions that return data for pages and APIs leave them out.

=====================  ====================================================================
``connection``         the file, the lock, transactions and the outbox's after-commit hook
``migrations``         the numbered migrations and their one runner
``merchants``          merchants, their login and API key pair
``settings``           PG settings: order, default, channel keys, masked credentials
``records``            payments and certifications through one accessor; status history
``listings``           payment pages and searches (REST API, console)
``sessions``           console sessions and access tokens
``outbox``             webhook deliveries
``rest_records``       billing keys, schedules, prepared amounts, cash receipts, escrow
``tiers``              an agency's sub-merchants
``otp_codes``          the codes of OTP identity checks
``pg_extras``          CVS barcodes, external and partner receipts, PG order states, points
``naverpay``           Naver Pay product orders, payment marks (points, confirmation), reviews
=====================  ====================================================================
"""

from iamport_sandbox.store import migrations
from iamport_sandbox.store.connection import (
    Connection,
    Row,
    StoreError,
    Transaction,
    now,
    private_companions,
)
from iamport_sandbox.store.listings import SORTINGS, STATUS_TIME, Listings
from iamport_sandbox.store.merchants import Merchants
from iamport_sandbox.store.migrations import LATEST, MIGRATIONS, Migration
from iamport_sandbox.store.naverpay import NaverPay
from iamport_sandbox.store.otp_codes import OtpCodes
from iamport_sandbox.store.outbox import Outbox
from iamport_sandbox.store.pg_extras import PgExtras
from iamport_sandbox.store.records import (
    CERTIFICATION_FIELDS,
    PAYMENT_FIELDS,
    TABLES,
    Kind,
    Records,
)
from iamport_sandbox.store.rest_records import BillingKeys, PaymentExtras, Schedules
from iamport_sandbox.store.sessions import Sessions
from iamport_sandbox.store.settings import Settings
from iamport_sandbox.store.tiers import Tiers

__all__ = [
    "CERTIFICATION_FIELDS",
    "LATEST",
    "MIGRATIONS",
    "PAYMENT_FIELDS",
    "SORTINGS",
    "STATUS_TIME",
    "TABLES",
    "Connection",
    "Kind",
    "Migration",
    "Row",
    "Store",
    "StoreError",
    "Transaction",
    "now",
]


class Store(
    Merchants,
    Settings,
    Records,
    Listings,
    Sessions,
    Outbox,
    BillingKeys,
    Schedules,
    PaymentExtras,
    Tiers,
    OtpCodes,
    PgExtras,
    NaverPay,
):
    """All reads and writes of the sandbox, one class per aggregate over one connection.
    Safe to share between threads."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        with self._lock:
            migrations.upgrade(self._db)
        private_companions(path)  # the migrations' writes made the -wal and -shm files

    def schema_version(self) -> int:
        """The store's migration number (the latest is ``len(MIGRATIONS)``)."""
        with self._lock:
            return migrations.schema_version(self._db)
