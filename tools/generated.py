"""The command line of a generator of a file under data/: write the file, or with --check say whether it is current."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sync(target: Path, render: Callable[[], str], description: str) -> int:
    """Write ``render()`` to ``target``; with --check, exit 1 (and say so) if the file differs or is missing."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {target.relative_to(ROOT)} is out of date")
    args = parser.parse_args()
    wanted = render()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != wanted:
            print(f"{target.relative_to(ROOT)} is out of date: run `make kennisbank`.", file=sys.stderr)
            return 1
        return 0
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0
