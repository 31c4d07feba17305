"""Word 4-gram shingle precision / recall / F1: the article-extraction-benchmark metric.

This is a re-implementation of the scoring defined in ``evaluate.py`` of
scrapinghub/article-extraction-benchmark (MIT), so that figures printed by
``benchmarks/extraction.py`` are comparable with the ones published there:

* Tokens: every match of ``\\w+`` (``re.UNICODE``) in the text; ``None`` counts
  as the empty string. Case is kept as is.
* Shingles: the multiset of consecutive 4-token tuples. A text with fewer than
  4 tokens (but at least one) yields one shorter shingle made of all its tokens;
  an empty text yields none.
* Per document: over the union of shingles, ``tp += min(true, pred)``,
  ``fp += max(0, pred - true)``, ``fn += max(0, true - pred)``; then the three
  counts are divided by their sum (when it is > 0) "so that longer texts do not
  have more weight".
* Per-document precision is 1 when ``fp == fn == 0``, 0 when ``tp == fp == 0``,
  else ``tp / (tp + fp)``; recall likewise with ``fn``.
* Corpus precision is the mean of per-document precision over the documents with
  ``tp + fp > 0`` (so an empty prediction does not lower precision, only recall);
  corpus recall is the mean over documents with ``tp + fn > 0``; F1 is the
  harmonic mean of these two averages (not an average of per-document F1).
* Accuracy: the share of documents whose token lists are identical.
* Uncertainty: the standard deviation of each figure over bootstrap resamples of
  the documents (1,000 resamples by default, documents drawn with replacement).
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

NGRAM_N = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class DocScore:
    """Normalised true-positive / false-positive / false-negative shares."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float:
        return _precision(self.tp, self.fp, self.fn)

    @property
    def recall(self) -> float:
        return _recall(self.tp, self.fp, self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM_N) -> Counter[tuple[str, ...]]:
    tokens = tokenize(text)
    grams = (tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def score_document(true: str | None, pred: str | None, n: int = NGRAM_N) -> DocScore:
    """Score one prediction against its ground truth."""
    true_sh, pred_sh = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return DocScore(tp, fp, fn, tokenize(true) == tokenize(pred))


def aggregate(scores: Sequence[DocScore]) -> dict[str, float]:
    """Corpus precision, recall, F1 and accuracy of per-document scores."""
    precisions = [s.precision for s in scores if s.tp + s.fp > 0]
    recalls = [s.recall for s in scores if s.tp + s.fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.mean(float(s.exact) for s in scores) if scores else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def evaluate(
    scores: Sequence[DocScore], n_bootstrap: int = 1000, seed: int = 0
) -> dict[str, float]:
    """Corpus figures plus ``<name>_std`` bootstrap standard deviations."""
    metrics = aggregate(scores)
    if n_bootstrap < 2 or not scores:
        return metrics
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {k: [] for k in metrics}
    n = len(scores)
    for _ in range(n_bootstrap):
        resample = [scores[rng.randrange(n)] for _ in range(n)]
        for key, value in aggregate(resample).items():
            samples[key].append(value)
    for key, values in samples.items():
        metrics[f"{key}_std"] = statistics.stdev(values)
    return metrics


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)
