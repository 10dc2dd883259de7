"""A tiny valid one-page PDF (standard Helvetica, no embedded font), for sample attachments.

`data/attachments/ANN-2026-004.pdf` was made with `python tests/pdfkit.py` and is illustrative
sample data, like every record: it says so on its page.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def tiny_pdf(lines: list[str]) -> bytes:
    """A PDF 1.4 file with one A4 page showing `lines` (ASCII) and a correct cross-reference."""
    ops = ["BT", "/F1 14 Tf", "72 770 Td", "18 TL"]
    ops += [f"({_escape(line)}) '" for line in lines]
    stream = ("\n".join([*ops, "ET"]) + "\n").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Sample attachment - not an official notice) /Producer (bmt-registry tests) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


SAMPLE_LINES = [
    "SAMPLE DATA - ILLUSTRATIVE FILE",
    "",
    "This file stands in for the official text of announcement ANN-2026-004",
    "(sample) of the Biomedical New Technology Registry demo site.",
    "It is NOT an official notice of the National Health Commission:",
    "the announcement, the technology and the institutions are fictional.",
]

if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "data/attachments/ANN-2026-004.pdf")
    target.write_bytes(tiny_pdf(SAMPLE_LINES))
    print(target)
