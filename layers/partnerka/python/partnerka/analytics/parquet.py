"""Rows to Parquet and back with DuckDB, which the AnalyticsLayer alone carries: this module imports it
when called, never at import, so the functions without the layer (the click path above all) can import
the package and never load it.

Rows go in through a JSON-lines file in a temporary folder: DuckDB reads that far faster than rows
bound one by one (a hundred clicks: 2 ms instead of 140), and the columns' types are stated, never
guessed from the values.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnerka.analytics.schema import COLUMNS, DUCKDB_TYPES, TIME_COLUMNS

if TYPE_CHECKING:
    import duckdb

COMPRESSION = "zstd"
ROW_GROUP_ROWS = 122_880  # DuckDB's own row group: min/max of each column per group skips groups


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that keeps its spill files and settings under the temporary folder (the
    only writable one on Lambda)."""
    import duckdb

    home = Path(tempfile.gettempdir()) / "duckdb"
    home.mkdir(exist_ok=True)
    return duckdb.connect(config={"home_directory": str(home), "temp_directory": str(home / "spill")})


def column_spec(table: str) -> str:
    """`{'click_id': 'VARCHAR', …}`: the table's columns as DuckDB's readers take them."""
    pairs = ", ".join(f"'{name}': '{DUCKDB_TYPES[kind]}'" for name, kind in COLUMNS[table])
    return "{" + pairs + "}"


def quoted(text: str) -> str:
    """A string literal of SQL (both Trino's and DuckDB's: a quote inside is doubled). NUL ends a
    statement's text in both engines' parsers, so it has no literal: requests refuse it before
    (stats.service.parse_request)."""
    if "\x00" in text:
        raise ValueError("a SQL literal cannot hold NUL")
    return "'" + text.replace("'", "''") + "'"


def select_list(table: str) -> str:
    return ", ".join(name for name, _ in COLUMNS[table])


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="partnerka-parquet-") as folder:
        yield Path(folder)


ParquetWriter = Callable[[str, Iterable[Mapping[str, Any]]], bytes]
"""(table, rows) → the rows as one Parquet file (see `parquet_writer`)."""


@contextmanager
def parquet_writer() -> Iterator[ParquetWriter]:
    """Writes tables' rows as Parquet files, zstd-compressed, sorted by the table's time
    (schema.TIME_COLUMNS) so the row groups' ranges are tight. One DuckDB connection serves every
    file written inside the block: opening one costs some 7 ms, as much as writing a small file."""
    con = connect()
    try:
        with _scratch() as folder:
            written = itertools.count()

            def write(table: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
                names = [name for name, _ in COLUMNS[table]]
                n = next(written)
                source, target = folder / f"rows-{n}.jsonl", folder / f"rows-{n}.parquet"
                # A lone surrogate (text decoded from bytes that were not UTF-8) cannot be written as
                # UTF-8: it is written as "?" rather than failing the stream batch on every redelivery.
                with source.open("w", encoding="utf-8", errors="replace") as out:
                    for row in rows:
                        out.write(json.dumps({name: row[name] for name in names}, ensure_ascii=False))
                        out.write("\n")
                con.execute(
                    f"COPY (SELECT {select_list(table)} FROM read_json({quoted(str(source))}, "  # noqa: S608 - paths quoted
                    f"format='newline_delimited', columns={column_spec(table)}) ORDER BY {TIME_COLUMNS[table]}) "
                    f"TO {quoted(str(target))} (FORMAT parquet, COMPRESSION {COMPRESSION}, "
                    f"ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
                )
                return target.read_bytes()

            yield write
    finally:
        con.close()


def to_parquet(table: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """One table's rows as one Parquet file (`parquet_writer`)."""
    with parquet_writer() as write:
        return write(table, rows)


def read_parquet(data: bytes) -> list[dict[str, Any]]:
    """A Parquet file's rows as dictionaries (tests and the compaction's checks)."""
    with _scratch() as folder:
        path = folder / "rows.parquet"
        path.write_bytes(data)
        con = connect()
        try:
            cursor = con.execute(f"SELECT * FROM read_parquet({quoted(str(path))})")  # noqa: S608 - a path, quoted
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
        finally:
            con.close()
