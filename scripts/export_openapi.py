"""Writes the API's OpenAPI document to frontend/src/api/openapi.json, from which the SPA's typed
client is generated. tests/integration/test_openapi_export.py fails when the two drift apart.

    PYTHONPATH=layers/partnerka/python:functions/api .venv/bin/python -m scripts.export_openapi
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "frontend" / "src" / "api" / "openapi.json"


def document() -> str:
    sys.path[:0] = [str(ROOT / "functions" / "api"), str(ROOT / "layers" / "partnerka" / "python")]
    # The document function's module: its resolver has every context's routes (and needs no settings).
    document = importlib.import_module("handlers.document")
    schema = document.openapi_document()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    TARGET.write_text(document(), encoding="utf-8")


if __name__ == "__main__":
    main()
