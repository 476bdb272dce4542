"""Train the small-intent model (nlu/acts.py) on the project's labelled corpus.

    python -m nlu.train [--corpus nlu/data/acts.txt] [--out nlu/acts_model.json] [--check]

Reads the corpus (one message a line under its act's [header]), normalizes each
message the way the language layer does, and fits a multinomial logistic regression
(scikit-learn, lbfgs, fixed seed) on word and character n-grams (acts.features).
Writes the weights as JSON, rounded and sorted, so that the same corpus and the same
code give the same bytes. --check retrains and compares with the committed file
instead of writing it (exit 1 when they differ).

scikit-learn is needed to train, never to read the model.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .acts import MODEL_PATH, features
from .normalize import normalize

CORPUS_PATH = Path(__file__).with_name("data") / "acts.txt"
SEED = 20261208
C = 8.0                 # weak regularisation: the corpus is small and clean
DIGITS = 2
MIN_WEIGHT = 0.01


def load_corpus(path: Path = CORPUS_PATH) -> list[tuple[str, str]]:
    """(act, text) pairs, in file order."""
    out: list[tuple[str, str]] = []
    act = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            act = line[1:-1]
            continue
        if act is None:
            raise ValueError(f"{path}: a message before any [act] header: {line!r}")
        out.append((act, line))
    return out


def train(corpus: list[tuple[str, str]]) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    acts = sorted({a for a, _ in corpus})
    x_dicts = [dict.fromkeys(features(normalize(text)), 1) for _, text in corpus]
    y = [acts.index(a) for a, _ in corpus]
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(x_dicts)
    clf = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    weights = {}
    for j, name in enumerate(names):
        col = [round(float(clf.coef_[i, j]), DIGITS) for i in range(len(acts))]
        if max(abs(v) for v in col) >= MIN_WEIGHT:
            weights[str(name)] = col
    return {"acts": acts, "bias": [round(float(b), DIGITS) for b in clf.intercept_], "weights": weights,
            "trained_on": len(corpus), "seed": SEED, "C": C}


def dumps(model: dict) -> str:
    return json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)
    text = dumps(train(load_corpus(args.corpus)))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'the same' if same else 'DIFFERS from a retrained model'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
