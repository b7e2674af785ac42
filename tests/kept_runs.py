"""Answers of slow, deterministic commands (the linters), kept on disk by what they depend on.

cfn-lint over the template costs about 17 seconds of CPU and `sam validate --lint` 12, and what they
read changes in few runs of the suite: each answer is kept under .local/cache/<name>/ by the digest
of the command and of everything else its answer depends on (the linter's version, the texts it
reads), so it runs again only when one of those changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

CACHE = ROOT / ".local" / "cache"
KEPT = 4  # answers kept per command, the most recently used


@dataclass(frozen=True)
class Answer:
    returncode: int
    output: str  # its standard output, then its standard error


def kept_run(name: str, command: Sequence[str], depends_on: Sequence[str], **run: Any) -> Answer:
    """`command`'s answer (subprocess.run's `run` arguments besides), run only when no answer is kept
    for the same command and the same `depends_on`: the texts and versions it reads."""
    folder = CACHE / name
    digest = hashlib.sha256("\0".join([*command, "\0", *depends_on]).encode()).hexdigest()
    kept = folder / f"{digest}.json"
    try:
        answer = Answer(**json.loads(kept.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    else:
        with contextlib.suppress(OSError):  # used: the last to go
            kept.touch()
        return answer
    done = subprocess.run(list(command), capture_output=True, text=True, check=False, **run)
    answer = Answer(done.returncode, done.stdout + done.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.json"), key=_last_use, reverse=True)[KEPT - 1 :]:
        old.unlink(missing_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.tmp")  # two processes may write it at once
    partial.write_text(json.dumps(asdict(answer)), encoding="utf-8")
    partial.replace(kept)
    return answer


def _last_use(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # another process took it away
        return 0.0
