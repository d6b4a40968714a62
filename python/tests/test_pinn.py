"""fieldlab.pinn: a tiny LPINN run converges on constant-speed convection, load() predicts with the
documented shapes and agrees with evaluate() and `fieldlab eval --json`, the learned
characteristics of c = 1 convection are close to the exact lines x0 + t, reference() equals the
exact solutions it claims (exp(-nu t) sin(x - c t) for convection-diffusion), the keywords and
defaults equal the CLI's options, and bad input raises the mapped exceptions."""

from __future__ import annotations

import json

import numpy as np
import pytest

import fieldlab
from fieldlab import pinn

from _cli_help import cli_defaults, same_default

THREADS = 2
# Convection at c = 1 (u = sin(x - t)) on a 32 x 16 grid with a small network.
TINY = dict(pde="convection", speed=1.0, collocation=(32, 16), width=16, adam_steps=300,
            adam_lr=1e-2, lbfgs_iterations=10, lbfgs_step_iterations=20)


@pytest.fixture(autouse=True)
def threads():
    before = fieldlab.get_num_threads()
    fieldlab.set_num_threads(THREADS)
    yield
    fieldlab.set_num_threads(before)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    fieldlab.set_num_threads(THREADS)
    out = tmp_path_factory.mktemp("pinn") / "lpinn.h5"
    return pinn.train("lpinn", out=out, **TINY)


def test_tiny_lpinn_run_converges(trained):
    assert trained.stop == "finished"
    assert trained.model == "lpinn"
    assert trained.relative_l2 < 0.1, trained.relative_l2
    assert trained.evaluation["reference"] == "fourier"
    # One Adam and one L-BFGS phase at the problem's speed (no curriculum).
    assert [p["phase"] for p in trained.phases] == ["adam", "lbfgs"]
    # L-BFGS may end its phase early when it converges (at most 10 steps).
    assert trained.phases[0]["steps"] == 300 and 1 <= trained.phases[1]["steps"] <= 10
    assert len(trained.losses) == sum(p["steps"] for p in trained.phases)
    assert trained.losses[-1] < trained.losses[0]


def test_load_predicts_on_the_grid_and_matches_evaluate(trained):
    net = pinn.load(trained.checkpoint)
    assert net.method == "lpinn" and net.model == "lpinn"
    x = np.linspace(0, 2 * np.pi, 64)
    t = np.linspace(0, 1, 20)
    u = net.predict(x, t)
    assert u.shape == (20, 64) and u.dtype == np.float64
    exact = np.sin(x[None, :] - t[:, None])
    assert np.linalg.norm(u - exact) / np.linalg.norm(exact) < 0.1
    e = net.evaluate()
    assert e["grid"] == (256, 100)
    assert e["relative_l2"] == pytest.approx(trained.relative_l2, rel=1e-12)
    assert set(e["loss"]) == {"total", "residual_x", "residual_u", "initial", "boundary"}


def test_evaluate_equals_cli_eval_json(trained, run_cli):
    d = json.loads(run_cli("eval", trained.checkpoint, "--json", "--threads", THREADS).stdout)
    e = pinn.load(trained.checkpoint).evaluate()
    assert d["relative_l2"] == pytest.approx(e["relative_l2"], rel=1e-12)
    assert d["max_error"] == pytest.approx(e["max_error"], rel=1e-12)


def test_characteristics_follow_the_exact_lines(trained):
    net = pinn.load(trained.checkpoint)
    x0 = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    t = np.linspace(0, 1, 11)
    X = net.characteristics(x0, t)
    assert X.shape == (11, 16)
    # c = 1: X(x0, t) = x0 + t; the initial term pins X(x0, 0) = x0 hard.
    assert np.max(np.abs(X - (x0[None, :] + t[:, None]))) < 0.2


def test_reference_convection_diffusion_is_exact():
    x = np.linspace(0, 2 * np.pi, 33)
    t = np.linspace(0, 1, 7)
    u = pinn.reference(x, t, pde="convection-diffusion", speed=3.0, viscosity=0.1)
    exact = np.exp(-0.1 * t[:, None]) * np.sin(x[None, :] - 3.0 * t[:, None])
    assert u.shape == (7, 33)
    np.testing.assert_allclose(u, exact, atol=1e-12)


def test_reference_defaults_per_pde():
    x = np.linspace(0, 2 * np.pi, 17)
    t = np.array([0.0])
    # burgers starts from offset + sin x with offset = speed unless given.
    np.testing.assert_allclose(pinn.reference(x, t, pde="burgers", speed=2.0)[0], 2 + np.sin(x),
                               atol=1e-12)
    # reaction starts from the Gaussian bump.
    gauss = np.exp(-((x - np.pi) ** 2) / (2 * (np.pi / 4) ** 2))
    np.testing.assert_allclose(pinn.reference(x, t, pde="reaction", speed=1.0)[0], gauss,
                               atol=1e-12)


def test_keywords_and_defaults():
    d = pinn.train_defaults()
    assert d["pde"] == "convection" and d["speed"] is None and d["viscosity"] is None
    assert d["collocation"] == (256, 100)
    assert d["adam_steps"] == 2000 and d["lbfgs_iterations"] == 1000
    assert d["loss"] == "norm" and d["second_derivative"] == "physical"
    assert d["weight_initial"] == 1000
    e = pinn.train_defaults("pinn")  # the failure-mode study's mean squares, weights 1
    assert e["loss"] == "squared" and e["weight_initial"] == 1 and e["weight_residual_u"] == 1


def test_resume_after_max_steps_equals_an_uninterrupted_run(tmp_path):
    options = dict(TINY, adam_steps=60, lbfgs_iterations=3, checkpoint_every=20)
    full = pinn.train("lpinn", out=tmp_path / "full.h5", **options)
    part = pinn.train("lpinn", out=tmp_path / "cut.h5", max_steps=40, **options)
    assert part.stop == "max_steps" and len(part.losses) == 40
    rest = pinn.train("lpinn", out=tmp_path / "cut.h5", resume=True, **options)
    assert rest.stop == "finished"
    assert part.losses + rest.losses == full.losses  # Adam bit for bit, L-BFGS from its state
    assert rest.relative_l2 == full.relative_l2


@pytest.mark.parametrize("method", ["lpinn", "pinn"])
def test_keywords_and_defaults_are_the_clis(run_cli, method):
    cli = cli_defaults(run_cli("train", method, "--help").stdout)
    ours = pinn.train_defaults(method)
    network = {"lpinn": {"width", "depth_x", "depth_u", "activation"},
               "pinn": {"widths", "activation"}}[method]
    assert set(cli) - set(ours) == {"help", "out", "threads", "quiet", "config"} | network
    # The problem keywords default to None in Python (the per-PDE default); the CLI shows the
    # problem struct's value, used as the same per-PDE default when the option is not given.
    per_pde = {"speed", "viscosity", "offset", "t_end", "initial"}
    for name, value in ours.items():
        if name == "collocation":
            assert cli[name] == "[{},{}] x 2".format(*value), cli[name]
        elif name not in per_pde:
            assert same_default(value, cli[name]), name


def test_bad_input_raises():
    with pytest.raises(TypeError, match="viscosty"):
        pinn.train("lpinn", viscosty=0.1)
    with pytest.raises(fieldlab.UsageError, match="euler"):
        pinn.train("lpinn", pde="euler")
    with pytest.raises(fieldlab.UsageError, match="viscosity"):
        pinn.train("lpinn", pde="convection", viscosity=0.1)
    with pytest.raises(fieldlab.UsageError, match="collocation"):
        pinn.train("lpinn", collocation=(1, 1, 1))
    with pytest.raises(fieldlab.UsageError):
        pinn.train("qpinn")
    with pytest.raises(TypeError, match="speeed"):
        pinn.reference([0.0], [0.0], speeed=1.0)


def test_pinn_checkpoint_has_no_characteristics(tmp_path):
    out = tmp_path / "pinn.h5"
    r = pinn.train("pinn", out=out, pde="convection", speed=1.0, collocation=(16, 8),
                   widths=[2, 8, 8, 1], adam_steps=20, lbfgs_iterations=1)
    net = r.load()
    assert net.method == "pinn" and net.model == "mlp"
    assert net.predict([0.0, 1.0, 2.0], [0.0, 0.5]).shape == (2, 3)
    with pytest.raises(fieldlab.UsageError, match="LPINN"):
        net.characteristics([0.0], [0.0])
