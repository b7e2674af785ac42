"""Bidirectional control characters in text that visitors and users wrote (sub-ids, names, file
names): shown, never obeyed, wherever such text is put in front of people outside the dashboard
(CSV exports and summaries). A right-to-left override in "invoice<U+202E>fdp.exe" would otherwise show
"invoiceexe.pdf". Stored text is never changed: this is for what is shown only.
"""

from __future__ import annotations

import re

# Embeddings and overrides (U+202A to U+202E), isolates (U+2066 to U+2069), and the marks U+200E, U+200F,
# U+061C: everything that reorders or re-directs the text around it. Right-to-left letters themselves
# are not controls and stay as they are.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def show_bidi_controls(text: str) -> str:
    """`text` with each bidi control written as its code point, `[U+202E]`."""
    return BIDI_CONTROLS.sub(lambda found: f"[U+{ord(found.group()):04X}]", text)
