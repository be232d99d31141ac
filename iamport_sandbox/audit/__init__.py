"""The audit: the test kit attacks a merchant's *server* the way a careless integration gets
attacked (issue 25) — a tampered amount, a failed payment reported as complete, a virtual
account not yet paid into, a cancelled payment, another merchant's or another order's
``imp_uid``, a forged webhook, webhooks twice, out of order, late, or only on a retry — with
real payments through a running sandbox, and reports scenario by scenario what the backend
wrongly accepted, what it should do and the PortOne guide it comes from.

=====================  ====================================================================
``scenarios``          the scenarios as data (steps, flaw, advice, guide); pure
``policy``             loopback only: the URLs the audit may send to; pure
``runner``             plays the scenarios over HTTP (the sandbox's window API, REST, hooks)
``report``             one line per scenario, or JSON, and the exit code
=====================  ====================================================================

Run it with ``iamport-sandbox audit`` (docs/test-kit.md, "Audit your server") or, in a
pytest suite, with the plugin's ``iamport_audit`` fixture. ``scenarios`` and ``policy`` need
nothing but the standard library; ``runner`` needs the sandbox extra (httpx).
"""

from iamport_sandbox.audit.policy import loopback_problem
from iamport_sandbox.audit.scenarios import GUIDES, NAMES, SCENARIOS, Scenario, describe, scenario

__all__ = ["GUIDES", "NAMES", "SCENARIOS", "Scenario", "describe", "loopback_problem", "scenario"]
