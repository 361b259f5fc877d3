"""No YAML file of the assistant defines a key twice: YAML keeps the last one silently.

Two branches once each added a `gemeente` slot to domain.yml; the merged file had both and Rasa used the second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
TOP = ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml")
FILES = sorted(
    [ROOT / name for name in TOP]
    + [path for folder in ("data", "kennisbank", "eligibility") for path in (ROOT / folder).rglob("*.yml")]
)


class DuplicateKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a mapping with the same key twice."""


def _mapping(loader: DuplicateKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} appears twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


DuplicateKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_key_twice(path: Path) -> None:
    yaml.load(path.read_text(encoding="utf-8"), Loader=DuplicateKeyLoader)


def test_the_check_finds_a_key_twice() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="'gemeente' appears twice"):
        yaml.load("slots:\n  gemeente: 1\n  gemeente: 2\n", Loader=DuplicateKeyLoader)
