"""The embedding step of a build as a Ray Data job (``talksearch build --ray [ADDRESS]``).

Optional: needs ``pip install 'talksearch[distributed]'`` (a pinned ray). The texts to embed are
cut into the same batches the single-process build encodes, one dataset row per batch; encoder
actors (one per CPU of the cluster, each loading the encoder once) map the rows, and the vectors
come back in batch order, so the cache and the index are identical to a single-process build.
Every node must have the same talksearch and encoder packages installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from corpus.errors import TalksearchError

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "local"  # --ray without an address: start a Ray instance on this machine


class RayError(TalksearchError):
    """Ray missing or its cluster unreachable."""


def connect(address: str | None) -> object:
    """Join the Ray cluster at ``address`` (``local`` or None: start one here); returns the ray module."""
    try:
        import ray
    except ImportError:
        raise RayError("--ray needs ray: pip install 'talksearch[distributed]'") from None
    if not ray.is_initialized():
        # Workers import this very checkout (an editable install may point elsewhere).
        env = {"env_vars": {"PYTHONPATH": str(ROOT)}}
        try:
            if address in (None, "", LOCAL):
                ray.init(runtime_env=env, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(address=address, runtime_env=env, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise RayError(f"cannot join the Ray cluster at {address!r}: {exc}") from None
    return ray


def last_line(exc: BaseException) -> str:
    """The error itself from a Ray exception (whose text carries the remote traceback)."""
    lines = [x for x in str(exc).strip().splitlines() if x.strip()]
    return lines[-1].strip() if lines else type(exc).__name__


class _EncodeBatch:
    """A Ray Data actor: loads the encoder once, encodes one build batch per row."""

    def __init__(self, make_encoder: Callable[[], object]) -> None:
        self.encoder = make_encoder()

    def __call__(self, rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        (texts,) = rows["texts"]  # batch_size=1: one build batch per call
        return {"batch": rows["batch"], "vectors": self.encoder.encode_documents([str(t) for t in texts])[None]}


def embed(
    make_encoder: Callable[[], object], batches: list[list[str]], address: str | None
) -> Iterator[tuple[int, np.ndarray]]:
    """(batch number, vectors) for every batch, in batch order, computed by encoder actors."""
    ray = connect(address)
    actors = max(1, min(len(batches), int(ray.cluster_resources().get("CPU", 1))))
    ds = ray.data.from_items([{"batch": i, "texts": b} for i, b in enumerate(batches)], override_num_blocks=actors)
    out = ds.map_batches(
        _EncodeBatch,
        fn_constructor_args=(make_encoder,),
        batch_size=1,
        concurrency=actors,
        num_cpus=1,
        batch_format="numpy",
    )
    try:
        done = {int(r["batch"]): np.asarray(r["vectors"], dtype=np.float32) for r in out.iter_rows()}
    except ray.exceptions.RayError as exc:
        raise RayError(f"the Ray embedding job failed: {last_line(exc)}") from None
    for i in range(len(batches)):
        yield i, done[i]
