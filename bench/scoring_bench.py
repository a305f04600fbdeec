"""Scoring at province and national scale, against a per-row Python loop and a bare numpy pass.

    .venv/bin/python bench/scoring_bench.py

Province: 120 counties × 44 units × 140 indicators; nation: 2,840 counties × 44 × 140. The
completion-ratio scores come from kaohe.scoring's explanation-free path (completion_ratio_array),
which a test holds equal to the explained path. The per-row implementation does the same maths
one value at a time with Decimal half-up rounding; it is timed on a 200,000-value sample and
scaled linearly (it says so). The bare pass is ``np.round(np.minimum(x / t, cap) * P, 2)`` over
the same arrays: what numpy alone costs. Printed as ratios from one run, with peak memory.
"""

from __future__ import annotations

import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kaohe.scoring.methods import completion_ratio_array
from kaohe.scoring.rounding import round_half_up

SAMPLE = 200_000


def per_row(values: list[float], targets: list[float], points: float, cap: float) -> list[Decimal]:
    """The same maths and the same half-up rule (kaohe.scoring.rounding), one value at a time."""
    out = []
    for x, t in zip(values, targets, strict=True):
        ratio = min(x / t, cap) if t > 0 else 1.0
        out.append(round_half_up(points * max(ratio, 0.0), 2))
    return out


def run(label: str, counties: int) -> None:
    n = counties * 44 * 140
    rng = np.random.default_rng(2022)
    targets = np.round(rng.uniform(10, 1000, n), 2)
    values = np.round(targets * rng.uniform(0.5, 1.3, n), 2)
    points = 7.5

    start = time.perf_counter()
    ours = completion_ratio_array(values, targets, points, cap=1.2)
    t_ours = time.perf_counter() - start

    start = time.perf_counter()
    bare = np.round(np.minimum(values / targets, 1.2) * points, 2)
    t_bare = time.perf_counter() - start

    k = min(SAMPLE, n)
    start = time.perf_counter()
    slow = per_row(values[:k].tolist(), targets[:k].tolist(), points, 1.2)
    t_row = (time.perf_counter() - start) * n / k
    assert [float(s) for s in slow] == ours[:k].tolist(), "the per-row result must agree"
    del bare

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(
        f"{label}: {n:,} values; kaohe.scoring {t_ours:.2f} s; bare numpy {t_bare:.2f} s "
        f"(ratio {t_ours / t_bare:.1f}); per-row Python {t_row:.1f} s, scaled from {k:,} "
        f"(kaohe.scoring {t_row / t_ours:.0f}x faster); peak memory {peak_mb:,.0f} MB\n"
    )


if __name__ == "__main__":
    run("province (120 counties)", 120)
    run("nation (2,840 counties)", 2840)
