"""The PG a PG-specific operation goes to (``/cvs`` Galaxia, ``/benepia`` KCP, ...): the
merchant's setting of that PG (``pg``: ``"{pg}.{MID}"`` picks one by its MID), or, when it
has none, the sandbox standing in for that PG under the MID ``pg`` names (the console's
catalog lists the browser SDK's PGs only, so a merchant cannot add every PG there)."""

from iamport_sandbox.fields import Data, text_field
from iamport_sandbox.store import Row, Store
from iamport_sandbox.wire import ApiError, refusal


def provider_setting(store: Store, found: Row, data: Data, provider: str) -> dict[str, str | None]:
    """``{"pg_provider", "pg_id"}`` of the operation's PG ``provider`` (see the module)."""
    pg = text_field(data, "pg", required=False, max_length=100)
    code, _, mid = (pg or provider).partition(".")
    if code != provider:
        raise ApiError(400, "'pg' must be {0} or {0}.{{MID}} for this operation".format(provider))
    for setting in store.settings(found["id"]):
        if setting["pg_provider"] == provider and (not mid or setting["pg_id"] == mid):
            return {"pg_provider": provider, "pg_id": setting["pg_id"]}
    return {"pg_provider": provider, "pg_id": mid or None}


def payment_of(payment: Row, providers: tuple[str, ...], what: str) -> Row:
    """``payment`` when one of ``providers`` made it, else a business refusal naming ``what``."""
    if payment["pg_provider"] not in providers:
        raise refusal(
            "{} 결제건이 아닙니다 (not a {} payment: {})".format(
                "/".join(providers), what, payment["pg_provider"]
            )
        )
    return payment
