"""Scoring at province and national scale, against a per-row Python loop and a bare numpy pass.

    .venv/bin/python bench/scoring_bench.py

Province: 120 counties × 44 units × 140 indicators (739,200 values); nation: 2,840 counties ×
44 × 140 (17,494,400 values). Each set is scored with two methods through kaohe.scoring's public
API, ``completion_ratio`` (cap 1.2) and ``efficacy_coefficient`` (xh 12·t, xs 6·t scaled to the
values), reading ``batch.rounded`` and building no explanation (they are built only when read).

Baselines, measured in the same run on the same arrays:
- per-row: the same maths in plain Python, one value at a time, with the same half-up rounding
  (kaohe.scoring.rounding.round_half_up); timed on a sample and scaled linearly to the full
  set (the script says so);
- bare numpy: ``np.round(np.minimum(x / t, cap) * P, 2)`` (and the efficacy formula likewise):
  what numpy alone costs, without input checks, half-up rounding on the decimal reading, missing
  values or explanations.

kaohe.scoring is timed twice: with read-only input arrays, which a batch keeps by reference for
its explanations, and with writable ones, which it copies (block by block, as it scores them).
Times are medians of three runs (nine at province scale) after one warm-up run: the first touch
of fresh memory costs the operating system more than the arithmetic. Peak memory is traced with
tracemalloc around one more call of each. numpy runs on one core; nothing here is parallel.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kaohe.scoring import completion_ratio, efficacy_coefficient, round_half_up

SAMPLE = 100_000
POINTS, CAP, BASE, XH, XS = 7.5, 1.2, 0.6, 1.2, 0.6


def per_row_completion(values: list[float], targets: list[float]) -> list[float]:
    """Method 1 one value at a time: the same maths and the same half-up rule."""
    out = []
    for x, t in zip(values, targets, strict=True):
        ratio = min(max(x / t if t > 0 else 1.0, 0.0), CAP)
        out.append(float(round_half_up(POINTS * ratio, 2)))
    return out


def per_row_efficacy(values: list[float], targets: list[float]) -> list[float]:
    """Method 3 on the value's completion x/t, one value at a time, floored at 0, capped at 1."""
    out = []
    for x, t in zip(values, targets, strict=True):
        share = BASE + (1 - BASE) * (x / t - XS) / (XH - XS)
        out.append(float(round_half_up(POINTS * min(max(share, 0.0), 1.0), 2)))
    return out


def median_time(fn: Callable[[], object], repeat: int = 3) -> float:
    fn()  # warm-up: fresh memory is paid for once, outside the timing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak / 2**20


def run(label: str, counties: int) -> None:
    n = counties * 44 * 140
    rng = np.random.default_rng(2022)
    targets = np.round(rng.uniform(10, 1000, n), 2)
    values = np.round(targets * rng.uniform(0.5, 1.3, n), 2)
    completion = values / targets  # the efficacy case scores completion against xh, xs
    # Read-only inputs are kept by reference; writable ones are copied for the explanations.
    frozen = {name: a.copy() for name, a in (("x", values), ("t", targets), ("c", completion))}
    for array in frozen.values():
        array.setflags(write=False)

    def ours_completion(x: np.ndarray, t: np.ndarray) -> Callable[[], object]:
        return lambda: completion_ratio(x, t, POINTS, cap=CAP).rounded

    def ours_efficacy(c: np.ndarray) -> Callable[[], object]:
        return lambda: (
            efficacy_coefficient(
                c, POINTS, satisfactory=XH, not_allowed=XS, floor=0.0, cap=1.0
            ).rounded
        )

    cases = [
        (
            "completion_ratio",
            ours_completion(frozen["x"], frozen["t"]),
            ours_completion(values, targets),
            lambda: np.round(np.minimum(values / targets, CAP) * POINTS, 2),
            per_row_completion,
        ),
        (
            "efficacy_coefficient",
            ours_efficacy(frozen["c"]),
            ours_efficacy(completion),
            lambda: np.round(
                np.clip(BASE + (1 - BASE) * (completion - XS) / (XH - XS), 0.0, 1.0) * POINTS, 2
            ),
            per_row_efficacy,
        ),
    ]
    print(f"{label}: {n:,} values")
    for name, ours, ours_copying, bare, per_row in cases:
        repeat = 9 if n < 5_000_000 else 3  # milliseconds at province scale: more runs
        t_ours = median_time(ours, repeat)
        t_copying = median_time(ours_copying, repeat)
        t_bare = median_time(bare, repeat)
        k = min(SAMPLE, n)
        start = time.perf_counter()
        slow = per_row(values[:k].tolist(), targets[:k].tolist())
        t_row = (time.perf_counter() - start) * n / k
        agree = slow == np.asarray(ours())[:k].tolist()
        m_ours, m_bare = peak_mb(ours), peak_mb(bare)
        print(
            f"  {name}: kaohe.scoring {t_ours:.3f} s with read-only inputs, {t_copying:.3f} s "
            f"with writable ones (copied) | bare numpy {t_bare:.3f} s | kaohe/bare "
            f"{t_ours / t_bare:.2f} ({t_copying / t_bare:.2f} copying)\n"
            f"    per-row Python {t_row:.1f} s, timed on {k:,} values and scaled linearly: "
            f"per-row/kaohe {t_row / t_ours:.0f}x ({t_row / t_copying:.0f}x copying); per-row "
            f"agrees on the sample: {'yes' if agree else 'NO'} | peak traced memory: kaohe "
            f"{m_ours:,.0f} MB, bare {m_bare:,.0f} MB"
        )


if __name__ == "__main__":
    import resource

    run("province (120 counties × 44 units × 140 indicators)", 120)
    run("nation (2,840 counties × 44 units × 140 indicators)", 2840)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:,.0f} MB")
