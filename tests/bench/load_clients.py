"""The load benchmark's clients (tests/bench/load_bench.py): threads on keep-alive connections to
the local platform, in a process of their own so that they do not share the runtime's interpreter
lock, each checking that its answers are redirects to the landing."""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from typing import Any

LANDING = "https://shop.example/?cid="  # both handlers' redirects start so (click_bench's offer)
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def drive(port: int, path: str, total: int, clients: int, seconds: float) -> dict[str, Any]:
    """`total` GETs of `path` (with &n=<i>) from `clients` threads, each on its own keep-alive
    connection; returns every request's start (s into the run) and latency (s), every error and
    the wall time."""
    numbers = itertools.count()
    lock = threading.Lock()
    latencies: list[tuple[float, float]] = []
    errors: list[str] = []
    attempted = [0]
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        headers = {"User-Agent": BROWSER, "X-Forwarded-For": f"81.2.{69 + index // 200}.{index % 200 + 1}"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[tuple[float, float]] = []
        tries = 0
        while time.monotonic() < deadline:
            with lock:
                n = next(numbers)
            if n >= total:
                break
            tries += 1
            started = time.perf_counter()
            try:
                connection.request("GET", f"{path}&n={n}", headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"#{n}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append((started - run_started, time.perf_counter() - started))
            location = response.getheader("location") or ""
            if response.status != 302 or not location.startswith(LANDING):
                errors.append(f"#{n}: {response.status} {location!r} {body[:200]!r}")
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.close()
        with lock:
            latencies.extend(mine)
            attempted[0] += tries

    run_started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - run_started
    if attempted[0] < total:
        errors.append(
            f"time limit: {total - attempted[0]} of {total} requests not sent within {seconds:.0f} s"
        )
    return {"latencies": latencies, "errors": errors, "seconds": wall}
