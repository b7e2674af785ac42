"""The plain page a visitor sees when a link cannot be routed (the tenant fallback URL comes later)."""

from __future__ import annotations

_TEXT = {
    "en": ("Link unavailable", "This offer is not available right now. Please try again later."),
    "ru": ("Ссылка недоступна", "Это предложение сейчас недоступно. Попробуйте позже."),
}


def unavailable_page(accept_language: str) -> str:
    lang = "ru" if accept_language.lower().lstrip().startswith("ru") else "en"
    title, text = _TEXT[lang]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>'
        "<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;"
        "color:#1f2937;background:#f9fafb}main{max-width:28rem;text-align:center}</style></head>"
        f"<body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    )
