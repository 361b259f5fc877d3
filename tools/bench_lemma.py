"""Benchmark: lemma accuracy of the installed Dutch spaCy pipeline on UD Dutch.

Gold tokens are given to the pipeline (no tokenisation errors), punctuation
is excluded and lemmas are compared case-folded (as in
../shared/data/ud_dutch/README.md). A second figure also removes Lassy's
compound separator ``_`` (gold ``Frans_talig`` then equals ``franstalig``).
This prints numbers; it is a benchmark, not a test.

    python tools/bench_lemma.py [--conllu FILE] [--model NAME]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_CONLLU = Path(__file__).resolve().parent.parent.parent / "shared/data/ud_dutch/nl_lassysmall-ud-dev.conllu"


def read_conllu(path: Path) -> list[list[tuple[str, str, str]]]:
    """Sentences as lists of (form, lemma, upos); multiword and empty nodes skipped."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        current.append((cols[1], cols[2], cols[3]))
    if current:
        sentences.append(current)
    return sentences


def normalise(lemma: str, join_compounds: bool = False) -> str:
    return (lemma.replace("_", "") if join_compounds else lemma).casefold()


def main() -> int:
    from reintegratie.nlu.spacy_nlp import load_dutch_pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conllu", type=Path, default=DEFAULT_CONLLU)
    parser.add_argument("--model", default=None, help="spaCy package name (default: what the assistant uses)")
    args = parser.parse_args()
    if not args.conllu.exists():
        print(f"Geen testdata gevonden: {args.conllu}", file=sys.stderr)
        return 2

    from spacy.tokens import Doc

    nlp, name = load_dutch_pipeline(args.model)
    sentences = read_conllu(args.conllu)
    total = correct = joined = baseline = 0
    started = time.perf_counter()
    for sentence in sentences:
        doc = Doc(nlp.vocab, words=[form for form, _, _ in sentence])
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        for token, (form, gold, upos) in zip(doc, sentence, strict=True):
            if upos == "PUNCT":
                continue
            total += 1
            predicted = token.lemma_ or form
            correct += normalise(predicted) == normalise(gold)
            joined += normalise(predicted, True) == normalise(gold, True)
            baseline += normalise(form) == normalise(gold)
    elapsed = time.perf_counter() - started
    print(f"model            {name}")
    print(f"data             {args.conllu.name} ({len(sentences)} sentences, {total} tokens, punctuation excluded)")
    print(f"lemma accuracy   {correct / total:.1%}")
    print(f"compounds joined {joined / total:.1%}")
    print(f"lowercase only   {baseline / total:.1%}  (baseline)")
    print(f"speed            {total / elapsed:,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
