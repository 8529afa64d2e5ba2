"""The deployment examples (deploy/, docs/operations.md) name commands and ports that exist."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from bot.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"


def _exec_starts() -> dict[str, str]:
    found = {}
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        [line] = [ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStart=")]
        found[unit.name] = line.removeprefix("ExecStart=")
    return found


def test_every_unit_starts_a_command_of_this_checkout() -> None:
    starts = _exec_starts()
    assert set(starts) == {"steunwijzer-bot@.service", "steunwijzer-nlu@.service",
                           "steunwijzer-web.service"}
    for unit, command in starts.items():
        if "/steunwijzer " in command:
            subcommand = command.rsplit(" ", 1)[-1]
            result = CliRunner().invoke(main, [subcommand, "--help"])
            assert result.exit_code == 0, f"{unit}: `steunwijzer {subcommand}` does not exist"
        else:
            script = command.split("/opt/steunwijzer/", 1)[1]
            assert (PROJECT_ROOT / script).is_file(), f"{unit}: {script} is missing"


def test_the_worker_unit_sets_the_port_setting_the_worker_reads() -> None:
    unit = (DEPLOY / "systemd" / "steunwijzer-bot@.service").read_text()
    [name] = re.findall(r"Environment=STEUNWIJZER_(\w+)=%i", unit)
    assert name.lower() in Settings.model_fields


def test_nginx_sends_updates_to_the_workers_of_the_units_and_the_path_of_the_example() -> None:
    nginx = (DEPLOY / "nginx" / "steunwijzer.conf").read_text()
    operations = (PROJECT_ROOT / "docs" / "operations.md").read_text()
    webhook_url = re.search(r"STEUNWIJZER_WEBHOOK_URL=(\S+)", operations)
    assert webhook_url is not None
    path = "/" + webhook_url.group(1).split("/", 3)[3]
    assert f"location = {path} " in nginx
    ports = re.findall(r"server 127\.0\.0\.1:(\d+) max_fails", nginx)
    assert ports and all(f"steunwijzer-bot@{p}" in operations for p in ports)
    assert str(Settings.model_fields["webhook_port"].default) in ports


def test_operations_doc_has_no_unfilled_placeholder() -> None:
    text = Path(PROJECT_ROOT / "docs" / "operations.md").read_text()
    assert not re.search(r"\b[A-Z]+_TABLE\b", text)
