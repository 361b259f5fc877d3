"""Print what this installation runs on: versions, Dutch spaCy model, stores, models."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common.settings import StoreSettings  # noqa: E402
from tools.model import installed_spacy_model, model_path  # noqa: E402


def main() -> int:
    stores = StoreSettings.from_env()
    from sqlalchemy.engine import make_url

    rows = {
        "python": platform.python_version(),
        "rasa": metadata.version("rasa"),
        "rasa-sdk": metadata.version("rasa-sdk"),
        "spacy": metadata.version("spacy"),
        "sqlalchemy": metadata.version("sqlalchemy"),
        "dutch spaCy model": installed_spacy_model(),
        "tracker store": make_url(stores.tracker_store_url).render_as_string(hide_password=True),
        "lock store": stores.lock_store_url or "in memory",
    }
    for config in ("config.yml",):
        path = model_path(ROOT / config)
        rows[f"model ({config})"] = str(path.relative_to(ROOT)) + ("" if path.exists() else " (not trained)")
    width = max(map(len, rows))
    for key, value in rows.items():
        print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
