"""Run localstripe, the offline Stripe, bound to 127.0.0.1 for local runs and tests.

    python -m shop.payments.localstripe [--port 8420] [--from-scratch]
        [--webhook-url URL --webhook-secret SECRET]

localstripe's own command listens on every interface; this one serves its
aiohttp app on 127.0.0.1 only. With --from-scratch it neither loads nor
writes its state file, so a run starts empty and leaves nothing behind.
The shop's webhook is registered in the same process before it serves.
"""

import argparse
import logging
import os

from aiohttp import web


def main(argv: list[str] | None = None) -> None:
    """Start localstripe on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m shop.payments.localstripe")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALSTRIPE_PORT", 8420)))
    parser.add_argument("--from-scratch", action="store_true")
    parser.add_argument("--webhook-url", default=os.environ.get("LOCALSTRIPE_WEBHOOK_URL", ""))
    parser.add_argument(
        "--webhook-secret", default=os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_local")
    )
    args = parser.parse_args(argv)

    from localstripe.resources import store
    from localstripe.server import app
    from localstripe.webhooks import register_webhook

    if args.from_scratch:
        # Neither read nor write the shared state file: each run is its own.
        store.dump_to_disk = lambda: None
    else:
        store.try_load_from_disk()
    if args.webhook_url:
        register_webhook("shop", args.webhook_url, args.webhook_secret, None)

    logging.basicConfig(level=logging.INFO)
    print(f"localstripe listening on http://{args.host}:{args.port}", flush=True)
    web.run_app(app, host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
