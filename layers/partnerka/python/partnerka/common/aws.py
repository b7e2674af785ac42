"""One botocore session per process for every client the platform makes.

A session loads the data its clients share (endpoint rules, partitions, credentials) once: a second
client from it costs about 5 ms of CPU, one from a session of its own about 60 ms, which a cold
start would pay again for each."""

from __future__ import annotations

from functools import cache

import botocore.session


@cache
def session() -> botocore.session.Session:
    return botocore.session.get_session()
