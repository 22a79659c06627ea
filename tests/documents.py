"""Reading generated documents as their readers' tools do: the DOCX's paragraphs and tables
(python-docx), the PDF's text (poppler's pdftotext)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from docx import Document as read_docx


def docx_text(body: bytes) -> str:
    """The paragraphs, then each table row as its cells joined by `` | ``."""
    doc = read_docx(io.BytesIO(body))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def table_rows(text: str) -> dict[str, list[str]]:
    """The rows of :func:`docx_text`'s tables by their first cell."""
    return {
        line.split(" | ")[0].strip(): line.split(" | ")[1:]
        for line in text.splitlines()
        if " | " in line
    }


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
