"""Settings from the environment, read when asked for (inside create_app or a
command), never at import time."""
from __future__ import annotations

import os
from collections.abc import Mapping

from bot.persistence.database import DEFAULT_URL


def database_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return env.get("DATABASE_URL") or DEFAULT_URL
