"""The questions tools/bench_nlu.py leaves out for the articles' target of issue 17 are in the training data."""

from __future__ import annotations

import yaml

from tools.bench_nlu import ADDED_QUESTIONS, ROOT, words


def test_every_added_question_is_an_example_of_an_article() -> None:
    added = {words(line) for line in ADDED_QUESTIONS.read_text(encoding="utf-8").splitlines() if line[:1] != "#"}
    examples: set[str] = set()
    for block in yaml.safe_load((ROOT / "data" / "nlu" / "kennisbank.yml").read_text(encoding="utf-8"))["nlu"]:
        examples.update(words(line.removeprefix("- ")) for line in str(block.get("examples") or "").splitlines())
    assert len(added) == 608
    assert added <= examples, sorted(added - examples)[:5]
