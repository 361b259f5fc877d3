"""Benchmark: 5-fold cross-validation of the NLU (intents and kennisbank articles).

Runs `rasa test nlu --cross-validation` with config.test.yml and prints the
macro-F1 of the intents (faq counted as one intent) and of the article choice
by the ResponseSelector (faq/<article id>), with the weakest of each.
It prints numbers; it is not a test. Takes several minutes.

    python tools/bench_nlu.py [--folds 5] [--config config.test.yml]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def report(path: Path, label: str, weakest: int) -> None:
    if not path.exists():
        print(f"{label}: no report at {path}")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    scores = {name: values["f1-score"] for name, values in data.items() if name not in IGNORED}
    print(f"{label}: macro-F1 {data['macro avg']['f1-score']:.3f} over {len(scores)} labels")
    for name, f1 in sorted(scores.items(), key=lambda item: item[1])[:weakest]:
        print(f"  {f1:.3f}  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", default="config.test.yml")
    parser.add_argument("--weakest", type=int, default=5)
    args = parser.parse_args()
    out = ROOT / "results" / "bench_nlu"
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "test", "nlu", "--nlu", "data", "--config", args.config, "--cross-validation",
         "--folds", str(args.folds), "--out", str(out)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        return result.returncode
    print(f"NLU {args.folds}-fold cross-validation, {args.config}")
    report(out / "intent_report.json", "intents", args.weakest)
    report(out / "response_selection_report.json", "kennisbank articles (ResponseSelector)", args.weakest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
