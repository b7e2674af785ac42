"""The whole platform on this machine: the local runtime on template.yaml, demo data, and a summary.

Started by scripts/dev (which sets up the machine first). Serves on 127.0.0.1 until Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import threading
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from partnerka_local import LocalRuntime
from partnerka_local.receiver import running_receiver
from partnerka_local.runtime import free_port

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
DEFAULT_PORT = 8000


def start_runtime(
    port: int,
    log_dir: Path | None,
    lazy_workers: bool = False,
    dns_zone: Path | None = None,
    parameters: Mapping[str, str] | None = None,
    extra_resources: Mapping[str, Mapping[str, Any]] | None = None,
) -> LocalRuntime:
    """The runtime on the real template, with the fetched country database and the built SPA.
    `parameters`: the template's parameters to set besides the local platform's own;
    `extra_resources`: resources beside the template's (a benchmark's own function and table).

    Port 0 picks a free port first: the dashboard's URL is a setting of the functions (links in
    e-mails point there), so it is known before they start."""
    port = port or free_port()
    runtime = LocalRuntime(
        template=ROOT / "template.yaml",
        host="127.0.0.1",
        port=port,
        stack_name="partnerka-local",
        parameter_overrides={
            "Stage": "local",
            # The demo and the end-to-end tests deliver affiliate postbacks to receivers on loopback.
            "AllowLoopbackPostbacks": "true",
            "AppBaseUrl": f"http://127.0.0.1:{port}",
            # No CDN in front: the gateway answers advertisers' hosts (partners.acme.localhost) itself.
            "TenantEdge": "direct",
            **(parameters or {}),
        },
        extra_env={
            "GEOIP_DB_PATH": str(LOCAL / "geo-layer" / "geo" / "country.mmdb"),
            "FONTS_DIR": str(LOCAL / "documents-layer" / "fonts"),
        },
        frontend_dist=ROOT / "frontend" / "dist",
        log_dir=log_dir,
        lazy_workers=lazy_workers,
        dns_zone=dns_zone,
        extra_resources=extra_resources,
    )
    runtime.start()
    return runtime


def publish_demo_records(runtime: LocalRuntime, records: list[dict[str, str]]) -> None:
    """The demo advertiser's DNS records, as it would have created them at its DNS provider: in the
    local resolver the domain checks ask, so they find its domains where they left them."""
    assert runtime.dns is not None
    for record in records:
        if record["type"] == "TXT":
            runtime.dns.set_txt(record["name"], [record["value"]])
        else:
            runtime.dns.set_cname(record["name"], record["value"])


def use_runtime_environment(runtime: LocalRuntime) -> None:
    """Point this process's own AWS clients (the seed) at the runtime, with the functions' settings."""
    os.environ.update(runtime.client_env())


def summary(demo: dict[str, Any]) -> str:
    lines = [
        "",
        f"Partnerka is running on {demo['base_url']}",
        f"  demo data written to {LOCAL / 'demo.json'}",
        "",
    ]
    for offer in demo["offers"]:
        lines += [
            f"Offer '{offer['name']}' ({offer['model']}, pays on {offer['paid_status']})",
            f"  tracking link: {offer['tracking_link']}",
            f"  postback URL:  {offer['postback_url']}",
        ]
    lines += ["", f"Dashboard: {demo['dashboard']}  (sign in with any of these)"]
    for login in demo["logins"]:
        lines.append(f"  {login['role']:<15} {login['email']:<34} password: {login['password']}")
    portal = demo["portal"]
    lines += [
        f"Affiliate registration link: {demo['registration_link']}",
        f"Acme's own portal (its brand, its partners only): {portal['portal_url']}/  "
        f"registration link {demo['portal_registration_link']}",
        f"Acme's own tracking domain: {portal['tracking_url']}/click?o=…  (DNS records in {LOCAL / 'dns-zone.json'})",
        f"E-mails sent (verification, reset, invitations; by the notifier, from the notify queue): {demo['mailbox']}",
        f"The affiliate's postbacks go to a demo tracker at {demo['affiliate_postback']}",
        f"  (its requests: {LOCAL / 'logs' / 'demo-tracker.log'}; deliveries: the dashboard's Postbacks log)",
        "",
        "Try it:",
        f"  curl -si -A 'Mozilla/5.0 (X11; Linux x86_64)' '{demo['offers'][0]['tracking_link']}' | grep -i ^location",
        "  then replace {click_id}, {status} and {txn_id} in the postback URL and open it; the",
        "  dashboard's home (or GET /api/stats) shows the numbers within seconds.",
        "",
        "Ctrl-C stops everything.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"HTTP port (default {DEFAULT_PORT})")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    for chatty in ("botocore", "pynamodb"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    log = logging.getLogger("dev")
    done = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    LOCAL.mkdir(exist_ok=True)
    # Advertisers' DNS records for the domain checks, in a file a developer edits while it runs.
    runtime = start_runtime(args.port, LOCAL / "logs", dns_zone=LOCAL / "dns-zone.json")
    try:
        with running_receiver(log_file=LOCAL / "logs" / "demo-tracker.log") as tracker:
            use_runtime_environment(runtime)
            from scripts.seed_demo import seed  # after the environment names the tables

            demo = seed(runtime.url, tracker.url("/postback"))
            publish_demo_records(runtime, demo["portal"]["dns_records"])
            demo["mailbox"] = f"{runtime.aws_env['AWS_ENDPOINT_URL']}/moto-api/data.json (ses → Message)"
            # Tools run beside the platform (scripts/create-owner) find its emulated AWS here.
            (LOCAL / "runtime-env.json").write_text(json.dumps(runtime.client_env(), indent=2))
            (LOCAL / "demo.json").write_text(json.dumps(demo, indent=2, ensure_ascii=False))
            log.info("%s", summary(demo))
            done.wait()
    finally:
        log.info("stopping")
        (LOCAL / "runtime-env.json").unlink(missing_ok=True)
        runtime.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
