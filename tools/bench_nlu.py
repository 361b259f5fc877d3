"""Benchmark: 5-fold cross-validation of the NLU (intents and kennisbank articles).

Runs `rasa test nlu --cross-validation` with config.test.yml and prints the
macro-F1 of the intents (faq counted as one intent) and of the article choice
by the ResponseSelector (faq/<article id>), with the weakest of each.
It prints numbers; it is not a test. Takes several minutes.

`--quick` runs the same folds in about 15 seconds with a linear stand-in (TF-IDF words and character
n-grams, logistic regression, scikit-learn): for kennisbank authors who want to know fast whether new
examples separate an article from its siblings. Its figures came within 0.03 of DIET's on this data.

    python tools/bench_nlu.py [--folds 5] [--config config.test.yml] [--quick]
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


def quick(folds: int, weakest: int) -> int:
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline, make_union

    data = load_data(str(ROOT / "data" / "nlu"), language="nl")
    examples = [m for m in data.intent_examples if m.get("text")]

    def run(label: str, pairs: list[tuple[str, str]]) -> None:
        texts, labels = [t for t, _ in pairs], [y for _, y in pairs]
        model = make_pipeline(
            make_union(
                TfidfVectorizer(sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
            ),
            LogisticRegression(C=20, max_iter=3000),
        )
        predicted = cross_val_predict(model, texts, labels, cv=StratifiedKFold(folds, shuffle=True, random_state=0))
        names = sorted(set(labels))
        scores = f1_score(labels, predicted, average=None, labels=names)
        print(f"{label}: macro-F1 {scores.mean():.3f} over {len(names)} labels (quick stand-in)")
        for f1, name in sorted(zip(scores, names, strict=True))[:weakest]:
            print(f"  {f1:.3f}  {name}")

    run("intents", [(m.get("text"), m.get("intent")) for m in examples])
    run("kennisbank articles", [(m.get("text"), m.get_full_intent()) for m in examples if m.get("intent") == "faq"])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", default="config.test.yml")
    parser.add_argument("--weakest", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="linear stand-in, about 15 seconds")
    args = parser.parse_args()
    if args.quick:
        return quick(args.folds, args.weakest)
    out = ROOT / "results" / "bench_nlu"
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [
            str(rasa),
            "test",
            "nlu",
            "--nlu",
            "data",
            "--config",
            args.config,
            "--cross-validation",
            "--folds",
            str(args.folds),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
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
