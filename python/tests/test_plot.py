"""fieldlab.plot: what `fieldlab render` draws, as matplotlib Figures (Agg backend): the frames
picked, the values shown, the colour ranges, and the ImportError naming matplotlib when it is
missing."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import fieldlab
from fieldlab import models, plot

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def data(tmp_path_factory, run_cli):
    path = tmp_path_factory.mktemp("plot") / "d.h5"
    run_cli("generate", "ns2d", "--resolution", 16, "--frames", 11, "--trajectories", 2,
            "--threads", 2, "--quiet", "--out", path)
    return path


def images(fig):
    return [ax.images[0] for ax in fig.axes if ax.images]


def test_frames_of_a_file_are_the_render_strip(data):
    fig = plot.frames(data, trajectory=1, panels=6)
    _, truth, t = models.read_trajectory(data, 1)
    shown = images(fig)
    # fieldlab render's picks: k * (frames - 1) / (panels - 1), first and last included.
    picks = [0, 2, 4, 6, 8, 10]
    assert len(shown) == 6
    for image, k in zip(shown, picks):
        assert np.array_equal(image.get_array(), truth[k, 0].T)
    lo = min(truth[k, 0].min() for k in picks)
    hi = max(truth[k, 0].max() for k in picks)
    assert shown[0].get_clim() == (lo, hi)
    assert shown[0].get_cmap().name == "RdBu_r"  # vorticity takes both signs
    assert fig.axes[0].get_title() == f"t = {t[0]:g}"
    assert fig.axes[0].get_ylabel() == "vorticity"


def test_frames_of_an_array_with_a_range_and_fewer_frames():
    a = np.arange(3 * 2 * 4 * 4, dtype=float).reshape(3, 2, 4, 4)
    fig = plot.frames(a, field=1, panels=6, vmin=0, vmax=100)
    shown = images(fig)
    assert len(shown) == 3 and shown[0].get_clim() == (0, 100)
    assert np.array_equal(shown[2].get_array(), a[2, 1].T)
    assert shown[0].get_cmap().name == "viridis"
    with pytest.raises(fieldlab.UsageError, match="2 dimensions"):
        plot.frames(np.zeros((4, 4)))


def test_rollout_rows_are_prediction_truth_and_difference():
    rng = np.random.default_rng(0)
    truth = rng.standard_normal((4, 1, 8, 8))
    prediction = truth + 0.1 * rng.standard_normal((4, 1, 8, 8))
    fig = plot.rollout(prediction, truth, panels=4)
    shown = images(fig)
    assert len(shown) == 12
    diff = prediction[:, 0] - truth[:, 0]
    for k in range(4):
        assert np.array_equal(shown[k].get_array(), prediction[k, 0].T)
        assert np.array_equal(shown[4 + k].get_array(), truth[k, 0].T)
        assert np.allclose(shown[8 + k].get_array(), diff[k].T)
    lo = min(prediction.min(), truth.min())
    hi = max(prediction.max(), truth.max())
    assert shown[0].get_clim() == shown[4].get_clim() == (lo, hi)
    e = np.abs(diff).max()
    assert shown[8].get_clim() == (-e, e)
    with pytest.raises(fieldlab.UsageError, match="truth frames"):
        plot.rollout(prediction, truth[:, :, :4])


def test_rollout_error_plots_model_and_persistence():
    evaluation = {"model": "m", "rollout": {"model": [[0.1, 0.3], [0.2, 0.4]],
                                            "persistence": [[0.5, 0.5], [0.7, 0.9]]}}
    fig = plot.rollout_error(evaluation)
    lines = fig.axes[0].get_lines()
    assert np.allclose(lines[0].get_ydata(), [0.2, 0.3])
    assert np.allclose(lines[1].get_ydata(), [0.5, 0.8])


def test_missing_matplotlib_is_an_import_error_naming_it():
    script = textwrap.dedent(
        """
        import sys
        sys.modules["matplotlib"] = None
        import fieldlab.plot
        try:
            fieldlab.plot.frames([[[0.0]]])
        except ImportError as e:
            print(e)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "pip install matplotlib" in done.stdout
