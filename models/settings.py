"""One settings object for the whole product.

Values come from the environment first, then from `.streamlit/secrets.toml` (read
as a plain TOML file so that nothing below the UI imports Streamlit), then the
defaults: an embedded SQLite database at `data/growth.db`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB_PATH = DATA_DIR / "growth.db"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Settings:
    db_url: str
    timezone: str = "Asia/Shanghai"
    demo: bool = True
    data_dir: Path = DATA_DIR
    upload_max_mb: int = 200
    session_minutes: int = 60  # a login expires after this long without activity

    @property
    def is_embedded(self) -> bool:
        """True when the database is the default embedded SQLite file."""
        return self.db_url == sqlite_url(DEFAULT_DB_PATH)

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")


class SettingsError(ValueError):
    """A setting that cannot work; the message says which and what to set instead."""


def check_db_url(url: str) -> str:
    """`url` if it names a database that outlives the process; an in-memory SQLite URL
    (`sqlite://`, `sqlite:///`, `:memory:`) would load into nothing and is refused."""
    if url.startswith("sqlite"):
        path = url.split("://", 1)[-1].removeprefix("/").split("?", 1)[0]
        if path in ("", ":memory:") or "mode=memory" in url:
            raise SettingsError(
                f"database URL {url!r} is an in-memory SQLite database: nothing would be "
                "kept. Give a file, e.g. sqlite:///data/growth.db, or leave it unset for the "
                "embedded database"
            )
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _read_secrets(path: Path) -> Mapping[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_settings(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> Settings:
    """Build the settings from `GROWTH_*` environment variables, secrets, then defaults."""
    env = os.environ if env is None else env
    secrets = _read_secrets(secrets_path)
    section = secrets.get("growth", {})
    growth = section if isinstance(section, Mapping) else {}

    def pick(name: str, default: str) -> str:
        value = env.get(f"GROWTH_{name.upper()}") or growth.get(name.lower())
        return str(value) if value not in (None, "") else default

    db_url = check_db_url(pick("db_url", sqlite_url(DEFAULT_DB_PATH)))
    return Settings(
        db_url=db_url,
        timezone=pick("timezone", "Asia/Shanghai"),
        demo=pick("demo", "1").strip().lower() not in ("0", "false", "no", "off"),
        data_dir=Path(pick("data_dir", str(DATA_DIR))),
        upload_max_mb=int(pick("upload_max_mb", "200")),
        session_minutes=int(pick("session_minutes", "60")),
    )
