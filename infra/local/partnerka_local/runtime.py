"""LocalRuntime: the whole SAM application on one machine, driven only by template.yaml."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import IO, Any

from botocore.exceptions import ClientError

from .dns import LocalDns
from .edge import bucket_behaviours, edge_headers
from .http import HttpGateway, Route, StoredObject, function_routes
from .pollers import Poller, SqsPoller, StreamPoller
from .pool import FunctionPool, concurrency_from_env
from .resources import ResourceManager, make_client
from .schedules import ScheduleEvent, Scheduler
from .stripe_fake import FakeStripe
from .telegram import FakeBotApi
from .template import REGION, SERVERLESS_FUNCTION, FunctionSpec, Template
from .workers import INIT_TIMEOUT, InvocationError, WorkerSpec, worker_log_file

log = logging.getLogger(__name__)

MOTO_START_TIMEOUT = 30.0
# An extra instance of a function (beyond one) idle this long is stopped, as Lambda reclaims idle
# execution environments: a burst's processes do not stay for the rest of a `scripts/dev` session.
IDLE_INSTANCE_SECONDS = 120.0
STRIPE_WEBHOOK_PATH = "/api/billing/stripe/webhook"  # the billing API's route for Stripe's events
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # infra/local, where partnerka_local lives
# Variables of the parent kept in workers: what a process needs to run at all, nothing application-level.
_INHERITED_ENV = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "SYSTEMROOT")
# The headers an object's own metadata gives an answer of the edge (S3 → CloudFront → the viewer).
_OBJECT_HEADERS = (
    ("Content-Type", "ContentType"),
    ("Cache-Control", "CacheControl"),
    ("ETag", "ETag"),
)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _names(values: Any, source: str) -> bool:
    """A function's settings name a table or queue: its name, a queue's URL or an ARN end with it."""
    return any(v == source or v.endswith((f"/{source}", f":{source}")) for v in values)


class MotoServer:
    """moto's server in a child process on its own loopback port, so its state dies with it."""

    def __init__(self, log_dir: Path | None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_dir = log_dir
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        output: IO[bytes] | int = subprocess.DEVNULL
        if self._log_dir is not None:
            self._log_dir.mkdir(parents=True, exist_ok=True)
            self._log = open(self._log_dir / "moto.log", "ab")  # noqa: SIM115 - closed in stop()
            output = self._log
        self._process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            # moto's own server, with this project's fix for its transactions (moto_fixes.py)
            [sys.executable, "-m", "partnerka_local.moto_fixes", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=output,
            stderr=output,
            stdin=subprocess.DEVNULL,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
                # moto's server would answer every cross-origin request of a browser; S3 answers by
                # the bucket's own CORS rules (the template's), which moto honours with this off.
                "MOTO_DISABLE_GLOBAL_CORS": "true",
            },
        )
        deadline = time.monotonic() + MOTO_START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self._process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto server did not start in time")

    def dump_stacks(self) -> None:
        """Ask the server to print every thread's stack into its log (moto_fixes registers it)."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGUSR1)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None


class LocalRuntime:
    """Runs every function, route, stream/queue consumer and schedule of a SAM template against moto."""

    def __init__(
        self,
        template: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        stack_name: str = "partnerka-local",
        parameter_overrides: Mapping[str, str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        frontend_dist: Path | None = None,
        log_dir: Path | None = None,
        schedule_time_scale: float = 1.0,
        retry_backoff: float = 0.5,
        lazy_workers: bool = False,
        dns_zone: Path | None = None,
        concurrency: int | None = None,
        extra_resources: Mapping[str, Mapping[str, Any]] | None = None,
    ):
        self.template_path = Path(template)
        self.host = host
        self.requested_port = port
        self.stack_name = stack_name
        self.parameter_overrides = dict(parameter_overrides or {})
        self.extra_env = dict(extra_env or {})
        self.frontend_dist = Path(frontend_dist) if frontend_dist is not None else None
        self.log_dir = Path(log_dir) if log_dir is not None else None
        self.schedule_time_scale = schedule_time_scale
        self.retry_backoff = retry_backoff
        # Lazy: a function's worker starts at its first invocation (a cold start, as in Lambda)
        # instead of all of them at start-up, where twenty imports at once take a 2-core machine
        # a quarter of a minute and functions nobody calls cost nothing.
        self.lazy_workers = lazy_workers
        # How many instances of one function may run at once (PARTNERKA_LOCAL_CONCURRENCY, default
        # 4), each a worker process with its own cold start, started as load needs them: as Lambda
        # scales out, so that races between two invocations happen here too (partnerka_local.pool).
        self.concurrency = concurrency if concurrency is not None else concurrency_from_env()
        # Resources added to the template's (a benchmark's own function and table), in its syntax.
        self.extra_resources = {k: dict(v) for k, v in (extra_resources or {}).items()}
        # The resolver the domain checks ask (DnsNameservers): a loopback server whose zone a
        # developer edits in `dns_zone` (JSON), as an advertiser would at its DNS provider.
        self.dns_zone = dns_zone
        self.dns: LocalDns | None = None
        # The Bot API the functions' Telegram bot calls (TelegramApiBaseUrl): a fake on loopback.
        self.telegram: FakeBotApi | None = None
        # The Stripe API the SaaS billing calls (StripeApiBaseUrl): a fake on loopback, its hosted
        # Checkout page included, whose signed events go to the platform's webhook.
        self.stripe: FakeStripe | None = None
        self.template: Template | None = None
        self.functions: dict[str, FunctionSpec] = {}
        self.workers: dict[str, FunctionPool] = {}  # each function's instances
        self.pollers: list[Poller] = []
        self._fed_by: dict[str, list[Poller]] = {}  # function -> the pollers of the sources it can write
        self.schedules: list[ScheduleEvent] = []
        self._env: dict[str, dict[str, str]] = {}
        self._moto: MotoServer | None = None
        self._gateway: HttpGateway | None = None
        self._scheduler: Scheduler | None = None
        self._reaper_stop = threading.Event()

    # ------------------------------------------------------------------ public API
    @property
    def url(self) -> str:
        if self._gateway is None:
            raise RuntimeError("the runtime is not started")
        return f"http://{self.host}:{self._gateway.port}"

    @property
    def aws_env(self) -> dict[str, str]:
        if self._moto is None:
            raise RuntimeError("the runtime is not started")
        return {
            "AWS_ENDPOINT_URL": self._moto.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            # The emulator on a loaded machine may take seconds where DynamoDB takes milliseconds:
            # with AWS's short timeouts botocore would retry writes that went through.
            "PARTNERKA_AWS_READ_TIMEOUT": "30",
        }

    def function_env(self, logical_id: str) -> dict[str, str]:
        return dict(self._env[logical_id])

    def client_env(self) -> dict[str, str]:
        """What a tool beside the functions (a seed script, a test) needs to act as they do: every
        function's template variables (table names, secret ARNs), extra_env and aws_env, without
        the Lambda-reserved variables a worker also gets."""
        env: dict[str, str] = {}
        for spec in self.functions.values():
            env.update(spec.environment)
        env.update(self.extra_env)
        env.update(self.aws_env)
        return env

    def dump_emulator_stacks(self) -> None:
        """For a test that waited in vain: moto's threads' stacks go to its log (`moto.log`)."""
        if self._moto is not None:
            self._moto.dump_stacks()

    def physical_id(self, logical_id: str) -> Any:
        if self.template is None:
            raise RuntimeError("the runtime is not started")
        return self.template.refs[logical_id]

    def invoke(self, logical_id: str, event: Any) -> Any:
        """Invoke one function synchronously (raises InvocationError when it fails). What it wrote
        may feed a stream or a queue: the pollers of the sources it can write are nudged to look."""
        try:
            return self.workers[logical_id].invoke(event)
        finally:
            for poller in self._fed_by.get(logical_id, ()):
                poller.nudge()

    def fire_schedule(self, function_logical_id: str, event_name: str) -> Any:
        for schedule in self.schedules:
            if schedule.function == function_logical_id and schedule.event_name == event_name:
                return self.invoke(function_logical_id, schedule.payload(dt.datetime.now(dt.UTC)))
        raise KeyError(f"{function_logical_id} has no schedule event {event_name}")

    def pollers_fed_by(self, logical_id: str) -> list[Poller]:
        """The pollers whose table or queue the function's settings name: those it can write to."""
        return list(self._fed_by.get(logical_id, ()))

    def wait_idle(self, timeout: float = 10.0, functions: Collection[str] = ()) -> bool:
        """True once every stream/queue poller (of `functions` only, when named) has nothing left to
        deliver; False on timeout. A retry still to come (a message waiting out its visibility) is
        something left: name the functions a test waits for, so another test's postbacks retrying
        for minutes do not hold it up."""
        deadline = time.monotonic() + timeout
        chosen = [p for p in self.pollers if not functions or p.function in functions]
        return all(poller.wait_idle(deadline) for poller in chosen)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self._moto = MotoServer(self.log_dir)
        self._moto.start()
        log.info("moto server on %s", self._moto.url)
        template = Template(self.template_path, self.stack_name, self.parameter_overrides)
        template.add_resources(self.extra_resources)
        self.dns = LocalDns(zone_file=self.dns_zone)
        if (
            "DnsNameservers" in (template.doc.get("Parameters") or {})
            and "DnsNameservers" not in self.parameter_overrides
        ):
            template.parameters["DnsNameservers"] = self.dns.address
        self._start_telegram(template)
        self._start_stripe(template)
        self.template = template
        ResourceManager(template, self._moto.url).create_all()
        self._set_telegram_secret(template)
        self._set_stripe_secret(template)
        for logical_id in template.of_type(SERVERLESS_FUNCTION):
            spec = template.function_spec(logical_id)
            self.functions[logical_id] = spec
            self._env[logical_id] = self._build_env(spec)
            self.workers[logical_id] = FunctionPool(
                WorkerSpec(
                    logical_id=logical_id,
                    function_name=spec.name,
                    function_arn=spec.arn,
                    handler=spec.handler,
                    code_dir=str(spec.code_dir),
                    layer_dirs=tuple(str(d) for d in spec.layer_dirs),
                    environment=tuple(sorted(self._env[logical_id].items())),
                    memory_mb=spec.memory_mb,
                    timeout=spec.timeout,
                    log_file=worker_log_file(self.log_dir, logical_id),
                ),
                self._instances_of(template, logical_id),
            )
        if not self.lazy_workers:
            self._start_workers()
        routes = self._routes()
        self._gateway = HttpGateway(
            routes,
            self.invoke,
            self.host,
            self.requested_port,
            self.frontend_dist,
            self._edge_headers(),
            bucket_behaviours(template),
            self._bucket_object,
        )
        self._gateway.start()
        if self.telegram is not None:
            self.telegram.webhook_url = f"{self.url}/telegram/webhook"
        if self.stripe is not None:
            self.stripe.webhook_url = f"{self.url}{STRIPE_WEBHOOK_PATH}"
        self._start_pollers()
        self._start_schedules()
        threading.Thread(target=self._reap_idle_instances, name="instance-reaper", daemon=True).start()
        self._log_summary(routes)

    def _start_telegram(self, template: Template) -> None:
        """The fake Bot API, and the functions pointed at it unless the caller chose a Bot API."""
        log_file = self.log_dir / "telegram.jsonl" if self.log_dir is not None else None
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
        self.telegram = FakeBotApi(log_file=log_file)
        parameters = template.doc.get("Parameters") or {}
        if "TelegramApiBaseUrl" in parameters and "TelegramApiBaseUrl" not in self.parameter_overrides:
            template.parameters["TelegramApiBaseUrl"] = self.telegram.url

    def _set_telegram_secret(self, template: Template) -> None:
        """The bot's secret as an operator fills it in, with values the fake Bot API knows too."""
        if self.telegram is None or "TelegramBotSecret" not in template.resources:
            return
        assert self._moto is not None
        self.telegram.webhook_secret = secrets.token_urlsafe(24)
        value = {
            "token": "100001:local-bot-token",
            "webhook_secret": self.telegram.webhook_secret,
            "username": self.telegram.username,
        }
        make_client("secretsmanager", self._moto.url).put_secret_value(
            SecretId=str(template.refs["TelegramBotSecret"]), SecretString=json.dumps(value)
        )

    def _start_stripe(self, template: Template) -> None:
        """The fake Stripe, and the functions pointed at it unless the caller chose a Stripe API."""
        log_file = self.log_dir / "stripe.jsonl" if self.log_dir is not None else None
        if log_file is not None:
            log_file.parent.mkdir(parents=True, exist_ok=True)
        self.stripe = FakeStripe(log_file=log_file)
        parameters = template.doc.get("Parameters") or {}
        if "StripeApiBaseUrl" in parameters and "StripeApiBaseUrl" not in self.parameter_overrides:
            template.parameters["StripeApiBaseUrl"] = self.stripe.url

    def _set_stripe_secret(self, template: Template) -> None:
        """Stripe's secret as an operator fills it in, with the key and signing secret the fake
        Stripe checks and signs with."""
        if self.stripe is None or "StripeSecret" not in template.resources:
            return
        assert self._moto is not None
        value = {"api_key": self.stripe.api_key, "webhook_secret": self.stripe.webhook_secret}
        make_client("secretsmanager", self._moto.url).put_secret_value(
            SecretId=str(template.refs["StripeSecret"]), SecretString=json.dumps(value)
        )

    def _edge_headers(self) -> list[tuple[str, str]]:
        """The headers of the template's response headers policy: the local gateway plays the edge."""
        assert self.template is not None
        assert self._moto is not None
        return edge_headers(self.template, self._moto.url)

    def _bucket_object(self, bucket: str, key: str) -> StoredObject | None:
        """An object of the emulated buckets, as the edge's origin access reads it (None: missing)."""
        assert self._moto is not None
        try:
            found = make_client("s3", self._moto.url).get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        headers = [(name, str(found[field])) for name, field in _OBJECT_HEADERS if found.get(field)]
        return StoredObject(found["Body"].read(), headers)

    def _start_workers(self) -> None:
        """All workers import their handlers in parallel; wait for them together."""
        for worker in self.workers.values():
            worker.start()
        for logical_id, worker in self.workers.items():
            try:
                worker.wait_ready(INIT_TIMEOUT)
            except InvocationError as exc:
                log.error(
                    "function %s failed to initialise: %s (retried on first invocation)", logical_id, exc
                )

    def _instances_of(self, template: Template, logical_id: str) -> int:
        """The function's pool size: the runtime's concurrency, or less where the template reserves
        less (ReservedConcurrentExecutions caps a function's instances on Lambda too)."""
        reserved = template.resolve(
            template.function_properties(logical_id).get("ReservedConcurrentExecutions")
        )
        if reserved is None:
            return self.concurrency
        if int(reserved) < 1:
            log.warning(
                "%s: ReservedConcurrentExecutions %s throttles it; one instance locally", logical_id, reserved
            )
        return max(1, min(self.concurrency, int(reserved)))

    def _reap_idle_instances(self) -> None:
        while not self._reaper_stop.wait(IDLE_INSTANCE_SECONDS / 4):
            for pool in self.workers.values():
                pool.reap_idle(IDLE_INSTANCE_SECONDS)

    def _build_env(self, spec: FunctionSpec) -> dict[str, str]:
        env = {key: os.environ[key] for key in _INHERITED_ENV if key in os.environ}
        env.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": spec.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
                "AWS_LAMBDA_LOG_STREAM_NAME": "local",
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
                "LAMBDA_TASK_ROOT": str(spec.code_dir),
                "_HANDLER": spec.handler,
                # Tracing is the template's (Tracing: Active) in AWS; no X-Ray daemon listens here.
                "POWERTOOLS_TRACE_DISABLED": "true",
                "TZ": ":UTC",
            }
        )
        env.update(spec.environment)
        env.update(self.aws_env)
        env.update(self.extra_env)
        return env

    def _routes(self) -> list[Route]:
        return function_routes(self.functions)

    def _start_pollers(self) -> None:
        assert self._moto is not None
        for logical_id, spec in self.functions.items():
            for event_name, event in spec.events.items():
                kind = event.get("Type")
                props: dict[str, Any] = event.get("Properties") or {}
                if kind not in ("DynamoDB", "SQS"):
                    if kind not in ("HttpApi", "Schedule", "ScheduleV2"):
                        log.warning("%s: event %s of type %s is not emulated", logical_id, event_name, kind)
                    continue
                if props.get("Enabled", True) is False:
                    log.info("%s: event %s is disabled", logical_id, event_name)
                    continue
                if props.get("FilterCriteria"):
                    log.warning("%s: event %s FilterCriteria is ignored locally", logical_id, event_name)
                poller: Poller
                if kind == "DynamoDB":
                    poller = StreamPoller(
                        logical_id,
                        spec.arn,
                        event_name,
                        props,
                        self.invoke,
                        self._moto.url,
                        self.retry_backoff,
                    )
                else:
                    poller = SqsPoller(
                        logical_id, event_name, props, self.invoke, self._moto.url, self.concurrency
                    )
                self.pollers.append(poller)
        for logical_id, env in self._env.items():
            self._fed_by[logical_id] = [p for p in self.pollers if _names(env.values(), p.source)]
        for poller in self.pollers:
            poller.start()

    def _start_schedules(self) -> None:
        for logical_id, spec in self.functions.items():
            for event_name, event in spec.events.items():
                if event.get("Type") in ("Schedule", "ScheduleV2"):
                    self.schedules.append(
                        ScheduleEvent.from_template(logical_id, self.stack_name, event_name, event)
                    )
        if self.schedules:
            self._scheduler = Scheduler(self.schedules, self.invoke, self.schedule_time_scale)
            self._scheduler.start()

    def _log_summary(self, routes: list[Route]) -> None:
        log.info("serving %s", self.url)
        for route in sorted(routes, key=lambda r: (r.path, r.method)):
            log.info("  route %-28s -> %s", route.route_key, route.function)
        for poller in self.pollers:
            source = (
                poller.stream_arn if isinstance(poller, StreamPoller) else getattr(poller, "queue_arn", "")
            )
            log.info("  consumer %s <- %s", poller.function, source)
        for schedule in self.schedules:
            state = "enabled" if schedule.enabled else "disabled"
            log.info(
                "  schedule %s/%s (%s, %s)", schedule.function, schedule.event_name, schedule.kind, state
            )
        if self._gateway is not None and self._gateway.frontend_dist is not None:
            log.info("  frontend %s", self._gateway.frontend_dist)

    @property
    def scheduler(self) -> Scheduler | None:
        return self._scheduler

    def stop(self) -> None:
        """Stop HTTP, pollers, schedules, workers and moto; safe to call more than once."""
        self._reaper_stop.set()
        for poller in self.pollers:
            poller.stop()
        if self._scheduler is not None:
            self._scheduler.stop()
        if self._gateway is not None:
            self._gateway.stop()
        # Stopping workers interrupts invocations in flight, which lets the poller threads exit. All
        # are asked first, then waited for until one shared deadline: their exits overlap.
        for worker in self.workers.values():
            worker.request_stop()
        deadline = time.monotonic() + 1.0
        for worker in self.workers.values():
            worker.stop(deadline)
        for poller in self.pollers:
            if poller.is_alive():
                poller.join(10)
        if self._scheduler is not None:
            self._scheduler.join(5)
            self._scheduler.close()
        if self._moto is not None:
            self._moto.stop()
        if self.dns is not None:
            self.dns.close()
            self.dns = None
        if self.telegram is not None:
            self.telegram.close()
            self.telegram = None
        if self.stripe is not None:
            self.stripe.close()
            self.stripe = None
