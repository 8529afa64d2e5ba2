"""The TrueType font embedded in posters: it must have Latin, Arabic and Persian glyphs."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD = "SteunwijzerSans", "SteunwijzerSans-Bold"

# DejaVu Sans covers Latin, Turkish, Arabic and Persian (Debian: fonts-dejavu-core, which
# scripts/ensure_system_packages.sh installs).
CANDIDATES = {
    REGULAR: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/TTF/DejaVuSans.ttf"),
    BOLD: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
           "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
}


class FontMissing(RuntimeError):
    """No font with Arabic-script glyphs was found."""


def _find(name: str) -> Path:
    for candidate in CANDIDATES[name]:
        if Path(candidate).exists():
            return Path(candidate)
    if shutil.which("fc-match"):  # any font fontconfig knows for Persian
        style = ":style=Bold" if name == BOLD else ""
        found = subprocess.run(["fc-match", "-f", "%{file}", f"sans:lang=fa{style}"],
                               capture_output=True, text=True, check=False).stdout.strip()
        if found.endswith(".ttf") and Path(found).exists():
            return Path(found)
    raise FontMissing("no TrueType font with Arabic and Persian glyphs found; install "
                      "fonts-dejavu-core (scripts/ensure_system_packages.sh)")


@cache
def register() -> tuple[str, str]:
    """Register (once) and return the regular and bold font names for reportlab."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(_find(name))))
    return REGULAR, BOLD
