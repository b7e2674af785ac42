"""What an uploaded brand image really is, read from its own bytes: its format by the magic bytes at
its start, and its size in pixels from the header where that is cheap (PNG's IHDR, WebP's VP8, VP8L
or VP8X chunk, JPEG's SOF segment, ICO's directory). Nothing is decoded: a header is enough to refuse
a file that is not the raster image it claims to be (an SVG or an HTML page named .png, whose script
a browser would run if it were ever served as markup) or whose size in pixels is absurd.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_SIDE = 4096
MIN_SIDE = 16


class ImageFormat(StrEnum):
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    ICO = "ico"

    @property
    def content_type(self) -> str:
        """The one Content-Type it is published with."""
        return _CONTENT_TYPES[self]

    @property
    def extension(self) -> str:
        return "jpg" if self is ImageFormat.JPEG else self.value

    @property
    def label(self) -> str:
        return "WebP" if self is ImageFormat.WEBP else self.value.upper()


_CONTENT_TYPES = {
    ImageFormat.PNG: "image/png",
    ImageFormat.JPEG: "image/jpeg",
    ImageFormat.WEBP: "image/webp",
    ImageFormat.ICO: "image/x-icon",
}


class UnreadableImage(Exception):
    """The bytes are not a raster image of a format we take, or its header is cut short; `reason`
    says which, in words for the advertiser."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RasterImage:
    format: ImageFormat
    width: int
    height: int

    def size_problem(self) -> str | None:
        """Why its size in pixels is refused, or None."""
        if self.width > MAX_SIDE or self.height > MAX_SIDE:
            return f"is {self.width}×{self.height} pixels: at most {MAX_SIDE}×{MAX_SIDE}"
        if self.width < MIN_SIDE or self.height < MIN_SIDE:
            return f"is {self.width}×{self.height} pixels: at least {MIN_SIDE}×{MIN_SIDE}"
        return None


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UTF8_BOM = b"\xef\xbb\xbf"
# JPEG's start-of-frame markers (baseline, progressive, lossless, arithmetic): the ones that carry
# the frame's size. C4 (Huffman tables), C8 (reserved) and CC (arithmetic conditioning) do not.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # markers without a length


def inspect(data: bytes) -> RasterImage:
    """The image's format and size in pixels, from its header; `UnreadableImage` otherwise."""
    if data.startswith(_PNG_SIGNATURE):
        return _png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    if data[:4] == b"\x00\x00\x01\x00":
        return _ico(data)
    if data.removeprefix(_UTF8_BOM).lstrip()[:1] == b"<":
        raise UnreadableImage("is a text document (SVG, HTML or XML), not a raster image")
    raise UnreadableImage("is not a PNG, JPEG, WebP or ICO image")


def _truncated(what: str) -> UnreadableImage:
    return UnreadableImage(f"is cut short: its {what} header is incomplete")


def _png(data: bytes) -> RasterImage:
    # The first chunk is IHDR: length 13, type, then width and height as 4-byte big-endian numbers.
    if len(data) < 24:
        raise _truncated("PNG")
    if data[12:16] != b"IHDR":
        raise UnreadableImage("is a malformed PNG: it does not start with its IHDR chunk")
    width, height = int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    return RasterImage(ImageFormat.PNG, width, height)


def _jpeg(data: bytes) -> RasterImage:
    position = 2
    while True:
        while (
            position < len(data) and data[position] == 0xFF and data[position + 1 : position + 2] == b"\xff"
        ):
            position += 1  # fill bytes before a marker
        if position + 2 > len(data):
            raise _truncated("JPEG")
        if data[position] != 0xFF:
            raise UnreadableImage("is a malformed JPEG: a segment does not start with a marker")
        marker = data[position + 1]
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # the image ends, or its scan begins, before any frame header
            raise UnreadableImage("is a malformed JPEG: it has no frame header")
        if position + 4 > len(data):
            raise _truncated("JPEG")
        length = int.from_bytes(data[position + 2 : position + 4])
        if length < 2:
            raise UnreadableImage("is a malformed JPEG: a segment's length is wrong")
        if marker in _JPEG_FRAMES:
            # length, sample precision, then height and width as 2-byte big-endian numbers
            if position + 9 > len(data):
                raise _truncated("JPEG")
            height = int.from_bytes(data[position + 5 : position + 7])
            width = int.from_bytes(data[position + 7 : position + 9])
            return RasterImage(ImageFormat.JPEG, width, height)
        position += 2 + length


def _webp(data: bytes) -> RasterImage:
    chunk = data[12:16]
    body = data[20:]
    if chunk == b"VP8 ":
        # a key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height
        if len(body) < 10:
            raise _truncated("WebP")
        if body[3:6] != b"\x9d\x01\x2a":
            raise UnreadableImage("is a malformed WebP: its VP8 frame has no start code")
        width = int.from_bytes(body[6:8], "little") & 0x3FFF
        height = int.from_bytes(body[8:10], "little") & 0x3FFF
        return RasterImage(ImageFormat.WEBP, width, height)
    if chunk == b"VP8L":
        # the signature 0x2f, then width - 1 and height - 1 in 14 bits each, little-endian
        if len(body) < 5:
            raise _truncated("WebP")
        if body[0] != 0x2F:
            raise UnreadableImage("is a malformed WebP: its VP8L chunk has no signature")
        bits = int.from_bytes(body[1:5], "little")
        return RasterImage(ImageFormat.WEBP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        # flags and 3 reserved bytes, then the canvas's width - 1 and height - 1 in 3 bytes each
        if len(body) < 10:
            raise _truncated("WebP")
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
        return RasterImage(ImageFormat.WEBP, width, height)
    if len(data) < 16:
        raise _truncated("WebP")
    raise UnreadableImage("is a WebP of an unknown kind (not VP8, VP8L or VP8X)")


def _ico(data: bytes) -> RasterImage:
    # 6 bytes of header (the count at 4), then 16 bytes per image: width and height in one byte each
    # (0 meaning 256), …, the image's length at 8 and its offset at 12. The largest image counts.
    if len(data) < 6:
        raise _truncated("ICO")
    count = int.from_bytes(data[4:6], "little")
    if count == 0:
        raise UnreadableImage("is an ICO without images")
    if len(data) < 6 + 16 * count:
        raise _truncated("ICO")
    sizes = []
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        length, offset = int.from_bytes(entry[8:12], "little"), int.from_bytes(entry[12:16], "little")
        if length == 0 or offset + length > len(data):
            raise UnreadableImage("is a malformed ICO: an image lies outside the file")
        sizes.append((entry[0] or 256, entry[1] or 256))
    width, height = max(sizes)
    return RasterImage(ImageFormat.ICO, width, height)
