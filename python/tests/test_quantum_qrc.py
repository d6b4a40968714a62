"""Reservoir computing from Python: run_qrc equals `fieldlab qrc --json` for the same options, its
keywords and defaults are the CLI's, and the hand-built pipeline (task_series -> scale_inputs ->
Reservoir.features -> fit_readout) reproduces run_qrc's numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest

import fieldlab
from fieldlab import quantum as q

from _cli_help import cli_defaults, same_default

SMALL = dict(length=500, washout=100, seed=3)


@pytest.mark.parametrize("model", ["onion-qrc", "esn", "linear"])
def test_run_qrc_equals_the_cli_on_narma10(run_cli, model):
    cli = json.loads(
        run_cli("qrc", "--task", "narma10", "--model", model, "--length", 500, "--washout", 100,
                "--seed", 3, "--json").stdout
    )
    ours = q.run_qrc(task="narma10", model=model, **SMALL)
    for key in ("task", "model", "length", "seed", "shots", "features", "lambda"):
        assert ours[key] == cli[key], key
    for key in ("train_nrmse", "validation_nrmse", "test_nrmse"):
        assert abs(ours[key] - cli[key]) <= 1e-12 * abs(cli[key]), key
    assert len(ours["spectra"]) == len(cli["spectra"])
    for a, b in zip(ours["spectra"], cli["spectra"]):
        assert a["qubits"] == b["qubits"] and a["measured"] == b["measured"]
        assert abs(a["second_modulus"] - b["second_modulus"]) < 1e-12
        leading = np.array([complex(*z) for z in b["leading"]])
        assert np.max(np.abs(a["leading"] - leading)) < 1e-10
    assert ours["test_prediction"].shape == ours["test_target"].shape
    assert abs(q.nrmse(ours["test_target"], ours["test_prediction"]) - ours["test_nrmse"]) < 1e-12
    if model == "onion-qrc":
        assert len(ours["spectra"]) == 4 and ours["features"] == 225
        assert ours["test_nrmse"] < 0.9


def test_keywords_and_defaults_are_the_clis(run_cli):
    cli = cli_defaults(run_cli("qrc", "--help").stdout)
    ours = q.qrc_defaults()
    assert set(cli) - set(ours) == {"help", "json", "threads", "config"}
    for name, value in ours.items():
        assert same_default(value, cli[name]), name
    assert q.qrc_tasks() == ["narma10", "mackey-glass", "mackey-glass-multi", "corrosion"]


def test_the_pipeline_by_hand_reproduces_run_qrc():
    expected = q.run_qrc(model="esn", **SMALL)
    inputs, target = q.task_series("narma10", SMALL["length"], SMALL["seed"])
    assert inputs.shape == (500, 1) and target.shape == (500,)
    fit_rows = SMALL["washout"] + int((SMALL["length"] - SMALL["washout"]) * 0.6)
    u = q.scale_inputs(inputs, fit_rows)
    assert u.min() >= 0 and u.max() <= 1
    features = q.Reservoir("esn", input_dims=1, seed=SMALL["seed"]).features(u)
    assert features.shape == (500, 100)
    r = q.fit_readout(np.hstack([features, u]), target, washout=SMALL["washout"])
    assert r["lambda"] == expected["lambda"]
    assert abs(r["test_nrmse"] - expected["test_nrmse"]) <= 1e-12 * expected["test_nrmse"]
    # A 1-d series is a one-column input; features restart from the initial state each call.
    again = q.Reservoir("esn", seed=SMALL["seed"]).features(u[:, 0])
    assert np.array_equal(again, features)


def test_bad_input_raises_the_mapped_errors():
    with pytest.raises(TypeError, match="unknown keyword 'lenght'; valid: task, model, length"):
        q.run_qrc(lenght=500)
    with pytest.raises(fieldlab.UsageError, match="length must be an integer from 400"):
        q.run_qrc(length=10)
    with pytest.raises(fieldlab.UsageError, match="model 'bogus'"):
        q.run_qrc(model="bogus", length=500)
    with pytest.raises(fieldlab.UsageError, match="shots must be non-negative"):
        q.run_qrc(shots=-1, length=500)
    with pytest.raises(TypeError, match="keyword 'length' got float"):
        q.run_qrc(length=500.0)
    with pytest.raises(fieldlab.UsageError, match=r"in \[0, 1\]"):
        q.Reservoir("esn").features(np.array([0.5, 2.0]))
    with pytest.raises(fieldlab.UsageError, match="expected 2 column"):
        q.Reservoir("esn", input_dims=2).features(np.zeros((10, 3)))
    with pytest.raises(fieldlab.UsageError, match="numeric array"):
        q.Reservoir("esn").features(["a", "b"])
    with pytest.raises(fieldlab.UsageError, match="task 'nope'"):
        q.task_series("nope", 100)
