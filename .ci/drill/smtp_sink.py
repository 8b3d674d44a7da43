"""The drill's SMTP server: record every message it takes, refuse (451) while told to.

    python .ci/drill/smtp_sink.py --port 2590 --out mail.jsonl --refuse-flag FILE

Each delivery is one JSON line in `--out`: the recipients, subject and
Message-ID of a message taken, or `{"refused": true, ...}` for one answered
with 451 (a temporary failure, as a busy mail server answers) while the file
`--refuse-flag` exists.
"""

import argparse
import asyncio
import email
import email.policy
import json
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    """Keep each message as a JSON line; answer 451 while the refuse flag exists."""

    def __init__(self, out: Path, refuse_flag: Path):
        self.out = out
        self.refuse_flag = refuse_flag
        self.lock = threading.Lock()

    def _write(self, record: dict) -> None:
        with self.lock, self.out.open("a") as file:
            file.write(json.dumps(record) + "\n")

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        if self.refuse_flag.exists():
            self._write({"refused": True, "to": list(envelope.rcpt_tos), "at": time.time()})
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self._write(
            {
                "to": list(envelope.rcpt_tos),
                "subject": str(message.get("Subject", "")),
                "message_id": str(message.get("Message-ID", "")),
                "at": time.time(),
            }
        )
        return "250 OK"


def main() -> None:
    """Serve on 127.0.0.1 until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--refuse-flag", type=Path, required=True)
    args = parser.parse_args()
    args.out.touch()
    controller = Controller(Sink(args.out, args.refuse_flag), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"smtp sink listening on 127.0.0.1:{args.port}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    main()
