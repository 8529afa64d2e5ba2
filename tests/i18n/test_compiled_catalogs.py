"""The catalogs are compiled by Babel's own tooling in ``make setup`` and loaded as ``.mo``;
without an up-to-date ``.mo`` the ``.po`` is compiled in memory, so no text is ever stale."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalogs import FALLBACK, catalog_files, load_catalog
from bot.settings import PROJECT_ROOT

LANGUAGES = ("nl", "tr", "fa", "ar", "en")
MSGID = "Another topic"  # a button every language translates
EDITED = "Een heel ander onderwerp"


def _project(tmp_path: Path) -> Path:
    """The Makefile and the catalogs in a scratch folder, with a stand-in for the synced
    environment whose pybabel is the real one (and whose uv fails, should make want it)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "Makefile", root / "Makefile")
    shutil.copytree(PROJECT_ROOT / "locales", root / "locales",
                    ignore=shutil.ignore_patterns("*.mo"))
    (root / ".tools" / "bin").mkdir(parents=True)
    (root / ".tools" / "bin" / "uv").write_text("#!/bin/sh\nexit 1\n")
    (root / ".tools" / "bin" / "uv").chmod(0o755)
    (root / "pyproject.toml").write_text("")
    (root / "uv.lock").write_text("")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "pybabel").symlink_to(PROJECT_ROOT / ".venv" / "bin" / "pybabel")
    synced = root / ".venv" / ".synced"
    synced.write_text("")
    for older in (".tools/bin/uv", "pyproject.toml", "uv.lock"):
        os.utime(root / older, (1_000_000_000, 1_000_000_000))
    return root


def _make_setup(root: Path) -> None:
    run = subprocess.run(["make", "--no-print-directory", "-C", str(root), "setup"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def _edit(po: Path, msgid: str, text: str) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    catalog[msgid].string = text
    with po.open("wb") as handle:
        write_po(handle, catalog)


def _compiled_in_memory(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "compiled in memory" in r.getMessage()]


def test_make_setup_compiles_every_catalog_and_recompiles_an_edited_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _project(tmp_path)
    locales = root / "locales"
    _make_setup(root)
    assert all(catalog_files(lang, locales)[1].exists() for lang in LANGUAGES)
    caplog.set_level(logging.INFO, logger="bot.i18n.catalogs")
    nl = load_catalog("nl", locales)
    assert nl is not None and nl.gettext(MSGID) == "Ander onderwerp"
    assert _compiled_in_memory(caplog) == []  # read from the .mo

    for language in LANGUAGES:  # built a while ago, so the edit is later whatever the clock
        mo = catalog_files(language, locales)[1]
        os.utime(mo, (mo.stat().st_mtime - 60, mo.stat().st_mtime - 60))
    _edit(catalog_files("nl", locales)[0], MSGID, EDITED)
    untouched = {lang: catalog_files(lang, locales)[1].stat().st_mtime_ns for lang in LANGUAGES}
    # Before make runs again, the edit is already what people read (compiled in memory).
    assert load_catalog("nl", locales).gettext(MSGID) == EDITED  # type: ignore[union-attr]
    assert "make setup" in _compiled_in_memory(caplog)[0]

    caplog.clear()
    _make_setup(root)
    assert load_catalog("nl", locales).gettext(MSGID) == EDITED  # type: ignore[union-attr]
    assert _compiled_in_memory(caplog) == []
    rebuilt = {lang for lang in LANGUAGES
               if catalog_files(lang, locales)[1].stat().st_mtime_ns != untouched[lang]}
    assert rebuilt == {"nl"}


def test_without_a_compiled_catalog_the_po_is_used_and_the_log_says_what_to_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    locales = tmp_path / "locales"
    for language in ("fa", FALLBACK):
        po, _ = catalog_files(language, PROJECT_ROOT / "locales")
        target = catalog_files(language, locales)[0]
        target.parent.mkdir(parents=True)
        shutil.copy(po, target)
    caplog.set_level(logging.INFO, logger="bot.i18n.catalogs")
    fa = load_catalog("fa", locales)
    assert fa is not None and fa.gettext(MSGID) not in ("", MSGID)
    [line] = _compiled_in_memory(caplog)
    assert "not compiled" in line and "pybabel compile -d locales -D messages" in line
    assert load_catalog("tr", locales) is None  # no catalog at all: the caller falls back
