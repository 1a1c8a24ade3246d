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
    if n < 3:
        return np.full((n, 2), 0.5, dtype=np.float32)
    groups = np.array(langs)
    if n <= SVD_UP_TO:
        x = _centred(vectors.astype(np.float64), groups)
        _, _, vt = np.linalg.svd(x, full_matrices=False)
        coords = x @ vt[:2].T
    else:
        coords = _covariance_pca(vectors, groups)
    # Fix each axis's sign (SVD's is arbitrary) so a rebuild draws the same map.
    far = np.abs(coords).argmax(axis=0)
    sign = np.sign(coords[far, [0, 1]])
    coords *= np.where(sign == 0, 1.0, sign)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return ((coords - low) / span).astype(np.float32)


def _centred(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    for lang in set(groups.tolist()):
        x[groups == lang] -= x[groups == lang].mean(axis=0)
    return x - x.mean(axis=0)


BLOCK = 50_000  # talks a time: a million talks' vectors are never copied (or widened to float64) whole


def _covariance_pca(vectors: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The same axes from the d x d covariance (one matrix product instead of an n x d SVD),
    accumulated a block of talks at a time in float64."""
    n, d = vectors.shape
    blocks = [slice(i, i + BLOCK) for i in range(0, n, BLOCK)]
    langs = list(dict.fromkeys(groups.tolist()))
    sums = {lang: np.zeros(d) for lang in langs}
    for b in blocks:
        x, g = vectors[b].astype(np.float64), groups[b]
        for lang in langs:
            sums[lang] += x[g == lang].sum(axis=0)
    means = {lang: sums[lang] / max(1, int((groups == lang).sum())) for lang in langs}

    # After each language's mean is removed the overall mean is zero (up to rounding): centre once more.
    def centred(b: slice) -> np.ndarray:
        x, g = vectors[b].astype(np.float64), groups[b]
        for lang in langs:
            x[g == lang] -= means[lang]
        return x

    overall = sum(centred(b).sum(axis=0) for b in blocks) / n
    cov = np.zeros((d, d))
    for b in blocks:
        x = centred(b) - overall
        cov += x.T @ x
    _, vecs = np.linalg.eigh(cov)
    axes = vecs[:, ::-1][:, :2]
    return np.concatenate([(centred(b) - overall) @ axes for b in blocks])
