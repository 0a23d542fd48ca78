"""Set-against-set comparison (Yang and Lerch 2018): distances, kernel densities, overlap and KL on one grid."""

import math

import numpy as np
import pytest
from scipy import stats

from deepcomposer_edu.metrics.compare import (
    compare_sets,
    compare_values,
    inter_set_distances,
    intra_set_distances,
    kde,
    kl_divergence,
    overlapping_area,
    shared_densities,
)
from deepcomposer_edu.music import Note, Song, Track


def test_intra_and_inter_set_distances_hand_worked():
    assert sorted(intra_set_distances([0, 1, 3])) == [1, 2, 3]
    assert sorted(inter_set_distances([0, 10], [1, 3])) == [1, 3, 7, 9]


def test_kde_matches_scipy_gaussian_kde():
    samples = np.random.default_rng(0).gamma(2.0, 1.5, size=300)
    grid, p, _ = shared_densities(samples, samples + 1)
    reference = stats.gaussian_kde(samples)(grid)  # Scott's rule, like ours
    reference /= np.trapezoid(reference, grid)
    assert np.max(np.abs(p - reference)) < 0.01 * reference.max()
    assert np.trapezoid(kde(samples, grid), grid) == pytest.approx(1.0, abs=0.01)


def normal_pair(shift: float, n: int = 20000):
    rng = np.random.default_rng(1)
    a = rng.normal(0.0, 1.0, n)
    return a, rng.normal(0.0, 1.0, n) + shift


@pytest.mark.parametrize("shift", [0.5, 1.0])
def test_overlap_and_kl_of_two_normals_match_the_formulas(shift):
    a, b = normal_pair(shift)
    # Each KDE is close to a normal of variance 1 + h^2 (h: Scott's bandwidth). For two normals of equal
    # variance s^2 and means d apart: OA = 2 Phi(-d / 2s), KL = d^2 / (2 s^2).
    s = math.sqrt(1 + (len(a) ** -0.2) ** 2)
    d = b.mean() - a.mean()
    expected_oa = 2 * stats.norm.cdf(-abs(d) / (2 * s))
    assert overlapping_area(a, b) == pytest.approx(expected_oa, abs=0.01)
    assert kl_divergence(a, b) == pytest.approx(d**2 / (2 * s**2), rel=0.1, abs=0.02)
    # (further apart, KL between KDEs grows faster than the formula: a KDE's tail beyond its last sample
    # falls off with the kernel width, not with the spread of the data. OA stays reliable.)


def test_identical_samples_overlap_fully():
    a, _ = normal_pair(0)
    assert overlapping_area(a, a) == pytest.approx(1.0, abs=1e-6)
    assert kl_divergence(a, a) == pytest.approx(0.0, abs=1e-9)


def test_kl_uses_one_shared_grid_unlike_the_reference_implementation():
    a, _ = normal_pair(0, n=2000)
    b = a + 5.0  # the same shape, 5 standard deviations away

    def mgeval_kl(x, y, points=1000):  # what mgeval's utils.kl_dist does: a grid per sample set
        grid_x = np.linspace(x.min(), x.max(), points)
        grid_y = np.linspace(y.min(), y.max(), points)
        return stats.entropy(stats.gaussian_kde(x)(grid_x), stats.gaussian_kde(y)(grid_y))

    assert mgeval_kl(a, b) == pytest.approx(0.0, abs=1e-9)  # "identical" distributions: wrong
    assert kl_divergence(a, b) > 10  # d^2 / 2 = 12.5 for unit normals
    assert overlapping_area(a, b) < 0.02


def test_constant_sets_do_not_break_the_density():
    oa, kl = overlapping_area([2.0] * 10, [2.0] * 10), kl_divergence([2.0] * 10, [2.0] * 10)
    assert (oa, kl) == (pytest.approx(1.0, abs=1e-6), pytest.approx(0.0, abs=1e-6))
    assert overlapping_area([0.0] * 10, [1.0] * 10) < 1e-6


def test_compare_values_drops_nan_and_needs_two_values():
    result = compare_values("x", [1.0, float("nan"), 2.0, 4.0], [1.0, 2.0, 3.0])
    assert len(result.generated) == 3
    assert result.generated_mean == pytest.approx(7 / 3)
    assert result.reference_sd == pytest.approx(np.std([1, 2, 3]))
    assert len(result.inter) == 9 and len(result.intra_reference) == 3
    assert 0 < result.overlapping_area <= 1
    lonely = compare_values("x", [1.0, float("nan")], [1.0, 2.0])
    assert math.isnan(lonely.overlapping_area) and math.isnan(lonely.kl_divergence)


def scales(count: int, seed: int) -> list[Song]:
    rng = np.random.default_rng(seed)
    songs = []
    for _ in range(count):
        root = int(rng.integers(55, 67))
        steps = [0, 2, 4, 5, 7, 9, 11, 12][: int(rng.integers(5, 9))]
        songs.append(Song(tracks=[Track([Note(root + s, i, i + 1) for i, s in enumerate(steps)])]))
    return songs


def random_notes(count: int, seed: int) -> list[Song]:
    rng = np.random.default_rng(seed)
    return [
        Song(tracks=[Track([Note(int(p), i / 2, i / 2 + 0.5) for i, p in enumerate(rng.integers(40, 90, 16))])])
        for _ in range(count)
    ]


def test_a_set_like_the_reference_scores_closer_than_a_different_one():
    reference = scales(40, seed=0)
    similar = compare_sets(scales(30, seed=1), reference, ["pitch_class_entropy", "scale_consistency"])
    different = compare_sets(random_notes(30, seed=2), reference, ["pitch_class_entropy", "scale_consistency"])
    for name in similar:
        assert similar[name].overlapping_area > different[name].overlapping_area + 0.1
        assert similar[name].kl_divergence < different[name].kl_divergence
