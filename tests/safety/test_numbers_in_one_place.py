"""safety.md rule 7: phone numbers of the lines live in one data file. No catalog string and
no product code repeats one (the names "112" and "113" excepted), so an operator who corrects
a number in ``national_lines.yml`` corrects it everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.directory.national_lines import load_national_lines

ROOT = Path(__file__).resolve().parents[2]
#: A Dutch phone number as people write it: a leading 0 and at least six more digits, with
#: spaces or hyphens anywhere ("0800-2000", "088 0767 000", "030 760 60 55").
PHONE = re.compile(r"(?<![\d/])0\d(?:[ \-]?\d){5,}(?!\d)")
#: Where numbers may appear: the lines file itself.
ALLOWED = {ROOT / "bot" / "directory" / "data" / "national_lines.yml"}


def _product_files() -> list[Path]:
    files: list[Path] = []
    for folder in ("bot", "actions", "locales"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".po", ".pot", ".html", ".yml", ".txt"} and path.is_file():
                files.append(path)
    return [f for f in files if f not in ALLOWED and "data" not in f.relative_to(ROOT).parts]


def test_the_pattern_finds_every_number_of_the_lines_file() -> None:
    for line in load_national_lines():
        for phone in [line.phone, *(p.phone for p in line.other_phones)]:
            if phone and phone not in {"112", "113"}:
                assert PHONE.search(f"bel {phone} nu"), phone


@pytest.mark.parametrize("path", _product_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_phone_number_outside_the_lines_file(path: Path) -> None:
    hits = PHONE.findall(path.read_text(encoding="utf-8"))
    assert hits == [], f"{path.relative_to(ROOT)} repeats a phone number: {hits}"
