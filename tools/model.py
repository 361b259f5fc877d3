"""Train a Rasa model only when its inputs changed.

A model's name carries a fingerprint of everything that shapes it: the
config file, domain.yml, data/, our NLU components, the Rasa version and the
Dutch spaCy model that is installed. An existing model with that name
is reused; otherwise `rasa train` runs once.

    python tools/model.py train --config config.yml   # prints the model path
    python tools/model.py path  --config config.yml        # path, exit 1 if untrained
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
# Everything that shapes a trained model: the domain, the training data and our NLU components (all of
# reintegratie/nlu: a component's code decides what it learns and how it reads its stored state back).
INPUTS = [
    "domain.yml",
    "data",
    "reintegratie/nlu",
    "common/privacy.py",
]


def installed_spacy_model() -> str:
    for name in ("nl_core_news_sm", "nl_simplemma_lookup"):
        try:
            return f"{name}=={metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
    return "none"


def fingerprint(config: Path, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    files = [config] + [
        path
        for entry in INPUTS
        for path in sorted((root / entry).rglob("*") if (root / entry).is_dir() else [root / entry])
        if path.is_file() and "__pycache__" not in path.parts
    ]
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    digest.update(f"rasa=={metadata.version('rasa')}".encode())
    digest.update(installed_spacy_model().encode())
    return digest.hexdigest()[:16]


def model_path(config: Path) -> Path:
    return MODELS / f"{config.stem.replace('.', '-')}-{fingerprint(config)}.tar.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["train", "path"])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    args = parser.parse_args()
    config = args.config.resolve()
    target = model_path(config)
    if target.exists():
        print(target)
        return 0
    if args.command == "path":
        print(f"Geen getraind model voor {config.name}; voer eerst een training uit.", file=sys.stderr)
        return 1
    print(f"Training {target.name} (data or config changed) ...", file=sys.stderr)
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [
            str(rasa),
            "train",
            "--config",
            str(config),
            "--out",
            str(MODELS),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
        ],
        cwd=ROOT,
        stdout=sys.stderr,
    )
    if result.returncode != 0 or not target.exists():
        print("Training mislukt; zie de uitvoer hierboven.", file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
