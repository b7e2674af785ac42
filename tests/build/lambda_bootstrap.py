"""Starts one function of a `sam build` output the way the Lambda runtime for Python starts it, and
prints what it found as one line of JSON. Run by tests/build/test_lambda_build.py as

    python3.13 -I -S -X pycache_prefix=<folder> tests/build/lambda_bootstrap.py < spec.json

`-I -S`: no site-packages, no user site, no PYTHON* variables: only the interpreter's standard
library, as on Lambda; bytecode is kept in a folder of the test's (Lambda's file system is
read-only, nothing is written beside the sources). The spec gives the function's folder (/var/task), the folder its layers were
unpacked into (/opt), the runtime's own packages (the runtime's boto3, last on the path, as on
Lambda), the handler string and the function's environment.

The handler is found as the runtime finds it: split at the last dot, slashes in the module part
become dots, the module is imported with the function's folder as the working directory.
"""

import importlib
import importlib.util
import json
import os
import sys
import time
import traceback


def main() -> None:
    spec = json.load(sys.stdin)
    task, opt, runtime = spec["task"], spec["opt"], spec["runtime"]
    stdlib = [p for p in sys.path if p and not p.startswith((task, opt, runtime)) and p != os.getcwd()]
    stdlib = [p for p in stdlib if os.path.realpath(p) != os.path.realpath(os.path.dirname(__file__))]
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    sys.path[:] = [
        task,
        os.path.join(opt, "python", "lib", version, "site-packages"),
        os.path.join(opt, "python"),
        *stdlib,
        runtime,
    ]
    os.environ.clear()
    os.environ.update(spec["env"])
    os.chdir(task)
    # No zone files from the system: Lambda's image promises none, so zoneinfo must find its data
    # in what the function ships.
    import zoneinfo

    zoneinfo.reset_tzpath(to=[])
    report: dict[str, object] = {"handler": spec["handler"]}
    started = time.process_time()
    try:
        module_name, function_name = spec["handler"].rsplit(".", 1)
        module = importlib.import_module(module_name.replace("/", "."))
        handler = getattr(module, function_name)
        report["callable"] = callable(handler)
        # DuckDB (the AnalyticsLayer) is imported when Parquet is written, never at a cold start; where
        # the layer is attached, a Parquet file is written with it, as the function will.
        report["duckdb_at_start"] = "duckdb" in sys.modules
        report["duckdb_available"] = importlib.util.find_spec("duckdb") is not None
        if report["duckdb_available"]:
            from partnerka.analytics.parquet import read_parquet, to_parquet
            from partnerka.analytics.schema import CLICK_COLUMNS, CLICKS

            row = {name: "" if kind == "string" else 0 for name, kind in CLICK_COLUMNS}
            written = to_parquet(CLICKS, [dict(row, click_id="c1", clicked_at="2026-11-01T10:00:00.000Z")])
            report["parquet_round_trip"] = read_parquet(written)[0]["click_id"] == "c1"
        zoneinfo.ZoneInfo("Europe/Moscow")
        import boto3
        import botocore

        report["boto3"] = [boto3.__version__, boto3.__file__]
        report["botocore"] = [botocore.__version__, botocore.__file__]
    except BaseException as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
        report["traceback"] = traceback.format_exc()
    report["init_cpu_ms"] = round((time.process_time() - started) * 1000)
    # Every module came from the function, its layers, the runtime's packages or the standard
    # library (this script aside); a module from anywhere else would be missing on Lambda.
    allowed = tuple(os.path.join(os.path.abspath(p), "") for p in (task, opt, runtime, *stdlib))
    allowed += tuple(os.path.join(os.path.realpath(p), "") for p in (task, opt, runtime, *stdlib))
    report["foreign_modules"] = sorted(
        name
        for name, module in list(sys.modules.items())
        if (path := getattr(module, "__file__", None))
        and os.path.abspath(path) != os.path.abspath(__file__)
        and not os.path.abspath(path).startswith(allowed)
        and not os.path.realpath(path).startswith(allowed)
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
