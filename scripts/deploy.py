"""Deploys a stage of the platform to AWS: the stack, then the dashboard. Run by scripts/deploy,
which sets up what it needs first (the SAM CLI, python3.13, the dashboard's build).

    scripts/deploy dev|prod|localstack

1. `sam build`, then `sam deploy` with the stage's parameters from samconfig.toml, and what the
   stack already has for the parameters the operator does not set: `AppBaseUrl` (the stack's own
   DashboardUrl once it exists: the distribution's domain, or DomainName) and `EdgeSecretRotation`.
   On the first deployment the distribution's domain is unknown until it exists, so the stack is
   deployed a second time with AppBaseUrl set to it (the functions that put links in e-mails refuse
   to start without it).
2. The dashboard (frontend/dist) goes to the stack's bucket (`publish_dashboard`): hashed assets
   first with a year's Cache-Control, index.html last with no-cache, stale files removed (old
   assets only after a week: a tab opened before the deployment still loads its chunks), and
   CloudFront told to forget the files whose names do not change.
3. It prints the dashboard URL, the tracking base URL and the next step.
"""

from __future__ import annotations

import mimetypes
import shlex
import subprocess
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError, NoCredentialsError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "infra" / "local"))

from partnerka_local.edge import HASHED_PREFIX, INDEX, cache_control  # noqa: E402

SAM = ROOT / ".local" / "sam" / "venv" / "bin" / "sam"
DIST = ROOT / "frontend" / "dist"
STALE_ASSETS_AFTER = timedelta(days=7)
# Parameters the stack keeps from one deployment to the next unless samconfig.toml sets them.
KEPT = ("AppBaseUrl", "EdgeSecretRotation")


@dataclass(frozen=True)
class Stage:
    name: str
    stack_name: str
    region: str
    parameters: dict[str, str]  # samconfig.toml's parameter_overrides


def read_stage(name: str, samconfig: Path = ROOT / "samconfig.toml") -> Stage:
    config = tomllib.loads(samconfig.read_text(encoding="utf-8"))
    if name not in config:
        raise SystemExit(f"samconfig.toml has no environment {name!r} (try dev or prod)")
    section = config[name]
    global_ = section.get("global", {}).get("parameters", {})
    deploy = section.get("deploy", {}).get("parameters", {})
    overrides = deploy.get("parameter_overrides", "")
    items = overrides if isinstance(overrides, list) else shlex.split(overrides)
    parameters = dict(item.split("=", 1) for item in items)
    return Stage(name, global_["stack_name"], global_.get("region", "us-east-1"), parameters)


def parameters_for(stage: Stage, current: Mapping[str, str], outputs: Mapping[str, str]) -> dict[str, str]:
    """What `sam deploy` is given: the stage's parameters; for the ones it leaves out, the stack's
    current values; AppBaseUrl from DomainName, else the stack's DashboardUrl once there is one."""
    chosen = dict(stage.parameters)
    for name in KEPT:
        if not chosen.get(name) and current.get(name):
            chosen[name] = current[name]
    if not chosen.get("AppBaseUrl"):
        if chosen.get("DomainName"):
            chosen["AppBaseUrl"] = f"https://{chosen['DomainName']}"
        elif outputs.get("DashboardUrl"):
            chosen["AppBaseUrl"] = outputs["DashboardUrl"]
    return chosen


def stack_state(cloudformation: Any, stack_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """The stack's current parameters and outputs; both empty when it does not exist yet."""
    try:
        (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except cloudformation.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return {}, {}
        raise
    parameters = {p["ParameterKey"]: p.get("ParameterValue", "") for p in stack.get("Parameters", [])}
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return parameters, outputs


def sam(*arguments: str) -> None:
    subprocess.run([str(SAM), *arguments], cwd=ROOT, check=True)


def sam_deploy(stage: Stage, parameters: Mapping[str, str]) -> None:
    overrides = [f"{name}={value}" for name, value in sorted(parameters.items())]
    sam("deploy", "--config-env", stage.name, "--parameter-overrides", *overrides)


def dashboard_files(dist: Path) -> list[tuple[str, Path]]:
    """(key, file) of every file of the build, index.html last: it names the assets, so it goes
    up only once they are all there."""
    files = sorted((str(p.relative_to(dist)), p) for p in dist.rglob("*") if p.is_file())
    if not any(key == INDEX for key, _ in files):
        raise SystemExit(f"{dist} has no {INDEX}: build the dashboard first (npm run build)")
    return [f for f in files if f[0] != INDEX] + [f for f in files if f[0] == INDEX]


def publish_dashboard(
    s3: Any,
    cloudfront: Any,
    bucket: str,
    distribution_id: str,
    dist: Path,
    now: datetime | None = None,
    tenant_distribution_id: str = "",
) -> dict[str, Any]:
    """Uploads the dashboard's build; what it did (uploaded and removed keys, invalidated paths, and
    the advertisers' domains, tenants of `tenant_distribution_id`, whose copies were invalidated too:
    a multi-tenant distribution is invalidated tenant by tenant)."""
    now = now or datetime.now(UTC)
    files = dashboard_files(dist)
    for key, path in files:
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
            content_type += "; charset=utf-8"
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=content_type,
            CacheControl=cache_control(key),
        )
    built = {key for key, _ in files}
    removed = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            key = item["Key"]
            if key in built:
                continue
            if key.startswith(HASHED_PREFIX) and now - item["LastModified"] < STALE_ASSETS_AFTER:
                continue  # an open tab from before may still ask for it
            removed.append(key)
    for start in range(0, len(removed), 1000):
        chunk = removed[start : start + 1000]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True})
    # Names that do not change with their content: the page itself (every route of the page is
    # /index.html at the edge) and the other unhashed files.
    paths = sorted(f"/{key}" for key in built if not key.startswith(HASHED_PREFIX))
    batch = {
        "Paths": {"Quantity": len(paths), "Items": paths},
        "CallerReference": f"partnerka-{now.strftime('%Y%m%dT%H%M%S.%f')}",
    }
    cloudfront.create_invalidation(DistributionId=distribution_id, InvalidationBatch=batch)
    tenants = []
    if tenant_distribution_id:
        for tenant in advertisers_tenants(cloudfront, tenant_distribution_id):
            cloudfront.create_invalidation_for_distribution_tenant(Id=tenant, InvalidationBatch=batch)
            tenants.append(tenant)
    return {"uploaded": [k for k, _ in files], "removed": removed, "invalidated": paths, "tenants": tenants}


def advertisers_tenants(cloudfront: Any, distribution_id: str) -> list[str]:
    """The ids of the multi-tenant distribution's tenants (the advertisers' domains), page by page."""
    found: list[str] = []
    request: dict[str, Any] = {"AssociationFilter": {"DistributionId": distribution_id}}
    while True:
        page = cloudfront.list_distribution_tenants(**request)
        found += [tenant["Id"] for tenant in page.get("DistributionTenantList", [])]
        if not page.get("NextMarker"):
            return found
        request["Marker"] = page["NextMarker"]


def who_deploys(sts: Any) -> str:
    """The account and identity of the credentials in use; a clear stop when there are none."""
    try:
        identity = sts.get_caller_identity()
    except (NoCredentialsError, ClientError) as error:
        raise SystemExit(
            "no usable AWS credentials: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
            f" for the account to deploy to ({error})"
        ) from None
    return f"{identity['Arn']} (account {identity['Account']})"


def deploy(stage: Stage, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The stage deployed and its dashboard published; the stack's outputs."""
    print(f"[deploy] {stage.stack_name} in {stage.region} as {who_deploys(boto3.client('sts'))}")
    cloudformation = boto3.client("cloudformation", region_name=stage.region)
    current, outputs = stack_state(cloudformation, stage.stack_name)
    parameters = parameters_for(stage, current, outputs) | dict(extra or {})
    sam("build", "--config-env", stage.name)
    sam_deploy(stage, parameters)
    _, outputs = stack_state(cloudformation, stage.stack_name)
    if parameters.get("AppBaseUrl") != outputs["DashboardUrl"] and not stage.parameters.get("AppBaseUrl"):
        print(
            f"[deploy] the platform's URL is {outputs['DashboardUrl']}: deploying again with it as AppBaseUrl"
        )
        sam_deploy(stage, parameters | {"AppBaseUrl": outputs["DashboardUrl"]})
    published = publish_dashboard(
        boto3.client("s3", region_name=stage.region),
        boto3.client("cloudfront"),
        outputs["DashboardBucketName"],
        outputs["DistributionId"],
        DIST,
        tenant_distribution_id=outputs.get("TenantDistributionId", ""),
    )
    print(
        f"[deploy] dashboard: {len(published['uploaded'])} files up, {len(published['removed'])} stale"
        f" removed, {len(published['invalidated'])} paths invalidated (and on"
        f" {len(published['tenants'])} advertisers' domains)"
    )
    return outputs


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: scripts/deploy dev|prod|localstack", file=sys.stderr)
        return 2
    stage = read_stage(argv[0])
    started = time.monotonic()
    outputs = deploy(stage)
    print(
        f"""
Deployed {stage.stack_name} ({stage.region}) in {time.monotonic() - started:.0f} s.
  dashboard      {outputs["DashboardUrl"]}
  tracking base  {outputs["TrackingBaseUrl"]}  (links look like {outputs["TrackingBaseUrl"]}?o=<offer>&a=<affiliate>)
  API's own URL  {outputs["ApiUrl"]}  (behind the edge; not for tracking links)
Next: create the first owner, then sign in at the dashboard:
  scripts/create-owner --stage {stage.name} --email you@example.com --name "Your Name"
"""
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
