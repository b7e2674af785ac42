"""The SPA's typed client is generated from frontend/src/api/openapi.json: it must be the API's own
document. Regenerate with `PYTHONPATH=. .venv/bin/python -m scripts.export_openapi`."""

from __future__ import annotations

from scripts.export_openapi import TARGET, document


def test_the_committed_openapi_document_matches_the_api() -> None:
    assert TARGET.read_text(encoding="utf-8") == document(), (
        "run scripts/export_openapi and commit the result"
    )
