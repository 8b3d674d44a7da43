"""Run localstripe, the offline Stripe, bound to 127.0.0.1 for local runs and tests.

    python -m shop.payments.localstripe [--port 8420] [--from-scratch]
        [--webhook-url URL --webhook-secret SECRET]
    python -m shop.payments.localstripe --from-settings

With --from-settings (the Procfile's way, for `make run`) the port, the
webhook URL and its secret come from the shop's settings; when the shop is
set up for real Stripe (STRIPE_SECRET_KEY given, no STRIPE_API_BASE) it
starts nothing and just waits, so that honcho keeps the other processes up.

localstripe's own command listens on every interface; this one serves its
aiohttp app on 127.0.0.1 only. With --from-scratch it neither loads nor
writes its state file, so a run starts empty and leaves nothing behind.
The shop's webhook is registered in the same process before it serves.
"""

import argparse
import logging
import os
import signal
from urllib.parse import urlsplit

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
    parser.add_argument("--from-settings", action="store_true")
    args = parser.parse_args(argv)
    if args.from_settings and not _from_settings(args):
        print("Stripe keys are set: the shop talks to Stripe, localstripe is not started.")
        signal.pause()
        return

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


def _from_settings(args: argparse.Namespace) -> bool:
    """Fill in the port and the webhook from the shop's settings; False when Stripe is real."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django
    from django.conf import settings

    django.setup()
    if not settings.STRIPE_API_BASE:
        return False
    address = urlsplit(settings.STRIPE_API_BASE)
    args.host = "127.0.0.1"
    args.port = address.port or 80
    args.webhook_url = f"{settings.SITE_URL}/payments/stripe/webhook/"
    args.webhook_secret = settings.STRIPE_WEBHOOK_SECRET
    return True


if __name__ == "__main__":
    main()
