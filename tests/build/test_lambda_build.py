"""The build, as Lambda runs it: `sam build` of template.yaml, then every function started from the
build output the way the Lambda runtime starts it (tests/build/lambda_bootstrap.py): the function's
folder, then its layers unpacked into one /opt, then the runtime's own boto3, and nothing else.

The real build targets arm64, whose native wheels cannot load on this x86_64 machine, so the build
that is started here is of a copy of the template with `x86_64` for `arm64`, the only difference;
the real arm64 build is made too, and checked to hold arm64 libraries only. Sizes are printed
and checked against Lambda's limit of 250 MB unzipped for a function and all its layers.

Needs the SAM CLI and python3.13, both set up by scripts/setup (.local/sam/).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from partnerka_local.resources import PASSIVE_ATTRIBUTES
from partnerka_local.template import SERVERLESS_FUNCTION, SERVERLESS_LAYER, Template
from tests.conftest import ROOT, Figures
from tests.kept_runs import kept_run

SAM_HOME = ROOT / ".local" / "sam"
SAM = SAM_HOME / "venv" / "bin" / "sam"
PYTHON = SAM_HOME / "bin" / "python3.13"
RUNTIME_PACKAGES = SAM_HOME / "lambda-runtime"  # an older boto3, as the runtime's own
BUILD = ROOT / ".local" / "lambda-build"
BOOTSTRAP = Path(__file__).with_name("lambda_bootstrap.py")
UNZIPPED_LIMIT = 250 * 1024 * 1024
# What the API and the workers read at cold start; any syntactically valid value does.
PARAMETERS = {"AppBaseUrl": "https://app.example.com"}


@dataclass(frozen=True)
class Built:
    template: Template
    directory: Path


def x86_64_copy(text: str) -> str:
    return text.replace("arm64", "x86_64")


def sam_build(template_text: str, name: str) -> Built:
    """`sam build` of a template's text standing in the project's root, where its paths start (SAM
    rewrites the paths of layers it does not build relative to the template, whatever --base-dir)."""
    missing = [str(p) for p in (SAM, PYTHON, RUNTIME_PACKAGES) if not p.exists()]
    if missing:
        pytest.fail(f"the SAM CLI set-up is missing ({', '.join(missing)}): run scripts/setup")
    work = BUILD / name
    work.mkdir(parents=True, exist_ok=True)
    source = ROOT / f".template.{name}.yaml"  # ignored by git
    source.write_text(template_text, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SAM_CLI_TELEMETRY": "0",
        "SAM_CLI_BETA_FEATURES": "0",
    }
    # --cached: a layer or function whose source did not change since the last build here is not
    # built again (SAM keys its cache by the source's hash), so the dependencies layer is installed
    # only when requirements.txt changes.
    command = [str(SAM), "build", "--template-file", str(source), "--build-dir", str(work / "build")]
    command += ["--cached", "--cache-dir", str(work / "cache"), "--parallel"]
    try:
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=600)
    finally:
        source.unlink()
    assert done.returncode == 0, f"sam build failed:\n{done.stdout}\n{done.stderr}"
    built_template = work / "build" / "template.yaml"
    template = Template(built_template, f"build-{name}", PARAMETERS)
    # Physical ids: what each function's environment names (tables, queues, secrets); any will do.
    # Attributes of what nothing emulates (the CNAME target advertisers are shown) as locally.
    for logical_id, resource in template.resources.items():
        template.refs[logical_id] = f"{template.stack_name}-{logical_id}"
        for attribute, value in PASSIVE_ATTRIBUTES.get(resource["Type"], {}).items():
            template.attrs[(logical_id, attribute)] = value
    return Built(template, work)


def layer_folders(built: Built, logical_id: str) -> list[Path]:
    """The built layers of a function, in the order Lambda unpacks them (Globals' first)."""
    tpl = built.template
    folders = []
    for layer in tpl.function_properties(logical_id).get("Layers") or []:
        res = tpl.resources[layer["Ref"]]
        assert res["Type"] == SERVERLESS_LAYER
        folders.append((tpl.base_dir / res["Properties"]["ContentUri"]).resolve())
    return folders


def code_folder(built: Built, logical_id: str) -> Path:
    return (built.template.base_dir / built.template.function_properties(logical_id)["CodeUri"]).resolve()


def unpack(layers: list[Path], opt: Path) -> None:
    """Lambda unpacks each layer's archive into /opt in order, a later layer's file over an earlier
    one's. Here /opt is a tree of symbolic links into the built layers: a folder two layers share
    becomes a real folder holding both's entries."""
    shutil.rmtree(opt, ignore_errors=True)
    opt.mkdir(parents=True)

    def merge(source: Path, target: Path) -> None:
        for entry in source.iterdir():
            place = target / entry.name
            if place.is_symlink() and place.is_dir() and entry.is_dir():
                earlier = place.resolve()
                place.unlink()
                place.mkdir()
                merge(earlier, place)
                merge(entry, place)
            elif place.is_dir() and not place.is_symlink() and entry.is_dir():
                merge(entry, place)
            else:
                if place.is_symlink() or place.exists():
                    place.unlink()
                place.symlink_to(entry)

    for layer in layers:
        merge(layer, opt)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def start(built: Built, logical_id: str, opt: Path) -> dict[str, Any]:
    """Starts the function in a fresh interpreter as Lambda would; its report as a dict."""
    tpl = built.template
    props = tpl.function_properties(logical_id)
    task, handler = code_folder(built, logical_id), str(props["Handler"])
    variables = (tpl.resolve(props.get("Environment")) or {}).get("Variables") or {}
    # Paths the template gives under /opt point into this build's stand-in for it.
    env = {str(name): str(value).replace("/opt/", f"{opt}/") for name, value in variables.items()}
    env |= {
        "AWS_REGION": "eu-central-1",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_LAMBDA_FUNCTION_NAME": f"{tpl.stack_name}-{logical_id}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(props.get("MemorySize", 128)),
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "LAMBDA_TASK_ROOT": str(task),
        "_HANDLER": handler,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        # Nothing listens there: a cold start that calls AWS fails at once instead of hanging.
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    payload = {
        "task": str(task),
        "opt": str(opt),
        "runtime": str(RUNTIME_PACKAGES),
        "handler": handler,
        "env": env,
    }
    done = subprocess.run(
        # Bytecode goes to a folder of the test's own, never beside the build's sources (Lambda's
        # are read-only): the starts share it, so each module is compiled once, not once a start.
        [str(PYTHON), "-I", "-S", "-X", f"pycache_prefix={built.directory / 'pycache'}", str(BOOTSTRAP)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, f"{logical_id}: the bootstrap itself failed:\n{done.stderr}"
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def start_all(built: Built, functions: list[str]) -> dict[str, dict[str, Any]]:
    """Every function started, two at a time; one /opt per distinct set of layers."""
    opts: dict[tuple[Path, ...], Path] = {}
    for logical_id in functions:
        layers = tuple(layer_folders(built, logical_id))
        if layers not in opts:
            opts[layers] = built.directory / "opt" / str(len(opts))
            unpack(list(layers), opts[layers])
    with ThreadPoolExecutor(2) as pool:
        reports = pool.map(lambda lid: start(built, lid, opts[tuple(layer_folders(built, lid))]), functions)
        return dict(zip(functions, reports, strict=True))


@pytest.fixture(scope="module")
def build() -> Built:
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    return sam_build(x86_64_copy(text), "x86_64")


def pinned(requirement: str) -> str:
    for line in (ROOT / "layers/dependencies/requirements.txt").read_text().splitlines():
        if line.startswith(f"{requirement}=="):
            return line.split("==", 1)[1].split()[0]
    raise AssertionError(f"{requirement} is not pinned in the layer's requirements")


def test_the_copy_differs_from_the_template_only_in_architecture() -> None:
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    assert "arm64" in text
    assert "x86_64" not in text
    copy = x86_64_copy(text).splitlines()
    changed = [(a, b) for a, b in zip(text.splitlines(), copy, strict=True) if a != b]
    assert changed
    assert all(a.replace("arm64", "x86_64") == b for a, b in changed)


def test_sam_validate_with_its_linter_passes() -> None:
    """What an operator's `sam validate --lint` says (SAM's own cfn-lint, newer than the suite's), run
    again only when the template or the SAM CLI's packages changed (tests/kept_runs.py)."""
    template = ROOT / "template.yaml"
    command = [str(SAM), "validate", "--lint", "--template-file", str(template), "--region", "eu-central-1"]
    sam_packages = sorted(p.name for p in SAM_HOME.glob("venv/lib/python*/site-packages/*.dist-info"))
    assert sam_packages, f"the SAM CLI set-up is missing ({SAM_HOME}): run scripts/setup"
    answer = kept_run(
        "sam-validate",
        command,
        [*sam_packages, template.read_text(encoding="utf-8")],
        cwd=ROOT,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        timeout=300,
    )
    assert answer.returncode == 0, answer.output
    assert "is a valid SAM Template" in answer.output


def test_every_function_starts_from_the_build_as_lambda_starts_it(build: Built, figures: Figures) -> None:
    functions = build.template.of_type(SERVERLESS_FUNCTION)
    assert len(functions) >= 19
    reports = start_all(build, functions)
    failures = {
        lid: r.get("traceback") or r for lid, r in reports.items() if r.get("error") or not r.get("callable")
    }
    assert failures == {}, "\n".join(f"{lid}:\n{why}" for lid, why in failures.items())
    opt_python = str(build.directory / "opt")
    for lid, report in reports.items():
        # boto3 and botocore come from the layer, the pair it pins, never the runtime's older ones.
        for package in ("boto3", "botocore"):
            version, path = report[package]
            assert (version, path.startswith(opt_python)) == (pinned(package), True), (lid, package, path)
        assert report["foreign_modules"] == [], lid
        assert report["duckdb_at_start"] is False, lid
    carriers = sorted(lid for lid, report in reports.items() if report["duckdb_available"])
    assert carriers == ["AnalyticsCompactFunction", "OrchestratorFunction"]
    assert all(reports[lid]["parquet_round_trip"] for lid in carriers)
    # Sizes unzipped (the function's folder and its layers) against the limit, and the CPU each
    # import took (at this machine's speed, with the bytecode of the starts before it).
    sizes: dict[Path, int] = {}
    layers: set[Path] = set()
    lines = [f"{'function':<26} {'unzipped MB':>11} {'of 250':>7} {'import ms CPU':>14}"]
    for lid in functions:
        layers.update(layer_folders(build, lid))
        folders = [code_folder(build, lid), *layer_folders(build, lid)]
        for folder in folders:
            sizes.setdefault(folder, folder_size(folder))
        total = sum(sizes[f] for f in folders)
        share = f"{total / UNZIPPED_LIMIT:.0%}"
        lines.append(f"{lid:<26} {total / 2**20:>11.1f} {share:>7} {reports[lid]['init_cpu_ms']:>14}")
        assert total < UNZIPPED_LIMIT, f"{lid}: {total} bytes unzipped, over Lambda's limit"
    lines += [f"layer {f.name}: {sizes[f] / 2**20:.1f} MB unzipped" for f in sorted(layers)]
    figures("\n".join(lines))


EM_AARCH64 = 183  # the ELF header's e_machine of arm64 (x86_64 is 62)


def elf_machine(path: Path) -> int | None:
    """The architecture an ELF file is built for; None for a file that is not ELF."""
    with path.open("rb") as file:
        header = file.read(20)
    return int.from_bytes(header[18:20], "little") if header[:4] == b"\x7fELF" else None


def test_the_build_as_deployed_has_arm64_wheels_only() -> None:
    """The template itself, as `scripts/deploy` builds it: every dependency has a wheel for
    python3.13 on arm64 (one without would fail here, not at deployment), and no native library
    of another architecture slips into a layer."""
    built = sam_build((ROOT / "template.yaml").read_text(encoding="utf-8"), "arm64")
    libraries = [p for p in (built.directory / "build").rglob("*.so*") if p.is_file()]
    machines = {p.relative_to(built.directory / "build"): elf_machine(p) for p in libraries}
    assert len([m for m in machines.values() if m is not None]) >= 10  # pydantic-core, argon2, ua-parser-rs…
    assert {str(p): m for p, m in machines.items() if m not in (None, EM_AARCH64)} == {}


def test_a_layer_laid_out_the_old_way_fails_the_check() -> None:
    """The check sees the layout bug: the layer's ContentUri one folder up (as it once was) puts the
    package at /opt/python/python/partnerka, and the function cannot start."""
    text = x86_64_copy((ROOT / "template.yaml").read_text(encoding="utf-8"))
    broken = text.replace("ContentUri: layers/partnerka/python/", "ContentUri: layers/partnerka/")
    assert broken != text
    # Only the layer and the click function: the check, not a second full build.
    built = sam_build(only(broken, ["PartnerkaLayer", "GeoLayer", "ClickFunction"]), "old-layout")
    assert "DependenciesLayer" not in built.template.resources
    (report,) = start_all(built, ["ClickFunction"]).values()
    assert report.get("error") == "ModuleNotFoundError: No module named 'partnerka'"


def only(template_text: str, keep: list[str]) -> str:
    """The template with only the named resources, their functions without events, policies or
    environment (which would name resources left out)."""
    doc = yaml_parse(template_text)
    doc["Resources"] = {k: v for k, v in doc["Resources"].items() if k in keep}
    function_globals = doc["Globals"]["Function"]
    function_globals["Layers"] = [layer for layer in function_globals["Layers"] if layer["Ref"] in keep]
    for res in doc["Resources"].values():
        if res["Type"] == SERVERLESS_FUNCTION:
            for name in ("Events", "Policies", "Environment"):
                res["Properties"].pop(name, None)
    return json.dumps(doc)
