"""branding.images: an uploaded image's format and size in pixels read from its header, and every
way a file that is not the raster image it claims to be is told apart. The images are real ones,
drawn by Pillow (the layer's own, through fpdf2) in each format and encoding."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from partnerka.branding.images import ImageFormat, RasterImage, UnreadableImage, inspect


def drawn(image_format: str, size: tuple[int, int], mode: str = "RGB", **options: object) -> bytes:
    buffer = io.BytesIO()
    colour = (20, 90, 200, 128)[: len(mode)]  # translucent where there is alpha (WebP's VP8X)
    Image.new(mode, size, colour).save(buffer, image_format, **options)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG's signature and IHDR chunk claiming `width` by `height` (no pixels follow)."""
    fields = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + fields
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (drawn("PNG", (16, 16)), RasterImage(ImageFormat.PNG, 16, 16)),
        (drawn("PNG", (300, 120), "RGBA"), RasterImage(ImageFormat.PNG, 300, 120)),
        (drawn("JPEG", (33, 17)), RasterImage(ImageFormat.JPEG, 33, 17)),
        (drawn("JPEG", (640, 200), progressive=True), RasterImage(ImageFormat.JPEG, 640, 200)),
        (drawn("WEBP", (40, 20)), RasterImage(ImageFormat.WEBP, 40, 20)),  # lossy: VP8
        (drawn("WEBP", (41, 23), lossless=True), RasterImage(ImageFormat.WEBP, 41, 23)),  # VP8L
        (drawn("WEBP", (50, 30), "RGBA"), RasterImage(ImageFormat.WEBP, 50, 30)),  # alpha: VP8X
        (drawn("ICO", (48, 48), sizes=[(16, 16), (32, 32), (48, 48)]), RasterImage(ImageFormat.ICO, 48, 48)),
        (drawn("ICO", (256, 256), sizes=[(256, 256)]), RasterImage(ImageFormat.ICO, 256, 256)),
    ],
)
def test_a_real_image_is_read_for_its_format_and_size_in_pixels(data: bytes, expected: RasterImage) -> None:
    assert inspect(data) == expected
    assert expected.size_problem() is None


def test_the_webp_images_drawn_are_each_of_the_three_kinds() -> None:
    kinds = [drawn("WEBP", (40, 20))[12:16], drawn("WEBP", (40, 20), lossless=True)[12:16]]
    kinds.append(drawn("WEBP", (40, 20), "RGBA")[12:16])
    assert kinds == [b"VP8 ", b"VP8L", b"VP8X"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "text document"),
        (b'\xef\xbb\xbf  <?xml version="1.0"?><svg/>', "text document"),
        (b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "text document"),
        (b"\n\t<html><body onload=alert(1)>", "text document"),
        (b"GIF89a\x10\x00\x10\x00", "not a PNG, JPEG, WebP or ICO"),
        (b"%PDF-1.7", "not a PNG, JPEG, WebP or ICO"),
        (b"", "not a PNG, JPEG, WebP or ICO"),
    ],
)
def test_markup_and_other_files_are_not_images(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableImage, match=reason):
        inspect(data)


@pytest.mark.parametrize(
    "data",
    [
        drawn("PNG", (16, 16))[:20],
        drawn("JPEG", (33, 17))[:40],
        drawn("WEBP", (40, 20))[:24],
        drawn("WEBP", (41, 23), lossless=True)[:22],
        drawn("WEBP", (50, 30), "RGBA")[:25],
        drawn("ICO", (48, 48), sizes=[(16, 16), (32, 32), (48, 48)])[:30],
    ],
)
def test_a_header_cut_short_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableImage, match="cut short"):
        inspect(data)


def test_an_ico_whose_image_lies_past_its_end_is_refused() -> None:
    ico = drawn("ICO", (32, 32), sizes=[(32, 32)])
    with pytest.raises(UnreadableImage, match="outside the file"):
        inspect(ico[:-10])


def test_a_jpeg_without_a_frame_header_before_its_scan_is_refused() -> None:
    jpeg = drawn("JPEG", (33, 17))
    start = jpeg.index(b"\xff\xc0")
    without_frame = jpeg[:start] + jpeg[start + 2 + int.from_bytes(jpeg[start + 2 : start + 4]) :]
    with pytest.raises(UnreadableImage, match="no frame header"):
        inspect(without_frame)


def test_a_png_that_does_not_start_with_its_header_chunk_is_refused() -> None:
    with pytest.raises(UnreadableImage, match="IHDR"):
        inspect(png_header(16, 16).replace(b"IHDR", b"IDAT"))


@pytest.mark.parametrize(
    ("width", "height", "problem"),
    [
        (5000, 5000, "is 5000×5000 pixels: at most 4096×4096"),
        (4097, 16, "is 4097×16 pixels: at most 4096×4096"),
        (15, 400, "is 15×400 pixels: at least 16×16"),
        (1, 1, "is 1×1 pixels: at least 16×16"),
        (4096, 4096, None),
        (16, 16, None),
    ],
)
def test_sizes_in_pixels_outside_16_to_4096_are_refused(width: int, height: int, problem: str | None) -> None:
    # A header claiming the size is all it takes: nothing is decoded
    image = inspect(png_header(width, height))
    assert (image.width, image.height) == (width, height)
    assert image.size_problem() == problem
