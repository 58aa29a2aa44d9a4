"""One settings object: environment, then secrets, then the embedded default."""

from __future__ import annotations

from pathlib import Path

from models.settings import DEFAULT_DB_PATH, load_settings, sqlite_url


def test_default_is_the_embedded_sqlite(tmp_path: Path) -> None:
    settings = load_settings(env={}, secrets_path=tmp_path / "none.toml")
    assert settings.db_url == sqlite_url(DEFAULT_DB_PATH)
    assert settings.is_embedded and settings.demo
    assert settings.timezone == "Asia/Shanghai"


def test_environment_wins_over_secrets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[growth]\ndb_url = "postgresql+psycopg://a@h/db"\ndemo = "0"\n')
    from_secrets = load_settings(env={}, secrets_path=secrets)
    assert from_secrets.db_url == "postgresql+psycopg://a@h/db"
    assert not from_secrets.is_embedded and not from_secrets.demo
    from_env = load_settings(env={"GROWTH_DB_URL": "sqlite:////tmp/x.db"}, secrets_path=secrets)
    assert from_env.db_url == "sqlite:////tmp/x.db"
