"""Command line: ``iamport-sandbox [--host H] [--port P] [--api-port A] [--db PATH] [--demo]``
serves the sandbox; ``iamport-sandbox create-merchant --login L`` adds a merchant;
``iamport-sandbox export-assets DIR`` writes the files a merchant self-hosts (standard library
only: it works without the ``sandbox`` extra; without its ``brotli``, imp.js, the configs and
the SDK get a ``.gz`` but no ``.br``); ``iamport-sandbox audit --sandbox URL --order-hook URL
--paid-hook URL --complete-url URL --webhook-url URL [--json]`` attacks a merchant's backend
on loopback with the audit's scenarios (docs/test-kit.md, "Audit your server")."""

import argparse
import os
import socket
import sys

from iamport_sandbox.audit.policy import loopback_problem
from iamport_sandbox.audit.scenarios import select
from iamport_sandbox.config import Config


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iamport-sandbox",
        description="A local Iamport: console, PG windows, REST API.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="other commands:\n"
        "  create-merchant --login L [--password P] [--db DB]\n"
        "                        add a merchant; prints its user code, password,\n"
        "                        imp_key and imp_secret once\n"
        "  export-assets DIR     write the files a merchant self-hosts\n"
        "  audit --sandbox URL --order-hook URL --paid-hook URL --complete-url URL\n"
        "        --webhook-url URL [--json]\n"
        "                        audit a merchant's backend on loopback (a sandbox\n"
        "                        started with --test-controls)\n"
        "                        (iamport-sandbox COMMAND --help for more)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--api-port",
        type=int,
        help="also serve the REST API at the root of this port, as "
        "api.iamport.kr is its own host (it stays under /api too)",
    )
    parser.add_argument("--db", help="SQLite file (default: ./data/sandbox.sqlite3)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="register the demo merchant with the seed's three PG settings",
    )
    parser.add_argument(
        "--webhook-allow",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="also allow webhooks to this host (private, link-local ... "
        "addresses are refused by default); repeatable",
    )
    parser.add_argument(
        "--window-opens-per-minute",
        type=int,
        default=600,
        metavar="N",
        help="payment windows opened per user code per minute (0: no limit)",
    )
    parser.add_argument(
        "--test-controls",
        action="store_true",
        help="TEST-ONLY: serve the test controls (webhook chaos, a throwaway second "
        "merchant, the clock: POST /sandbox/testkit/webhook-chaos, /sandbox/clock); "
        "what `iamport-sandbox audit` needs for its webhook scenarios",
    )
    return parser


def _config(args: argparse.Namespace) -> Config:
    from iamport_sandbox.demo import DEMO

    return Config(
        db_path=args.db,
        demo_backend=DEMO if args.demo else None,
        webhook_allow=args.webhook_allow,
        window_opens_per_minute=args.window_opens_per_minute,
        clock_control=args.test_controls,
        test_controls=args.test_controls,
    )


def serve_config(argv: list[str]) -> Config:
    """The configuration ``iamport-sandbox ARGV`` serves with (nothing started): the test
    controls are on only with ``--test-controls``."""
    return _config(_serve_parser().parse_args(argv))


def _serve(argv: list[str]) -> None:
    parser = _serve_parser()
    args = parser.parse_args(argv)
    try:
        from iamport_sandbox.webhooks import parse_allow

        parse_allow(args.webhook_allow)
    except ValueError as problem:
        parser.error(str(problem))
    if args.api_port and args.api_port == args.port:  # 0 for both: two ports the OS picks
        parser.error("--api-port must differ from --port")

    try:
        import uvicorn
    except ImportError:
        parser.exit(2, "the sandbox needs its extra: pip install 'iamport-py[sandbox]'\n")

    from iamport_sandbox.app import create_app
    from iamport_sandbox.demo import DEMO, ensure_demo_merchant

    config = _config(args)
    app = create_app(config)
    # One server, one app, one or two sockets: the app tells the API port by the socket a
    # request came in on (iamport_sandbox.app.ApiPortRoot).
    server = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    sockets = [server.bind_socket()]
    if args.api_port is not None:
        sockets.append(
            uvicorn.Config(
                app, host=args.host, port=args.api_port, log_level="warning"
            ).bind_socket()
        )
        config.api_port = sockets[1].getsockname()[1]
    for bound in sockets:  # never a webhook target (iamport_sandbox.webhooks)
        app.state.webhooks.policy.note_server(args.host, bound.getsockname()[1])
        # uvicorn binds with proto 0, and asyncio turns Nagle off only on sockets that say
        # IPPROTO_TCP: without this every keep-alive answer after the first waits ~40 ms
        # for the client's delayed ACK (uvicorn #3149). Accepted sockets inherit it.
        if bound.family in (socket.AF_INET, socket.AF_INET6):
            bound.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    base = "http://{}:{}".format(args.host, sockets[0].getsockname()[1])
    if args.demo:
        merchant = ensure_demo_merchant(app.state.store)
        if merchant is None:  # another merchant of this store has the login "demo"
            parser.exit(
                2,
                "error: the login '{}' belongs to another merchant of {}\n".format(
                    DEMO["login"], config.db_path
                ),
            )
        print("Demo merchant ready: user code {}".format(merchant["user_code"]))
        print("  demo shop:  {}/".format(base))
        print(
            "  console:    {}/console  (login '{}', password '{}')".format(
                base, DEMO["login"], DEMO["password"]
            )
        )
    print("  REST API:   {}/api/".format(base))
    if config.api_port is not None:
        print("  REST API:   http://{}:{}/  (its own port)".format(args.host, config.api_port))
    print("  store:      {}".format(config.db_path), flush=True)
    uvicorn.Server(server).run(sockets=sockets)


def _create_merchant(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="iamport-sandbox create-merchant")
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", help="default: a random one, printed once")
    parser.add_argument("--db", help="SQLite file (default: ./data/sandbox.sqlite3)")
    args = parser.parse_args(argv)

    from iamport_sandbox import security
    from iamport_sandbox.store import Store, StoreError

    store = Store(Config(db_path=args.db).db_path)
    try:
        merchant = store.create_merchant(args.login, args.password or security.new_secret(12))
    except StoreError as problem:
        print("error: {}".format(problem), file=sys.stderr)
        return 2
    print("user_code:  {}".format(merchant["user_code"]))
    print("login:      {}".format(merchant["login"]))
    print("password:   {}".format(merchant["password"]))
    print("imp_key:    {}".format(merchant["imp_key"]))
    print("imp_secret: {}".format(merchant["imp_secret"]))
    print("(the password and imp_secret are shown only now)")
    return 0


def _export_assets(argv: list[str]) -> int:
    from iamport_sandbox.assets import INTERPRETERS, export_assets

    parser = argparse.ArgumentParser(
        prog="iamport-sandbox export-assets",
        description="Write the files a merchant deploys to self-host the SDK (imp.js and the "
        "configs; the SDK, its bridge and the runtimes in versioned folders; sample "
        "pages), with relative URLs, a .gz and a .br beside every text and wasm "
        "file, plus README.md and _headers (wasm MIME type, caching, CORS).",
    )
    parser.add_argument("folder")
    parser.add_argument(
        "--service",
        default="https://service.iamport.kr",
        help="the service the sample pages pay against",
    )
    parser.add_argument(
        "--user-code", default="imp00000000", help="the merchant's user code in the sample pages"
    )
    parser.add_argument(
        "--interpreter",
        choices=sorted(INTERPRETERS),
        action="append",
        help="runtimes to include (repeatable; default: both)",
    )
    args = parser.parse_args(argv)
    interpreters = tuple(args.interpreter or ("micropython", "pyodide"))
    try:
        written = export_assets(args.folder, args.service, args.user_code, interpreters)
    except RuntimeError as problem:
        print("error: {}".format(problem), file=sys.stderr)
        return 2
    print(
        "{} files written to {}; see its README.md for the headers to set".format(
            len(written), args.folder
        )
    )
    return 0


AUDIT_URLS = ("sandbox", "order_hook", "paid_hook", "complete_url", "webhook_url")


def _audit_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iamport-sandbox audit",
        description="Attack a merchant's backend the way a careless integration gets "
        "attacked (tampered amounts, failed or unpaid payments reported as complete, "
        "another merchant's or order's imp_uid, forged, duplicated, reordered, late and "
        "retried webhooks) with real payments through a running sandbox (started with "
        "--test-controls), and report scenario by scenario what it wrongly accepted. "
        "Every URL must be on loopback. Exit code: 0 all passed, 1 something was wrongly "
        "accepted, 2 a scenario could not run.",
    )
    required = parser.add_argument_group("URLs (loopback only)")
    required.add_argument("--sandbox", required=True, metavar="URL", help="the sandbox")
    required.add_argument(
        "--order-hook",
        required=True,
        metavar="URL",
        help='POST: the backend makes an order, answers {"merchant_uid", "amount"}',
    )
    required.add_argument(
        "--paid-hook",
        required=True,
        metavar="URL",
        help='GET ?merchant_uid=: {"paid": true|false[, "shipments": N]}',
    )
    required.add_argument(
        "--complete-url",
        required=True,
        metavar="URL",
        help="POST {imp_uid, merchant_uid}: what the page calls after request_pay",
    )
    required.add_argument(
        "--webhook-url", required=True, metavar="URL", help="the backend's webhook endpoint"
    )
    merchant = parser.add_argument_group("the sandbox merchant the backend is (default: --demo's)")
    merchant.add_argument("--user-code", default="imp10000001")
    merchant.add_argument("--imp-key", default="1000000000000001")
    merchant.add_argument(
        "--imp-secret",
        help="default: $IAMPORT_IMP_SECRET, else the demo merchant's (public) secret",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        metavar="NAME",
        help="run only this scenario (repeatable; default: all)",
    )
    parser.add_argument("--json", action="store_true", help="the report as JSON (for CI)")
    return parser


def audit_url_problems(urls: dict[str, str]) -> list[str]:
    """What is wrong with the audit's URLs (``{option: url}``), one text per refused URL
    (pure: nothing is resolved or contacted). Empty: every URL is on loopback."""
    problems = []
    for option, url in urls.items():
        why = loopback_problem(url)
        if why:
            problems.append("--{} {}: {}".format(option.replace("_", "-"), url, why))
    return problems


def _audit(argv: list[str]) -> int:
    parser = _audit_parser()
    args = parser.parse_args(argv)
    problems = audit_url_problems({name: getattr(args, name) for name in AUDIT_URLS})
    if problems:
        parser.error("refused (nothing was sent): " + "; ".join(problems))
    try:
        scenarios = select(args.scenario)
    except KeyError as unknown:
        parser.error("unknown scenario: {}".format(unknown.args[0]))
    try:
        from iamport_sandbox.audit import report
        from iamport_sandbox.audit.runner import Audit, Credentials, Hooks
        from iamport_sandbox.demo import DEMO
    except ImportError:
        parser.exit(2, "the audit needs the sandbox's extra: pip install 'iamport-py[sandbox]'\n")
    secret = args.imp_secret or os.environ.get("IAMPORT_IMP_SECRET") or DEMO["imp_secret"]
    audit = Audit(
        args.sandbox,
        Hooks(args.order_hook, args.paid_hook, args.complete_url, args.webhook_url),
        Credentials(args.user_code, args.imp_key, secret),
    )
    try:
        findings = audit.run_all(scenarios)
    finally:
        audit.close()
    print(report.as_json(findings) if args.json else report.text(findings), flush=True)
    return report.exit_code(findings)


def main(argv: list[str] | None = None) -> int:

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["create-merchant"]:
        return _create_merchant(argv[1:])
    if argv[:1] == ["export-assets"]:
        return _export_assets(argv[1:])
    if argv[:1] == ["audit"]:
        return _audit(argv[1:])
    _serve(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
