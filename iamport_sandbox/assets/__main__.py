"""``python -m iamport_sandbox.assets``: the runtimes into ``web/runtime`` (``make setup``)."""

from iamport_sandbox.assets.build import main

if __name__ == "__main__":
    raise SystemExit(main())
