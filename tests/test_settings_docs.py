"""The documentation covers every setting, and names no setting that does not exist.

As in Datasette: each setting is declared once (bot/settings.py, with its default and help
text), and this test fails when docs/settings.md misses one or has gone stale, or when the
README or a page under docs/ names a ``STEUNWIJZER_`` variable the settings do not have.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.settings import PROJECT_ROOT, Settings, settings_help, settings_table

DOCS = PROJECT_ROOT / "docs"
SETTINGS_DOC = DOCS / "settings.md"
TABLE_START = "<!-- settings-table:"
TABLE_END = "<!-- /settings-table -->"
# A variable name, or a shared prefix ending in "_" as in "(all `STEUNWIJZER_WEB_LOGIN_`)".
ENV_NAME = re.compile(r"STEUNWIJZER_[A-Z0-9_]+")
# Strong enough for every secret setting (32+ characters, 16+ different).
SECRET = "A1b2C3d4E5f6G7h8I9j0K_L-mNoPqRsTuVwXyZ0123"
# Variables of the test and benchmark harness, which are not settings of the bot.
HARNESS_VARIABLES = {"STEUNWIJZER_TEST_PG_ADMIN", "STEUNWIJZER_TELEGRAM_API_SPEC",
                     "STEUNWIJZER_BENCH_CACHE", "STEUNWIJZER_ACTION_SERVER_PORT"}


def _documents() -> list[Path]:
    return [PROJECT_ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _generated_table(text: str) -> str:
    start = text.index(TABLE_START)
    end = text.index(TABLE_END)
    return text[text.index("\n", start) + 1 : end]


def test_every_setting_has_help_text() -> None:
    missing = [name for name, field in Settings.model_fields.items()
               if not (field.description or "").strip()]
    assert missing == [], f"settings without a description: {missing}"


def test_docs_settings_lists_every_setting_with_its_current_default_and_help() -> None:
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    missing = [item.env for item in settings_help() if f"`{item.env}`" not in text]
    assert missing == [], f"docs/settings.md misses {missing}"
    assert _generated_table(text) == settings_table(), (
        "docs/settings.md is stale: paste the output of "
        "`.venv/bin/steunwijzer settings --markdown` between its table markers")


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_documents_name_only_settings_that_exist(document: Path) -> None:
    known = {item.env for item in settings_help()}
    unknown = set()
    for name in ENV_NAME.findall(document.read_text(encoding="utf-8")):
        is_prefix = name.endswith("_") and any(env.startswith(name) for env in known)
        if name not in known and name not in HARNESS_VARIABLES and not is_prefix:
            unknown.add(name)
    assert unknown == set(), f"{document.name} names settings that do not exist: {unknown}"


def test_the_readme_points_to_the_settings_page() -> None:
    assert "docs/settings.md" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_settings_command_prints_help_but_never_a_secret(tmp_path: Path) -> None:
    env = {"STEUNWIJZER_DATA_DIR": str(tmp_path), "STEUNWIJZER_WEBHOOK_SECRET": SECRET,
           "STEUNWIJZER_RASA_TOKEN": SECRET}
    result = CliRunner().invoke(main, ["settings"], env=env)
    assert result.exit_code == 0, result.output
    for item in settings_help():
        assert item.env in result.output
    assert "STEUNWIJZER_WEBHOOK_SECRET  default: (none)  (secret)" in result.output
    assert "Seconds one NLU request may take" in result.output
    assert SECRET not in result.output
    markdown = CliRunner().invoke(main, ["settings", "--markdown"], env=env)
    assert markdown.output == settings_table()


def test_secrets_stay_out_of_the_settings_repr() -> None:
    settings = Settings(telegram_token="123456:" + SECRET, webhook_secret=SECRET,
                        rasa_token=SECRET, pseudonym_secret=SECRET)
    assert SECRET not in repr(settings)
    assert {item.name for item in settings_help() if item.secret} >= {
        "telegram_token", "webhook_secret", "pseudonym_secret", "encryption_key",
        "retired_encryption_keys", "rasa_token"}
