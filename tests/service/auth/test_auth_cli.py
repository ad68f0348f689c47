"""`connect-risk apikey`: the printed key works against the API until it is revoked."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from svc_support import TEST_PEPPER, LiveServer

from service.app import create_app
from service.auth import cli as apikey_cli
from service.settings import load_settings


def run_apikey(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="connect-risk")
    apikey_cli.add_parser(parser.add_subparsers(required=True))
    args = parser.parse_args(["apikey", *argv])
    return int(args.handler(args))


@pytest.fixture
def environment(
    db_backend: str, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    """This backend's database in DATABASE_URL; PostgreSQL also gets the pepper it needs."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    if db_backend == "postgresql":
        monkeypatch.setenv("CONNECT_RISK_API_KEY_PEPPER", TEST_PEPPER)
    else:
        monkeypatch.delenv("CONNECT_RISK_API_KEY_PEPPER", raising=False)
    return database_url


@pytest.fixture
def api(environment: str) -> Iterator[httpx.Client]:
    """The API, built from the same environment the CLI reads (DATABASE_URL = `environment`)."""
    settings = load_settings()
    assert settings.database_url == environment
    with LiveServer(create_app(settings)) as server:
        with httpx.Client(base_url=server.url) as client:
            yield client


def test_create_prints_the_key_alone_on_the_last_line_and_it_works(
    api: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_apikey("create", "--name", "onboarding", "--scopes", "scores:write, accounts:read") == 0
    )
    lines = capsys.readouterr().out.splitlines()
    key = lines[-1]
    assert key.startswith("cr_live_") and key == key.strip()
    response = api.get("/v1/whoami", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["scopes"] == ["accounts:read", "scores:write"]
    assert response.json()["key_id"] in lines[0]


def test_revoke_stops_the_key_and_list_shows_it_revoked(
    api: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    run_apikey("create", "--name", "temporary", "--scopes", "admin")
    key = capsys.readouterr().out.splitlines()[-1]
    key_id = key.split("_")[2]
    assert run_apikey("revoke", key_id) == 0
    assert api.get("/v1/whoami", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert run_apikey("list") == 0
    listing = capsys.readouterr().out
    [line] = [line for line in listing.splitlines() if line.startswith(key_id)]
    assert "revoked" in line and "temporary" in line
    assert key.rsplit("_", 1)[1] not in listing
    assert run_apikey("revoke", key_id) == 0
    assert f"API key {key_id} was already revoked on " in capsys.readouterr().out


@pytest.mark.parametrize("command", [["list"], ["revoke", "0123456789ab"]])
def test_reading_a_sqlite_database_that_is_not_there_creates_nothing(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "typo" / "connect-risk.db"
    assert run_apikey(*command, "--database-url", f"sqlite:///{typo}") == 2
    assert f"no SQLite database at {typo}" in capsys.readouterr().err
    assert not typo.parent.exists()


def test_the_embedded_default_needs_no_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "CONNECT_RISK_DATABASE_URL", "CONNECT_RISK_API_KEY_PEPPER"):
        monkeypatch.delenv(name, raising=False)
    assert run_apikey("create", "--name", "local", "--scopes", "admin") == 0
    key = capsys.readouterr().out.splitlines()[-1]
    assert (tmp_path / "var" / "connect-risk.db").is_file()
    with LiveServer(create_app(load_settings())) as server:
        response = httpx.get(f"{server.url}/v1/whoami", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["create", "--name", "x", "--scopes", "scores:wrte"], "unknown scope 'scores:wrte'"),
        (["create", "--name", " ", "--scopes", "admin"], "printable characters"),
        (["create", "--name", "x", "--scopes", ","], "at least one scope"),
    ],
)
def test_bad_arguments_exit_2_naming_the_problem(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run_apikey(*argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.usefixtures("environment")
def test_revoking_an_unknown_key_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_apikey("create", "--name", "someone", "--scopes", "admin") == 0
    assert run_apikey("revoke", "0123456789ab") == 2
    assert "no API key with id '0123456789ab'" in capsys.readouterr().err


def test_postgres_without_a_pepper_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CONNECT_RISK_API_KEY_PEPPER", raising=False)
    code = run_apikey("list", "--database-url", "postgresql+psycopg://postgres@127.0.0.1:1/x")
    assert code == 2
    assert "CONNECT_RISK_API_KEY_PEPPER" in capsys.readouterr().err


@pytest.mark.parametrize(
    "template",
    [
        "postgresql+psycopg://risk:{secret}@127.0.0.1:5432/test",
        "postgresql+psycopg://risk@127.0.0.1:5432/test?password={secret}",
        "postgresql+psycopg://risk@127.0.0.1:5432/test?sslmode=require&sslpassword={secret}",
    ],
    ids=["in-the-authority", "in-the-query", "ssl-key-password"],
)
def test_a_database_password_on_the_command_line_is_refused_unechoed(
    capsys: pytest.CaptureFixture[str], template: str
) -> None:
    secret = "s3cret-Passw0rd"
    url = template.format(secret=secret)
    with pytest.raises(SystemExit) as exited:
        run_apikey("list", "--database-url", url)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "set DATABASE_URL in the environment instead" in err
    assert secret not in err
