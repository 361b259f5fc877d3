"""Build and install the offline Dutch spaCy pipeline ``nl_simplemma_lookup``.

Used where the official ``nl_core_news_sm`` cannot be downloaded (no internet
except the package registries). The pipeline is spaCy's blank Dutch tokenizer
plus a lookup lemmatizer whose table comes from simplemma's Dutch dictionary
(a PyPI package, pinned in requirements.lock). It has no tagger, parser or NER
and no word vectors, and its name says so: it never pretends to be
nl_core_news_sm.

    python tools/build_dutch_model.py --out build/models
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE_NAME = "simplemma_lookup"  # spaCy prefixes the language: nl_simplemma_lookup
PACKAGE_VERSION = "0.1.0"


def lemma_table() -> dict[str, str]:
    """Word form -> lemma, with lower-case and Title-case keys.

    Rasa's SpacyNLP lower-cases text by default; other callers may not, so
    sentence-initial Title-case forms are covered too.
    """
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    source = DefaultDictionaryFactory().get_dictionary("nl")
    table: dict[str, str] = {}
    for form, lemma in source.items():
        lemma = str(lemma)
        table.setdefault(form, lemma)
        table.setdefault(form.lower(), lemma.lower())
        table.setdefault(form[:1].upper() + form[1:], lemma)
    return table


def build_pipeline(target: Path) -> Path:
    import spacy
    from spacy.lookups import Lookups

    nlp = spacy.blank("nl")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = Lookups()
    lookups.add_table("lemma_lookup", lemma_table())
    lemmatizer.lookups = lookups
    nlp.meta.update(
        {
            "name": PACKAGE_NAME,
            "version": PACKAGE_VERSION,
            "description": (
                "Offline Dutch pipeline: spaCy blank 'nl' tokenizer and a lookup "
                "lemmatizer built from simplemma's Dutch dictionary. Not nl_core_news_sm."
            ),
            "author": "reintegratie-assistent",
            "license": "MIT (code); simplemma data: MIT",
            "spacy_version": f">={spacy.about.__version__},<3.5.0",
        }
    )
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/models"))
    parser.add_argument("--no-install", action="store_true", help="only build the wheel")
    args = parser.parse_args()

    pipeline_dir = build_pipeline(args.out / "pipeline")
    dist = args.out / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "spacy", "package", str(pipeline_dir), str(dist), "--build", "wheel", "--force"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wheels = sorted(dist.glob("*/dist/*.whl"))
    if not wheels:
        print("Bouwen van het Nederlandse model is mislukt: geen wheel gevonden.", file=sys.stderr)
        return 1
    print(wheels[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
