"""Remakes docs/images/report-examples.png: the report of examples/ (`hvlint report examples/`) as headless
Chromium shows it. Run from the repository's root: `python scripts/report_screenshot.py` (needs `chromium`
on PATH; Debian: `apt-get install chromium`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "images" / "report-examples.png"


def main() -> int:
    """Writes the report of examples/ to a temporary file and screenshots it into TARGET."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("no chromium on PATH (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "hvlint", "report", "examples", "-o", str(page)], cwd=ROOT, check=False
        )
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--screenshot={TARGET}",
                "--window-size=1200,1800",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
