"""The pepper: configured for PostgreSQL, generated once beside the SQLite file otherwise."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from pydantic import SecretStr

from service.auth.pepper import PEPPER_FILE, read_or_create_pepper_file, resolve_pepper
from service.errors import ConfigurationError
from service.settings import Settings, load_settings


def test_a_configured_pepper_wins(sqlite_url: str) -> None:
    settings = Settings(database_url=sqlite_url, api_key_pepper=SecretStr("c" * 40))
    assert resolve_pepper(settings) == b"c" * 40


def test_sqlite_gets_a_private_pepper_file_reused_across_runs(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = Settings(database_url=sqlite_url)
    first = resolve_pepper(settings)
    path = tmp_path / "var" / PEPPER_FILE
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_pepper(Settings(database_url=sqlite_url)) == first
    assert len(first) >= 32


def test_racing_processes_agree_on_one_pepper(tmp_path: Path) -> None:
    path = tmp_path / "var" / PEPPER_FILE
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(read_or_create_pepper_file(path)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(set(results)) == 1
    assert [p.name for p in path.parent.iterdir()] == [PEPPER_FILE]


def test_a_truncated_pepper_file_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / PEPPER_FILE
    path.write_text("short")
    with pytest.raises(ConfigurationError, match="fewer than"):
        read_or_create_pepper_file(path)


def test_postgres_without_a_pepper_is_refused_without_echoing_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONNECT_RISK_API_KEY_PEPPER", raising=False)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_do_not_print_me")
    with pytest.raises(ConfigurationError, match="CONNECT_RISK_API_KEY_PEPPER") as caught:
        load_settings(database_url="postgresql+psycopg://u:hunter2@db/risk")
    assert "whsec_do_not_print_me" not in str(caught.value)
    assert "hunter2" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
