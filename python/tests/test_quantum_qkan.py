"""QKAN from Python: fitting numpy data reduces the error, predictions and learned activations
agree with each other, layer extension keeps the function, and train_qkan equals
`fieldlab train qkan --json` with the CLI's keywords and defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import fieldlab
from fieldlab import quantum as q

from _cli_help import cli_defaults, same_default


def sine_data(n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1, 1, n)
    return x, np.sin(np.pi * x) * 0.8


def test_fit_reduces_the_error_on_a_sine():
    x, y = sine_data()
    model = q.QKAN([1, 3, 1], reps=3, seed=2)
    before = model.mse(x, y)
    result = model.fit(x, y, optimizer="lbfgs", steps=20)
    after = model.mse(x, y)
    assert result["steps"] == 20 and abs(result["train_mse"] - after) < 1e-15
    assert before > 0.05 and after < 1e-4 and after < before / 500
    pred = model.predict(x)
    assert pred.shape == (64, 1)
    assert abs(np.mean((pred[:, 0] - y) ** 2) - after) < 1e-15
    adam = q.QKAN([1, 3, 1], reps=3, seed=2)
    adam.fit(x, y, optimizer="adam", steps=300, lr=0.02)
    assert adam.mse(x, y) < before / 5


def test_activations_sum_to_the_prediction_and_extension_keeps_the_function():
    x, y = sine_data(40)
    single = q.QKAN([1, 1], reps=2, seed=4)
    single.fit(x, y, steps=5)
    act = single.activations(0, x)
    assert act.shape == (1, 1, 40)
    assert np.max(np.abs(act[0, 0] - single.predict(x)[:, 0])) < 1e-12
    bare = single.activations(0, x, total=False)
    assert np.all(np.abs(bare) <= 1 + 1e-12)  # <Z> of a qubit
    model = q.QKAN([2, 3, 1], reps=2, seed=5)
    assert model.activations(0, x).shape == (3, 2, 40)
    assert model.activations(1, x).shape == (1, 3, 40)
    pts = np.random.default_rng(0).uniform(-1, 1, size=(30, 2))
    before, n = model.predict(pts), model.n_parameters
    model.extend(4)
    assert model.reps == 4 and model.n_parameters > n
    assert np.max(np.abs(model.predict(pts) - before)) < 1e-12


def test_parameters_round_trip():
    model = q.QKAN([2, 2, 1], reps=1, seed=1)
    p = model.parameters
    assert p.shape == (model.n_parameters,) == (6 * 9,)
    model.parameters = np.zeros_like(p)
    assert np.all(model.parameters == 0)
    model.parameters = p
    assert np.array_equal(model.parameters, p)


def test_train_qkan_equals_the_cli(run_cli):
    args = dict(samples=64, steps=5, layers=[2, 3, 1], extend=[1, 2], seed=3)
    cli = json.loads(
        run_cli("train", "qkan", "--samples", 64, "--steps", 5, "--layers", "2,3,1",
                "--extend", "1,2", "--seed", 3, "--json").stdout
    )
    ours = q.train_qkan(**args)
    assert ours["parameters"] == cli["parameters"]
    assert [s["reps"] for s in ours["stages"]] == [1, 2]
    for a, b in zip(ours["stages"], cli["stages"]):
        for key in ("train_mse", "test_mse"):
            assert abs(a[key] - b[key]) <= 1e-12 * b[key], key
    assert ours["stages"][-1]["train_mse"] < ours["stages"][0]["train_mse"]


def test_keywords_and_defaults_are_the_clis(run_cli):
    cli = cli_defaults(run_cli("train", "qkan", "--help").stdout)
    ours = q.train_qkan_defaults()
    assert set(cli) - set(ours) == {"help", "json", "threads", "config"}
    for name, value in ours.items():
        assert same_default(value, cli[name]), name


def test_a_raising_progress_callback_stops_the_fit_between_steps():
    x, y = sine_data()
    model = q.QKAN([1, 3, 1], seed=2)
    seen = []

    def progress(done, total, label, note):
        seen.append(done)
        if done >= 3:
            raise KeyboardInterrupt

    before = model.mse(x, y)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, steps=500, progress=progress)
    assert seen[0] == 0 and 3 <= seen[-1] < 500
    assert model.mse(x, y) < before  # the steps run are kept


def test_bad_input_raises_the_mapped_errors():
    model = q.QKAN([2, 3, 1])
    with pytest.raises(fieldlab.UsageError, match=r"expected shape \(n, 2\)"):
        model.predict(np.zeros(5))
    with pytest.raises(fieldlab.UsageError, match="5 inputs but 4 targets"):
        model.fit(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(fieldlab.UsageError, match="optimizer must be"):
        model.fit(np.zeros((5, 2)), np.zeros(5), optimizer="sgd")
    with pytest.raises(fieldlab.UsageError, match="finite"):
        model.predict(np.full((2, 2), np.nan))
    with pytest.raises(fieldlab.UsageError, match="layer 2 out of range"):
        model.activations(2, np.zeros(3))
    with pytest.raises(fieldlab.UsageError, match="readout"):
        q.QKAN([1, 1], readout="x")
    with pytest.raises(fieldlab.UsageError, match="widths must be"):
        q.QKAN([1, -1])
    with pytest.raises(TypeError, match="unknown keyword 'step'"):
        q.train_qkan(step=3)
    with pytest.raises(fieldlab.UsageError, match="unknown regression function"):
        q.train_qkan(function="cos", samples=8, steps=1)


def test_sigint_stops_a_long_fit_with_keyboard_interrupt():
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        import numpy as np
        from fieldlab import quantum as q
        x = np.random.default_rng(0).uniform(-1, 1, size=(2000, 2))
        y = np.sin(3 * x[:, 0]) * x[:, 1]
        model = q.QKAN([2, 8, 1], reps=4)
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t = time.monotonic()
        try:
            model.fit(x, y, optimizer="adam", steps=10**7)
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - t:.2f} {model.mse(x, y):.6f}")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=os.environ)
    assert done.returncode == 0, done.stderr
    _, seconds, mse = done.stdout.split()
    assert 0.4 < float(seconds) < 10.0 and np.isfinite(float(mse))
