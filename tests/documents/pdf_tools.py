"""Reading PDFs back in tests: page count without extra packages, text and pages with poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def page_count(path: Path) -> int:
    """Pages of a reportlab PDF: its page objects are written out plainly."""
    return len(re.findall(rb"/Type /Page\b", path.read_bytes()))


def pdf_text(path: Path, first: int = 1, last: int | None = None) -> str:
    """The text of some pages (pdftotext); skips the test where poppler is not installed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    run = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, check=True, text=True
    )
    return run.stdout


def render_page(path: Path, page: int, out: Path, dpi: int = 150) -> Path:
    """One page as a PNG (pdftoppm); skips the test where poppler is not installed."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    prefix = out / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(path),
            str(prefix),
        ],
        check=True,
    )
    return prefix.with_suffix(".png")


def is_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
