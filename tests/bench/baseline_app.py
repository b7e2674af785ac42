"""The click benchmark's bare PutItem-and-302 handler (click_bench.baseline_handler) as a Lambda
function the local runtime serves: tests/bench/load_bench.py adds it beside the template's own
functions, its code directory tests/bench (so `click_bench` is a top-level module there). Its
cold start creates the DynamoDB client, as the click function's does."""

import os

from click_bench import baseline_handler  # type: ignore[import-not-found]

handler = baseline_handler(os.environ["BASELINE_CLICKS_TABLE"])
