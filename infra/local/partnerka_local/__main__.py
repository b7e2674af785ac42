"""Command line: serve the application described by a SAM template until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path
from types import FrameType

from .runtime import LocalRuntime


def _parse_param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected Key=Value, got {text!r}")
    return key, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m partnerka_local", description=__doc__)
    parser.add_argument("--template", type=Path, default=Path("template.yaml"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stack-name", default="partnerka-local")
    parser.add_argument("--frontend-dist", type=Path)
    parser.add_argument("--log-dir", type=Path)
    parser.add_argument("--param", type=_parse_param, action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--env", type=_parse_param, action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    runtime = LocalRuntime(
        template=args.template,
        host=args.host,
        port=args.port,
        stack_name=args.stack_name,
        parameter_overrides=dict(args.param),
        extra_env=dict(args.env),
        frontend_dist=args.frontend_dist,
        log_dir=args.log_dir,
    )
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runtime.start()
    try:
        logging.getLogger("partnerka_local").info("ready on %s (Ctrl-C to stop)", runtime.url)
        while not done.wait(1.0):
            pass
    finally:
        logging.getLogger("partnerka_local").info("shutting down")
        runtime.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
