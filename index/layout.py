"""A 2-D layout of the talks for the topic map, computed at build time.

PCA (numpy's SVD) of one vector per talk (title + abstract, or the title alone), after
removing each abstract language's mean vector: the multilingual encoder puts Chinese and
English texts a constant offset apart, and without the centring the first axis of the map
would be the language instead of the subject.
"""

from __future__ import annotations

import numpy as np

from index.passages import DOCUMENT, TITLE

SVD_UP_TO = 2_000  # talks; above, PCA from the d x d covariance (an SVD of 100k x 512 takes minutes)


def talk_vectors(
    matrix: np.ndarray, passage_talk: np.ndarray, passage_kind: np.ndarray, n: int, rows: np.ndarray | None = None
) -> np.ndarray:
    """One vector per talk: its title + abstract passage where it has one, else its title
    (passage ``i``'s vector is ``matrix[rows[i]]``, or ``matrix[i]`` without ``rows``)."""
    out = np.zeros((n, matrix.shape[1]), dtype=np.float32)
    for kind in (TITLE, DOCUMENT):  # DOCUMENT second: it overwrites the title where present
        found = np.flatnonzero(passage_kind == kind)
        out[passage_talk[found]] = matrix[found if rows is None else rows[found]]
    return out


def layout(vectors: np.ndarray, langs: list[str]) -> np.ndarray:
    """(n, 2) float32 coordinates in [0, 1], the first two principal components."""
    n = len(vectors)
    if n == 0:
        return np.zeros((0, 2), dtype=np.float32)
    x = vectors.astype(np.float64, copy=True)
    groups = np.array(langs)
    for lang in set(langs):
        x[groups == lang] -= x[groups == lang].mean(axis=0)
    x -= x.mean(axis=0)
    if n < 3:
        return np.full((n, 2), 0.5, dtype=np.float32)
    if n <= SVD_UP_TO:
        _, _, vt = np.linalg.svd(x, full_matrices=False)
        axes = vt[:2].T
    else:  # the same axes from the d x d covariance: one matrix product instead of an n x d SVD
        _, vecs = np.linalg.eigh(x.T @ x)
        axes = vecs[:, ::-1][:, :2]
    coords = x @ axes
    # Fix each axis's sign (SVD's is arbitrary) so a rebuild draws the same map.
    far = np.abs(coords).argmax(axis=0)
    sign = np.sign(coords[far, [0, 1]])
    coords *= np.where(sign == 0, 1.0, sign)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return ((coords - low) / span).astype(np.float32)
