"""fieldlab.describe / train / load against the CLI on tiny ns2d data: the same per-step losses
(bit for bit, same thread count), resume after max_steps equal to an uninterrupted run, evaluate()
equal to `eval --json`, predict/rollout equal to `fieldlab predict`, describe equal to `fieldlab
describe`, the keyword names and defaults equal to the CLI's options, and bad input as the mapped
exceptions."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import fieldlab
from fieldlab import models

THREADS = 2
# A tiny SineNet: 1 wave, 4 channels, 2 levels (16x16 grids), 8533 parameters.
MODEL = dict(hidden=4, levels=2)
CLI_MODEL = ["--hidden", "4", "--levels", "2"]


@pytest.fixture(scope="module")
def data(tmp_path_factory, run_cli):
    """Train and validation sets: ns2d, 16x16, 6 frames, 4 trajectories each."""
    d = tmp_path_factory.mktemp("models")
    for name, seed in (("train", 0), ("valid", 1)):
        run_cli("generate", "ns2d", "--resolution", 16, "--frames", 6, "--trajectories", 4,
                "--seed", seed, "--threads", THREADS, "--quiet", "--out", d / f"{name}.h5")
    return d


@pytest.fixture(autouse=True)
def threads():
    fieldlab.set_num_threads(THREADS)
    yield
    fieldlab.set_num_threads(0)


def read_log(path) -> list[float]:
    return [float(line.split()[1]) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def cli_run(data, run_cli):
    """The reference: `fieldlab train sinenet1` for 3 epochs of 2 steps, with its loss log."""
    run_cli("train", "sinenet1", "--data", data / "train.h5", "--valid", data / "valid.h5",
            "--out", data / "cli.h5", *CLI_MODEL, "--epochs", 3, "--batch", 2,
            "--loss-log", data / "cli.log", "--threads", THREADS, "--quiet")
    return data / "cli.h5", read_log(data / "cli.log")


def test_train_takes_the_steps_of_the_cli(data, cli_run):
    _, cli_losses = cli_run
    result = fieldlab.train("sinenet1", data=data / "train.h5", valid=data / "valid.h5",
                            out=data / "py.h5", epochs=3, batch=2, loss_log=data / "py.log",
                            **MODEL)
    assert result["stop"] == "finished"
    assert result["steps"] == 6 and len(result["losses"]) == 6
    assert len(cli_losses) == 6
    # The log is the same file byte for byte; the returned losses are its float32 values.
    assert (data / "py.log").read_text() == (data / "cli.log").read_text()
    assert np.array_equal(np.float32(result["losses"]), np.float32(cli_losses))
    assert [h["epoch"] for h in result["history"]] == [0, 1, 2]
    assert result["parameters"] == 8533
    assert result["fields"] == ["vorticity"]
    assert result["best"] == str(data / "py.best.h5") and os.path.isfile(result["best"])
    assert result["messages"][-1] == "sinenet1 (8533 parameters), fields [vorticity], history 4"
    assert result["messages"][0].startswith("normalisation vorticity: mean ")
    info = fieldlab.load(data / "py.h5").info
    cli_info = fieldlab.load(cli_run[0]).info
    assert info["step"] == 6 and info["mean"] == cli_info["mean"] and info["std"] == cli_info["std"]
    assert [h["valid_rollout"] for h in info["history"]] == [
        h["valid_rollout"] for h in cli_info["history"]]


def test_resume_after_max_steps_gives_the_uninterrupted_losses(data, cli_run):
    _, cli_losses = cli_run
    kw = dict(data=data / "train.h5", valid=data / "valid.h5", out=data / "resumed.h5", epochs=3,
              batch=2, loss_log=data / "resumed.log", **MODEL)
    first = fieldlab.train("sinenet1", max_steps=3, **kw)
    assert first["stop"] == "max_steps" and first["steps"] == 3
    with pytest.raises(fieldlab.UsageError, match="exists: pass --resume"):
        fieldlab.train("sinenet1", **kw)
    second = fieldlab.train("sinenet1", resume=True, **kw)
    assert second["stop"] == "finished" and second["steps"] == 6
    assert second["messages"][0].startswith("resuming ")
    assert np.array_equal(np.float32(first["losses"] + second["losses"]), np.float32(cli_losses))
    assert read_log(data / "resumed.log") == cli_losses
    with pytest.raises(fieldlab.UsageError, match="other options"):
        fieldlab.train("sinenet1", resume=True, **{**kw, "batch": 4})


def test_evaluate_equals_eval_json(data, cli_run, run_cli):
    ckpt = cli_run[0]
    for rollout, batch in ((0, 8), (1, 3)):
        cli = json.loads(run_cli("eval", ckpt, "--data", data / "valid.h5", "--rollout", rollout,
                                 "--batch", batch, "--json", "--threads", THREADS).stdout)
        py = fieldlab.load(ckpt).evaluate(str(data / "valid.h5"), rollout=rollout, batch=batch)
        assert py == cli
    assert py["windows"] == 8 and py["trajectories"] == 4 and py["rollout_steps"] == 1


def test_predict_and_rollout_equal_fieldlab_predict(data, cli_run, run_cli):
    ckpt = cli_run[0]
    run_cli("predict", ckpt, "--data", data / "valid.h5", "--trajectory", 2, "--steps", 2,
            "--out", data / "pred.h5", "--threads", THREADS, "--quiet")
    _, truth, _ = models.read_trajectory(data / "valid.h5", 2)
    fields, pred, t = models.read_trajectory(data / "pred.h5", 0)
    assert fields == ["vorticity"] and pred.shape == (6, 1, 16, 16)
    m = fieldlab.load(ckpt)
    assert m.history == 4 and m.fields == ["vorticity"]
    history = truth[:4]
    one = m.predict(history)
    assert one.shape == (1, 16, 16) and one.dtype == np.float64
    # The CLI writes float32 frames: the same values rounded.
    assert np.array_equal(np.float32(one), np.float32(pred[4]))
    roll = m.rollout(history, 2)
    assert roll.shape == (2, 1, 16, 16)
    assert np.array_equal(np.float32(roll), np.float32(pred[4:6]))
    batched = m.predict(np.stack([history, history]))
    assert batched.shape == (2, 1, 16, 16) and np.array_equal(batched[1], one)
    assert np.array_equal(pred[:4], truth[:4])


def test_describe_equals_the_cli(run_cli):
    for name, keys, cli_keys in (
        ("sinenet1", MODEL, CLI_MODEL),
        ("unet", dict(hidden=8, levels=2, padding="circular", tangled=True),
         ["--hidden", "8", "--levels", "2", "--padding", "circular", "--tangled"]),
        ("mlp", dict(widths=[2, 5, 1]), ["--widths", "2,5,1"]),
    ):
        assert fieldlab.describe(name, **keys) == run_cli("describe", name, *cli_keys).stdout
    # Three fields by default (describe is not given data): 8895 parameters; one field: 8533.
    assert fieldlab.describe("sinenet1", **MODEL).endswith("parameters: 8895\n")
    assert fieldlab.describe("sinenet1", fields=1, **MODEL).endswith("parameters: 8533\n")


def cli_options(run_cli, *command: str) -> dict[str, str]:
    """{keyword: default text} of `fieldlab COMMAND --help` ('' where none is shown)."""
    options = {}
    for line in run_cli(*command, "--help").stdout.splitlines():
        # "  --lr FLOAT:a positive number=0.001": the type spec runs to two spaces or the end.
        m = re.match(r"\s+--([a-z][a-z_-]*)((?: \S+)*)", line)
        if m:
            default = re.search(r"=(\S*)", m.group(2))
            options[m.group(1).replace("-", "_")] = default.group(1) if default else ""
    return options


def same_default(cli: str, py) -> bool:
    if py is None or py is False:
        return cli in ("", "[]")
    if isinstance(py, str):
        return cli == py
    return float(cli) == float(py)


def test_keywords_and_defaults_are_the_clis(run_cli):
    # Run options the Python API maps explicitly: --threads (fieldlab.set_num_threads), --quiet
    # (progress=), --config (keyword arguments), --help; --data/--valid/--out are arguments.
    explicit = {"help", "threads", "quiet", "config", "data", "valid", "out"}
    cli = cli_options(run_cli, "train")
    defaults = models.train_defaults()
    keys = models.model_keywords()
    assert set(cli) - explicit == set(defaults) | (set(keys) - {"fields"})
    for name, value in defaults.items():
        assert same_default(cli[name], value), (name, cli[name], value)
    assert defaults["epochs"] == 10 and defaults["lr"] == 1e-3 and defaults["batch"] == 8
    assert set(cli_options(run_cli, "describe")) - {"help"} == set(keys)
    ev = cli_options(run_cli, "eval")
    # --grid: the evaluation grid of LPINN/PINN checkpoints (fieldlab.pinn.load(...).evaluate).
    assert set(ev) - explicit - {"json"} == {"rollout", "batch", "grid"}
    import inspect

    sig = inspect.signature(fieldlab.Model.evaluate)
    assert int(ev["rollout"]) == sig.parameters["rollout"].default == 0
    assert int(ev["batch"]) == sig.parameters["batch"].default == 8


def test_bad_input_is_the_mapped_exception(data, cli_run, tmp_path):
    with pytest.raises(fieldlab.UsageError, match="sinenet, sinenetK"):
        fieldlab.describe("resnet")
    with pytest.raises(TypeError, match="unknown keyword 'wavez'; valid: .*waves"):
        fieldlab.describe("sinenet", wavez=2)
    with pytest.raises(TypeError, match="train: unknown keyword 'epoch'; valid: fields, epochs"):
        fieldlab.train("sinenet1", data=data / "train.h5", out=tmp_path / "x.h5", epoch=2)
    with pytest.raises(fieldlab.UsageError, match="widths"):
        fieldlab.describe("sinenet1", widths=[1, 2])
    with pytest.raises(fieldlab.UsageError, match="hidden"):
        fieldlab.describe("sinenet1", hidden=-3)
    with pytest.raises(TypeError, match="keyword 'epochs' got float"):
        fieldlab.train("sinenet1", data=data / "train.h5", out=tmp_path / "x.h5", epochs=2.5)
    with pytest.raises(fieldlab.UsageError, match="epochs must be >= 1"):
        fieldlab.train("sinenet1", data=data / "train.h5", out=tmp_path / "x.h5", epochs=0)
    with pytest.raises(fieldlab.UsageError, match="windows-per-trajectory"):
        fieldlab.train("sinenet1", data=data / "train.h5", out=tmp_path / "x.h5",
                       windows_per_trajectory="some")
    with pytest.raises(fieldlab.FileError):
        fieldlab.train("sinenet1", data=tmp_path / "missing.h5", out=tmp_path / "x.h5")
    with pytest.raises(fieldlab.FileError, match="not writable"):
        fieldlab.train("sinenet1", data=data / "train.h5", out=tmp_path / "no" / "x.h5")
    with pytest.raises(fieldlab.Error):
        fieldlab.load(data / "train.h5")  # data, not a checkpoint
    with pytest.raises(fieldlab.UsageError, match="missing.h5: no such checkpoint"):
        fieldlab.load(tmp_path / "missing.h5")
    m = fieldlab.load(cli_run[0])
    good = np.zeros((4, 1, 16, 16))
    with pytest.raises(fieldlab.UsageError, match=r"expected shape \(B, 4, 1, h, w\)"):
        m.predict(np.zeros((3, 1, 16, 16)))
    with pytest.raises(fieldlab.UsageError, match="3 dimensions"):
        m.predict(np.zeros((4, 16, 16)))
    with pytest.raises(fieldlab.UsageError, match="multiple|divisible|grid"):
        m.predict(np.zeros((4, 1, 15, 15)))
    with pytest.raises(fieldlab.UsageError, match="numeric"):
        m.predict(np.full((4, 1, 16, 16), "a"))
    with pytest.raises(fieldlab.UsageError, match="non-finite"):
        m.predict(np.full((4, 1, 16, 16), np.nan))
    with pytest.raises(fieldlab.UsageError, match="not conditioned"):
        m.predict(good, dt=0.5)
    with pytest.raises(fieldlab.UsageError, match="steps must be at least 1"):
        m.rollout(good, 0)
    with pytest.raises(fieldlab.UsageError, match="batch must be >= 1"):
        m.evaluate(data / "valid.h5", batch=0)
    with pytest.raises(fieldlab.FileError):
        m.evaluate(tmp_path / "missing.h5")


def test_progress_reaches_a_callable(data, tmp_path):
    seen = []
    fieldlab.train("sinenet1", data=data / "train.h5", out=tmp_path / "p.h5", epochs=1, batch=2,
                   progress=lambda done, total, label, note: seen.append((done, total, label)),
                   **MODEL)
    assert seen[0] == (0, 2, "train") and seen[-1][:2] == (2, 2)


def test_keyboard_interrupt_saves_a_checkpoint_and_raises(data, tmp_path):
    out = tmp_path / "int.h5"
    script = textwrap.dedent(
        f"""
        import os, signal, threading
        import fieldlab
        fieldlab.set_num_threads({THREADS})
        threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        try:
            fieldlab.train("sinenet1", data={str(data / "train.h5")!r}, out={str(out)!r},
                           epochs=100000, batch=1, hidden=4, levels=2)
        except KeyboardInterrupt:
            print("interrupted")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "interrupted"
    step = fieldlab.load(out).info["step"]
    assert step > 0
    result = fieldlab.train("sinenet1", data=data / "train.h5", out=out, epochs=100000, batch=1,
                            max_steps=step + 2, resume=True, **MODEL)
    assert result["stop"] == "max_steps" and result["steps"] == step + 2
    assert len(result["losses"]) == 2


def test_a_conditioned_model_takes_dt(data, run_cli, tmp_path):
    out = tmp_path / "cond.h5"
    result = fieldlab.train("sinenet1", data=data / "train.h5", out=out, epochs=1, batch=2,
                            conditioning="add", **MODEL)
    assert result["messages"][-1].endswith("history 4, conditioned (add) on dt")
    run_cli("predict", out, "--data", data / "valid.h5", "--steps", 1, "--out",
            tmp_path / "cond_pred.h5", "--threads", THREADS, "--quiet")
    _, truth, t = models.read_trajectory(data / "valid.h5", 0)
    _, pred, _ = models.read_trajectory(tmp_path / "cond_pred.h5", 0)
    m = fieldlab.load(out)
    assert m.conditioning == "add" and m.condition_parameter == ""
    with pytest.raises(fieldlab.UsageError, match="conditioned \\(add\\) on dt; pass dt="):
        m.predict(truth[:4])
    with pytest.raises(fieldlab.UsageError, match="not conditioned on a parameter"):
        m.predict(truth[:4], dt=1.0, parameter=0.5)
    with pytest.raises(fieldlab.UsageError, match="expected a number or 2 values"):
        m.predict(np.stack([truth[:4]] * 2), dt=[1.0, 1.0, 1.0])
    dt = t[4] - t[3]
    assert np.array_equal(np.float32(m.predict(truth[:4], dt=dt)), np.float32(pred[4]))
    # Another dt gives another prediction: dt reaches the model.
    assert not np.array_equal(m.predict(truth[:4], dt=2 * dt), m.predict(truth[:4], dt=dt))


def test_evaluate_reports_progress_per_forward_pass(data, cli_run):
    seen = []
    fieldlab.load(cli_run[0]).evaluate(
        data / "valid.h5", progress=lambda done, total, label, note: seen.append((done, total,
                                                                                    label)))
    # 8 one-step windows in one pass of 8, then 2 rollout steps of the 4 trajectories.
    assert seen[0] == (0, 3, "evaluate") and seen[-1] == (3, 3, "evaluate")
