"""Small but valid evidence files for the demo, made in code: a PNG image and a one-page PDF.

They pass kaohe.reporting.evidence's checks on content like any upload would, open in an
image viewer or PDF reader, and say on their face that they are synthetic. Text in the PDF is
ASCII (the standard Helvetica font carries no Chinese); the Chinese file name says what it is.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Warning colours of the battle map (green, yellow, orange, red) and the paper and ink.
LEVEL_RGB = ((46, 160, 67), (230, 184, 0), (245, 124, 0), (211, 47, 47))
_PAPER = (250, 250, 250)
_INK = (120, 120, 120)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def progress_png(completion: float, schedule: float, level: int, width: int = 96) -> bytes:
    """A small bar chart of a unit's progress (an RGB PNG): a bar filled to the completion in
    the warning's colour, with a grey tick where the time schedule stands."""
    height = 24
    colour = LEVEL_RGB[max(0, min(level, 3))]
    filled = round(max(0.0, min(completion, 1.0)) * (width - 8))
    tick = 4 + round(max(0.0, min(schedule, 1.0)) * (width - 8))
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type 0 (none) for each scanline
        for x in range(width):
            if x == tick and 2 <= y < height - 2:
                pixel = _INK
            elif 6 <= y < height - 6 and 4 <= x < 4 + filled:
                pixel = colour
            elif y in (5, height - 6) and 4 <= x < width - 4:
                pixel = _INK
            else:
                pixel = _PAPER
            row += bytes(pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


def _pdf_text(text: str) -> str:
    safe = text.encode("ascii", "replace").decode("ascii")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: Sequence[str]) -> bytes:
    """A one-page A4 PDF with the given lines of ASCII text, with a correct cross-reference
    table (readers open it without repairing it)."""
    stream = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({_pdf_text(line)}) '" for line in lines)
    stream += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode("ascii")
    return bytes(out)
