"""Cold imports: every function of template.yaml next to a bare Powertools handler of its kind.

Each function is imported as the Lambda runtime imports it: a fresh interpreter without site
packages whose path is the function's folder, the Partnerka layer, the dependencies layer and the
standard library, working in the function's folder, with the function's own variables from the
template, Lambda's variables (so Powertools' Tracer is on, as it is there) and fake credentials; its
handler string is split as the runtime splits it. The dependencies layer is a folder of links to
this venv's installed distributions of layers/dependencies/requirements.txt and what they require,
and nothing else: the venv also holds the test tools' packages (moto's cryptography, which PyJWT
imports when it finds it; rich and click, which httpx imports when it finds them), which Lambda
never sees. Paths the template gives under /opt point into the layers' local folders. Nothing
listens at the AWS endpoint: a cold start that calls AWS fails.

Baselines (tests/bench/cold_baselines/): HTTP, for a function with Api or HttpApi events, is Logger,
Metrics, Tracer and a DynamoDB client answering an API Gateway event; HTTP with Powertools' resolver,
for the dashboard API's functions (written with Powertools' event handler and its validation, as the
bare baseline of that kind is: one route with a pydantic body); batch, for SQS, DynamoDB stream and
Schedule events, is the same with Powertools' BatchProcessor. Both are imported the same
way, from a folder of their own with the same layer on the path.

The figure compared is the CPU time of the import in the child, the least of COLD_RUNS rounds (each
round imports every function and baseline once, so a change in the machine's load touches all
alike). CPU time, not wall time: on a shared machine wall time also counts the time the child waits
for a core, which is not the import's, and `-X importtime` is wall time too (plus its own cost per
module). Wall time is printed beside it. Sources are compiled beforehand, as they would be by any
earlier start, so no run pays for writing bytecode. Imports run one at a time (BENCH_COLD_WORKERS
for more): two side by side on a 2-core machine inflate the larger imports' CPU time more than the
baseline's, which skews the ratio.

Prints one row per function (kind, CPU ms, wall ms, baseline CPU ms, ratio); the last line is JSON
for tests/bench/test_cold_bench.py. Run: `scripts/bench` (or `python -m tests.bench.cold_bench`).
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "partnerka" / "python"
BASELINES = Path(__file__).resolve().parent / "cold_baselines"
REQUIREMENTS = ROOT / "layers" / "dependencies" / "requirements.txt"
DEPENDENCIES = ROOT / ".local" / "cold-bench" / "python"  # ignored by git, made again at every run
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "5"))
WORKERS = int(os.environ.get("BENCH_COLD_WORKERS", "1"))
API_FOLDER = (ROOT / "functions" / "api").resolve()
KINDS = ("http", "http-resolver", "batch")
BOUND = 1.5  # a function's cold import may cost at most this many times its kind's baseline
PARAMETERS = {"AppBaseUrl": "https://app.example.com"}  # what has no default; any valid value does
HTTP_EVENTS = {"Api", "HttpApi"}
BATCH_EVENTS = {"SQS", "DynamoDB", "Kinesis", "Schedule", "ScheduleV2", "EventBridgeRule"}


@dataclass(frozen=True)
class Subject:
    """One thing whose cold import is measured: a function of the template, or a baseline."""

    name: str
    kind: str  # one of KINDS
    folder: Path  # the function's code: /var/task on Lambda
    handler: str  # as the template gives it: "handlers/offers.handler"
    env: dict[str, str]

    @property
    def module(self) -> str:
        """The module the runtime imports for the handler string (slashes become dots)."""
        return self.handler.rsplit(".", 1)[0].replace("/", ".")


def kind_of(logical_id: str, event_types: set[str]) -> str:
    if event_types & HTTP_EVENTS:
        return "http"
    if event_types and event_types <= BATCH_EVENTS:
        return "batch"
    raise SystemExit(f"{logical_id}: no rule for its events {sorted(event_types)}; add one to cold_bench")


def lambda_environment(name: str, folder: Path, handler: str) -> dict[str, str]:
    """What the runtime sets for every function, and credentials nobody can use."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_REGION": "eu-central-1",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "LAMBDA_TASK_ROOT": str(folder),
        "_HANDLER": handler,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "POWERTOOLS_SERVICE_NAME": "partnerka",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }


def functions() -> list[Subject]:
    """Every function of template.yaml, with its variables resolved against made-up physical ids."""
    sys.path[:0] = [str(LAYER), str(ROOT / "infra" / "local")]
    from partnerka_local.resources import PASSIVE_ATTRIBUTES
    from partnerka_local.template import SERVERLESS_FUNCTION, Template

    template = Template(ROOT / "template.yaml", "bench", PARAMETERS)
    for logical_id, resource in template.resources.items():
        template.refs[logical_id] = f"bench-{logical_id}"
        template.attrs[(logical_id, "Arn")] = f"arn:aws:lambda:eu-central-1:123456789012:bench-{logical_id}"
        for attribute, value in PASSIVE_ATTRIBUTES.get(resource["Type"], {}).items():
            template.attrs[(logical_id, attribute)] = value
    subjects = []
    for logical_id in template.of_type(SERVERLESS_FUNCTION):
        props = template.function_properties(logical_id)
        folder = (ROOT / str(props["CodeUri"])).resolve()
        handler = str(props["Handler"])
        variables = (template.resolve(props.get("Environment")) or {}).get("Variables") or {}
        layers = [
            ROOT / str(template.resources[layer["Ref"]]["Properties"]["ContentUri"])
            for layer in props.get("Layers") or []
        ]
        env = {str(name): on_opt(str(value), layers) for name, value in variables.items()}
        env |= lambda_environment(logical_id, folder, handler)
        event_types = {str(event["Type"]) for event in (props.get("Events") or {}).values()}
        kind = kind_of(logical_id, event_types)
        if kind == "http" and folder == API_FOLDER:
            kind = "http-resolver"  # the dashboard API: Powertools' event handler with validation
        subjects.append(Subject(logical_id, kind, folder, handler, env))
    return subjects


def on_opt(value: str, layers: list[Path]) -> str:
    """A path under /opt as it lies in the layer that puts it there (its local folder)."""
    if not value.startswith("/opt/"):
        return value
    rest = value.removeprefix("/opt/")
    for layer in layers:
        if (layer / rest.split("/", 1)[0]).exists():
            return str(layer / rest)
    return value  # a layer not built here (scripts/setup makes them): left as Lambda would see it


def baselines() -> dict[str, Subject]:
    made = {}
    for kind in KINDS:
        folder = BASELINES / kind.replace("-", "_")
        name = f"baseline-{kind}"
        made[kind] = Subject(
            name, kind, folder, "app.handler", lambda_environment(name, folder, "app.handler")
        )
    return made


def dependencies_layer() -> Path:
    """A folder that holds what the dependencies layer holds: links to the installed files of every
    distribution requirements.txt names (with the extras it asks for) and of everything they
    require, recursively."""
    lines = [line.split("#", 1)[0].strip() for line in REQUIREMENTS.read_text().splitlines()]
    pending = [(r.name, frozenset(r.extras)) for r in map(Requirement, filter(None, lines))]
    seen: set[str] = set()
    shutil.rmtree(DEPENDENCIES, ignore_errors=True)
    DEPENDENCIES.mkdir(parents=True)
    while pending:
        name, extras = pending.pop()
        dist = metadata.distribution(name)
        for required in (Requirement(text) for text in dist.requires or []):
            if required.marker is None or any(
                required.marker.evaluate({"extra": extra}) for extra in extras or {""}
            ):
                pending.append((required.name, frozenset(required.extras)))
        key = dist.metadata["Name"].lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        site = Path(str(dist.locate_file("")))
        for top in {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}:
            link = DEPENDENCIES / top
            if top != "__pycache__" and not link.exists():
                link.symlink_to(site / top)
    return DEPENDENCIES


def import_once(subject: Subject) -> tuple[float, float]:
    """(CPU ms, wall ms) of importing the subject's handler module in a fresh interpreter."""
    code = (
        "import sys, time\n"
        f"sys.path[:1] = {[str(subject.folder), str(LAYER), str(DEPENDENCIES)]!r}\n"
        "cpu, wall = time.process_time(), time.perf_counter()\n"
        f"import {subject.module} as module\n"
        "cpu, wall = time.process_time() - cpu, time.perf_counter() - wall\n"
        f"assert callable(module.{subject.handler.rsplit('.', 1)[1]})\n"
        "print(cpu * 1000, wall * 1000)\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=subject.folder,
        env=subject.env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{subject.name}: its import failed:\n{done.stderr[-3000:]}")
    cpu, wall = done.stdout.split()[-2:]
    return float(cpu), float(wall)


def measure(subjects: list[Subject], runs: int) -> dict[str, tuple[float, float]]:
    """The least (CPU ms, wall ms) of each subject over `runs` rounds of all of them: load from
    elsewhere only ever adds time, so the least round is the nearest to the import's own cost."""
    dependencies_layer()
    for folder in {LAYER, BASELINES, *(s.folder for s in subjects)}:
        compileall.compile_dir(folder, quiet=1)
    samples: dict[str, list[tuple[float, float]]] = {s.name: [] for s in subjects}
    with ThreadPoolExecutor(WORKERS) as pool:
        for _ in range(runs):
            for subject, sample in zip(subjects, pool.map(import_once, subjects), strict=True):
                samples[subject.name].append(sample)
    return {name: (min(c for c, _ in runs_), min(w for _, w in runs_)) for name, runs_ in samples.items()}


def main() -> dict[str, Any]:
    subjects = functions()
    base = baselines()
    figures = measure([*base.values(), *subjects], COLD_RUNS)
    rows: list[dict[str, Any]] = []
    for subject in subjects:
        cpu, wall = figures[subject.name]
        base_cpu, base_wall = figures[base[subject.kind].name]
        rows.append(
            {
                "function": subject.name,
                "code": str(subject.folder.relative_to(ROOT)),
                "kind": subject.kind,
                "import_ms": round(cpu, 1),
                "wall_ms": round(wall, 1),
                "baseline_ms": round(base_cpu, 1),
                "baseline_wall_ms": round(base_wall, 1),
                "ratio": round(cpu / base_cpu, 2),
            }
        )
    print(f"cold import, CPU ms in the child, least of {COLD_RUNS} rounds ({WORKERS} at a time)")
    for kind, subject in base.items():
        cpu, wall = figures[subject.name]
        print(
            f"  baseline {kind}: {cpu:.1f} ms CPU, {wall:.1f} ms wall (bare Powertools, {subject.folder.name}/app.py)"
        )
    print(f"{'function':<30}{'kind':<15}{'import ms':>10}{'wall ms':>9}{'baseline ms':>13}{'ratio':>7}")
    for row in rows:
        flag = "" if row["ratio"] <= BOUND else f"  > {BOUND}"
        print(
            f"{row['function']:<30}{row['kind']:<15}{row['import_ms']:>10.1f}{row['wall_ms']:>9.1f}"
            f"{row['baseline_ms']:>13.1f}{row['ratio']:>7.2f}{flag}"
        )
    result = {"runs": COLD_RUNS, "bound": BOUND, "functions": rows}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
