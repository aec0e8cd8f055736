"""Vector arithmetic for grouping texts: TF-IDF, latent semantic reduction, seeded spherical
k-means and the silhouette. numpy only, deterministic for the same input."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

#: Seeded k-means restarts; the best of them wins.
RESTARTS = 32
SEED = 20240604


def tfidf(documents: Sequence[dict], min_df: int = 1) -> tuple[np.ndarray, list[str]]:
    """Sublinear TF-IDF rows (L2-normalised) over the features of ``documents``."""
    df: Counter = Counter()
    for document in documents:
        df.update(key for key, value in document.items() if value > 0)
    features = sorted(key for key, count in df.items() if count >= min_df)
    column = {feature: i for i, feature in enumerate(features)}
    n = len(documents)
    idf = {key: math.log((1 + n) / (1 + df[key])) + 1 for key in features}
    rows, columns, values = [], [], []
    for row, document in enumerate(documents):
        for key, value in document.items():
            if value > 0 and key in column:
                rows.append(row)
                columns.append(column[key])
                values.append((1 + math.log(value) if value >= 1 else value) * idf[key])
    matrix = np.zeros((n, len(features)))
    matrix[rows, columns] = values
    return normalise(matrix), features


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def lsa(matrix: np.ndarray, dimensions: int) -> np.ndarray:
    """The rows of ``matrix`` projected on its top ``dimensions`` singular directions.

    A randomised SVD (Halko, Martinsson, Tropp 2011) with a fixed seed: a few products of
    the topics' matrix instead of a full decomposition.
    """
    rows, columns = matrix.shape
    rank = min(dimensions, rows, columns)
    if rank == 0:
        return np.zeros((rows, 0))
    rng = np.random.default_rng(SEED)
    sketch = matrix @ rng.standard_normal((columns, min(rank + 10, columns)))
    for _ in range(2):  # power iterations sharpen the spectrum of short, sparse texts
        sketch = matrix @ (matrix.T @ np.linalg.qr(sketch)[0])
    basis = np.linalg.qr(sketch)[0]
    left, values, _ = np.linalg.svd(basis.T @ matrix, full_matrices=False)
    left, values = left[:, :rank], values[:rank]
    # An SVD's signs are arbitrary; fix them so the same input gives the same numbers.
    projected = basis @ left * values
    signs = np.sign(projected[np.abs(projected).argmax(axis=0), np.arange(projected.shape[1])])
    return projected * np.where(signs == 0, 1, signs)


def kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    first = int(rng.integers(len(points)))
    chosen = [first]
    distance = 1 - points @ points[first]
    for _ in range(1, k):
        weights = np.clip(distance, 0, None) ** 2
        total = weights.sum()
        if total <= 0:
            pick = next(i for i in range(len(points)) if i not in chosen)
        else:
            pick = int(rng.choice(len(points), p=weights / total))
        chosen.append(pick)
        distance = np.minimum(distance, 1 - points @ points[pick])
    return points[chosen].copy()


def kmeans(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, float]:
    """Spherical k-means (cosine) from ``centres``; returns labels and total similarity."""
    k = len(centres)
    labels = np.full(len(points), -1)
    for _ in range(100):
        similarity = points @ centres.T
        new = similarity.argmax(axis=1)
        for cluster in range(k):  # an empty group takes the topic that fits its own worst
            if not (new == cluster).any():
                fit = similarity[np.arange(len(points)), new]
                donors = np.bincount(new, minlength=k)[new] > 1
                worst = int(np.argmin(np.where(donors, fit, np.inf)))
                new[worst] = cluster
        if (new == labels).all():
            break
        labels = new
        onehot = np.eye(k)[labels]
        centres = normalise(onehot.T @ points)
    score = float((points * centres[labels]).sum())
    return labels, score


def best_kmeans(points: np.ndarray, k: int, restarts: int = RESTARTS) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    best_labels, best_score = None, -np.inf
    for _ in range(restarts):
        labels, score = kmeans(points, kmeans_plus_plus(points, k, rng))
        if score > best_score + 1e-9:
            best_labels, best_score = labels, score
    return best_labels


def by_size(labels: np.ndarray) -> list[int]:
    """Relabel 0..k-1 by size (largest first, then by first appearance): stable output."""
    counts = Counter(labels.tolist())
    first = {}
    for position, label in enumerate(labels.tolist()):
        first.setdefault(label, position)
    order = sorted(counts, key=lambda label: (-counts[label], first[label]))
    rename = {old: new for new, old in enumerate(order)}
    return [rename[label] for label in labels.tolist()]


def silhouette(distance: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette for a distance matrix (singletons count 0, as usual)."""
    k = labels.max() + 1
    if k < 2:
        return 0.0
    n = len(labels)
    onehot = np.eye(k)[labels]
    sizes = onehot.sum(axis=0)
    totals = distance @ onehot
    own = totals[np.arange(n), labels]
    own_size = sizes[labels]
    a = np.divide(own, own_size - 1, out=np.zeros_like(own), where=own_size > 1)
    mean_other = totals / np.where(sizes > 0, sizes, 1)
    mean_other[np.arange(n), labels] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())
