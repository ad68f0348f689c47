"""Settings: the usual variable names, defaults under ./var, secrets kept out of sight."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.errors import ConfigurationError
from service.settings import MIB, Settings, load_settings

DOCS = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"

WELL_KNOWN = {
    "database_url": "DATABASE_URL",
    "mlflow_tracking_uri": "MLFLOW_TRACKING_URI",
    "stripe_api_key": "STRIPE_API_KEY",
    "stripe_api_base": "STRIPE_API_BASE",
    "stripe_webhook_secret": "STRIPE_WEBHOOK_SECRET",
}


def env_name(field: str) -> str:
    return WELL_KNOWN.get(field, f"CONNECT_RISK_{field.upper()}")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for field in Settings.model_fields:
        monkeypatch.delenv(env_name(field), raising=False)
        monkeypatch.delenv(f"CONNECT_RISK_{field.upper()}", raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_live_under_var_of_the_working_directory(tmp_path: Path) -> None:
    settings = Settings()
    assert settings.sqlite_path == tmp_path / "var" / "connect-risk.db"
    assert settings.mlflow_tracking_uri == f"sqlite:///{tmp_path / 'var' / 'mlflow.db'}"
    assert (settings.max_body_bytes, settings.max_document_bytes) == (MIB, 10 * MIB)
    assert settings.inprocess_worker is True
    assert settings.echo_endpoint is False  # the benchmark's echo route is opt-in
    assert not (tmp_path / "var").exists()  # building settings creates nothing


def test_every_setting_is_read_from_its_documented_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = {
        "DATABASE_URL": "sqlite:///elsewhere.db",
        "MLFLOW_TRACKING_URI": "http://mlflow:5000",
        "STRIPE_API_KEY": "sk_test_123",
        "STRIPE_API_BASE": "http://127.0.0.1:12111",
        "STRIPE_WEBHOOK_SECRET": "whsec_new, whsec_old",
        "CONNECT_RISK_POLICY_PATH": "policy.yaml",
        "CONNECT_RISK_API_KEY_PEPPER": "z" * 40,
        "CONNECT_RISK_MAX_BODY_BYTES": "2048",
        "CONNECT_RISK_MAX_DOCUMENT_BYTES": "4096",
        "CONNECT_RISK_DOCUMENT_PARSERS": "3",
        "CONNECT_RISK_INPROCESS_WORKER": "false",
        "CONNECT_RISK_MODEL_POLL_SECONDS": "2.5",
        "CONNECT_RISK_LOG_LEVEL": "debug",
        "CONNECT_RISK_ECHO_ENDPOINT": "true",
        "CONNECT_RISK_NETWORK_REFRESH_SECONDS": "0",
        "CONNECT_RISK_SHADOW_CHALLENGER": "true",
        "CONNECT_RISK_STRIPE_CONCURRENCY": "8",
    }
    assert {env_name(field) for field in Settings.model_fields} == set(values)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.mlflow_tracking_uri == "http://mlflow:5000"
    assert settings.stripe_api_base == "http://127.0.0.1:12111"
    assert settings.webhook_secrets() == ("whsec_new", "whsec_old")
    assert settings.policy_path == Path("policy.yaml")
    assert (settings.max_body_bytes, settings.max_document_bytes) == (2048, 4096)
    assert settings.inprocess_worker is False and settings.log_level == "DEBUG"
    assert settings.model_poll_seconds == 2.5
    assert settings.echo_endpoint is True
    assert settings.network_refresh_seconds == 0 and settings.shadow_challenger is True
    assert settings.stripe_concurrency == 8
    assert settings.document_parsers == 3
    assert "sk_test_123" not in repr(settings) and "z" * 40 not in repr(settings)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("database_url", "mysql://db/risk"),
        ("database_url", "not a url"),
        ("max_body_bytes", 0),
        ("api_key_pepper", "too-short"),
        ("log_level", "LOUD"),
        ("stripe_concurrency", 0),
        ("stripe_concurrency", 33),
        ("document_parsers", 0),
        ("stripe_api_key", "pk_live_publishable"),
        ("stripe_api_base", "not-a-url"),
        ("stripe_api_base", "ftp://api.stripe.com"),
        ("stripe_webhook_secret", ",,"),
        ("stripe_webhook_secret", "whsec_a,,whsec_b"),
        ("stripe_webhook_secret", "not-a-signing-secret"),
    ],
)
def test_unusable_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        Settings(**{field: value})  # type: ignore[arg-type]


def test_docs_describe_every_setting() -> None:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DOCS.read_text(encoding="utf-8")))
    missing = {env_name(field) for field in Settings.model_fields} - documented
    assert not missing, f"document {sorted(missing)} in docs/configuration.md"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("CONNECT_RISK_MAX_BODY_BYTES", "abc", "CONNECT_RISK_MAX_BODY_BYTES: "),
        ("CONNECT_RISK_LOG_LEVEL", "LOUD", "CONNECT_RISK_LOG_LEVEL: "),
        (
            "CONNECT_RISK_DATABASE_URL",
            "mysql://user:s3cret@db/risk",
            "DATABASE_URL or CONNECT_RISK_DATABASE_URL: ",
        ),
    ],
)
def test_a_bad_value_is_reported_by_its_variable_never_its_value(
    variable: str, value: str, named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as refused:
        load_settings()
    assert named in str(refused.value)
    assert value not in str(refused.value)
