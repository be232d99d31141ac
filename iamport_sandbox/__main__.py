"""Command line: ``python -m iamport_sandbox [--host H] [--port P] [--db PATH] [--demo]``
serves the sandbox; ``python -m iamport_sandbox create-merchant --login L`` adds a merchant."""

import argparse
import sys

from iamport_sandbox.config import Config


def _serve(argv):
    parser = argparse.ArgumentParser(prog="iamport-sandbox",
                                     description="A local Iamport: console, PG windows, REST API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--db", help="SQLite file (default: ./data/sandbox.sqlite3)")
    parser.add_argument("--demo", action="store_true",
                        help="register the demo merchant with the seed's three PG settings")
    args = parser.parse_args(argv)

    import uvicorn

    from iamport_sandbox.app import create_app
    from iamport_sandbox.demo import DEMO, ensure_demo_merchant

    config = Config(db_path=args.db, demo_backend=DEMO if args.demo else None)
    app = create_app(config)
    base = "http://{}:{}".format(args.host, args.port)
    if args.demo:
        merchant = ensure_demo_merchant(app.state.store)
        print("Demo merchant ready: user code {}".format(merchant["user_code"]))
        print("  demo shop:  {}/".format(base))
        print("  console:    {}/console  (login '{}', password '{}')".format(
            base, DEMO["login"], DEMO["password"]))
    print("  store:      {}".format(config.db_path), flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


def _create_merchant(argv):
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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["create-merchant"]:
        return _create_merchant(argv[1:])
    _serve(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
