"""fieldlab.generate: the CLI's options and defaults, the CLI's bytes, crash-safe resume after
Ctrl-C, and bad input as the mapped exceptions."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest

import fieldlab
from fieldlab import data

from data_support import assert_same_datasets, attributes_of, text_attribute

RUN_OPTIONS = {"help", "out", "dtype", "threads", "overwrite", "resume", "quiet", "config"}
OPTION = re.compile(r"^  --(?P<name>[a-z0-9-]+)(?:,--(?P<alias>[a-z0-9-]+))?(?P<rest>.*)$")
TYPED = re.compile(r"^ (?P<type>[A-Z]+)(?::(?:\{[^}]*\}|[^=]*))?(?:=(?P<default>\S+))?")


def cli_options(run_cli, pde: str):
    """{name: (type, default)} and {alias: name} of `fieldlab generate PDE --help`."""
    options, aliases = {}, {}
    for line in run_cli("generate", pde, "--help").stdout.splitlines():
        m = OPTION.match(line)
        if not m or m["name"] in RUN_OPTIONS:
            continue
        name = m["name"].replace("-", "_")
        if m["alias"]:
            aliases[m["alias"].replace("-", "_")] = name
        t = TYPED.match(m["rest"])
        if not t:  # a flag
            options[name] = ("FLAG", False)
            continue
        kind, default = t["type"], t["default"]
        if default is not None and default.startswith("["):
            items = [v for v in default.strip("[]").split(",") if v]
            value = [float(v) for v in items] if kind == "FLOAT" else items
        elif kind in ("INT", "UINT"):
            value = int(default)
        elif kind == "FLOAT":
            value = float(default)
        else:
            value = default
        options[name] = (kind, value)
    return options, aliases


@pytest.mark.parametrize("pde", data.PDES)
def test_keywords_and_defaults_are_the_clis(run_cli, pde):
    options, aliases = cli_options(run_cli, pde)
    mine = fieldlab.generate_options(pde)
    assert list(mine) == list(options)  # same names, in the CLI's order
    for name, (kind, default) in options.items():
        value = mine[name]
        if kind in ("INT", "UINT"):
            assert type(value) is int and value == default, name
        elif kind == "FLOAT" and not isinstance(default, list):
            assert isinstance(value, float) and value == pytest.approx(default, rel=1e-12), name
        else:
            assert value == default, name
    assert aliases == data._ALIASES.get(pde, {})


def generate_both(tmp_path, run_cli, pde, cli_args, **options):
    """The same options through the CLI and through Python; returns the two paths."""
    a, b = tmp_path / f"cli_{pde}_train.h5", tmp_path / f"py_{pde}_train.h5"
    run_cli("generate", pde, "--out", a, "--quiet", *cli_args)
    outcome = fieldlab.generate(pde, b, **options)
    assert outcome["path"] == str(b) and outcome["completed"] == outcome["total"]
    assert outcome["resumed_from"] == 0
    return str(a), str(b)


def test_ns2d_native_is_byte_identical_to_the_cli(tmp_path, run_cli):
    a, b = generate_both(
        tmp_path, run_cli, "ns2d",
        ["--trajectories", "3", "--resolution", "16", "--solve-resolution", "32", "--frames", "5",
         "--dt-out", "0.5", "--viscosity", "1e-3", "--fields", "vorticity,u,v", "--seed", "7",
         "--threads", "2"],
        trajectories=3, resolution=16, solve_resolution=32, frames=5, dt_out=0.5, viscosity=1e-3,
        fields=["vorticity", "u", "v"], seed=7, threads=1,
    )
    assert assert_same_datasets(a, b) == 11  # 3 fields, 4 diagnostics, t, x, y, completed
    assert attributes_of(a) == attributes_of(b)  # also the generation identity
    with h5py.File(b) as f:
        assert f["vorticity"].shape == (3, 5, 16, 16) and f["vorticity"].dtype == np.float32
        assert f["u"].shape == (3, 5, 16, 16) and f["diagnostics/enstrophy"].shape == (3, 5)
    assert text_attribute(b, "command_line").startswith("fieldlab.generate('ns2d', ")
    assert "solve-resolution: 32" in text_attribute(b, "config")


def test_swe2d_pdebench_is_byte_identical_to_the_cli(tmp_path, run_cli):
    a, b = generate_both(
        tmp_path, run_cli, "swe2d",
        ["--layout", "pdebench", "--samples", "2", "--resolution", "16", "--frames", "4",
         "--dtype", "float64"],
        layout="pdebench", samples=2, resolution=16, frames=4, dtype="float64",
    )
    assert assert_same_datasets(a, b) == 10  # per sample: data, completed, grid/t, x, y
    assert attributes_of(a) == attributes_of(b)
    with h5py.File(b) as f:
        assert f["0001/data"].shape == (4, 16, 16, 4) and f["0001/data"].dtype == np.float64


def test_dambreak2d_pdebench_is_byte_identical_to_the_cli(tmp_path, run_cli):
    a, b = generate_both(
        tmp_path, run_cli, "dambreak2d",
        ["--layout", "pdebench", "--trajectories", "2", "--resolution", "16", "--frames", "5",
         "--fields", "h,hu"],
        layout="pdebench", trajectories=2, resolution=16, frames=5, fields=["h", "hu"],
    )
    assert assert_same_datasets(a, b) == 10
    assert attributes_of(a) == attributes_of(b)


def test_smoke2d_pdearena_keeps_the_clis_float64_default(tmp_path, run_cli):
    a, b = generate_both(
        tmp_path, run_cli, "smoke2d",
        ["--layout", "pdearena", "--trajectories", "2", "--resolution", "16", "--steps", "8",
         "--skip", "0", "--every", "2", "--buoyancy-range", "0.2,0.5"],
        layout="pdearena", trajectories=2, resolution=16, steps=8, skip=0, every=2,
        buoyancy_range=[0.2, 0.5],
    )
    assert assert_same_datasets(a, b) == 11  # train/{u,vx,vy,t,x,y,dt,dx,dy,buo_y}, completed
    with h5py.File(b) as f:
        assert f["train/u"].dtype == np.float64 and f["train/u"].shape == (2, 4, 16, 16)
        assert 0.2 <= f["train/buo_y"][0] <= 0.5


def test_the_stored_config_is_a_cli_config_file(tmp_path, run_cli):
    b = tmp_path / "py.h5"
    fieldlab.generate("ns2d", b, trajectories=2, resolution=16, frames=3, seed=3)
    config = tmp_path / "config.yaml"
    text = text_attribute(str(b), "config")
    # The same options again through the CLI's --config (out replaced): the same bytes.
    config.write_text(text.replace(f"out: {b}", f"out: {tmp_path / 'cli.h5'}"))
    run_cli("generate", "ns2d", "--config", config, "--quiet")
    assert assert_same_datasets(str(tmp_path / "cli.h5"), str(b)) == 9


def test_progress_reports_every_trajectory(tmp_path):
    calls = []
    fieldlab.generate("ns2d", tmp_path / "p.h5", trajectories=3, resolution=8, frames=2,
                      progress=lambda done, total, label, note: calls.append((done, total, label)))
    assert calls[0] == (0, 3, "ns2d trajectories") and calls[-1][:2] == (3, 3)


LONG = dict(trajectories=40, resolution=32, frames=60, dt_out=0.5, threads=1)  # ~1.5 s idle


def test_ctrl_c_keeps_a_resumable_partial_with_the_same_bytes(tmp_path, run_cli):
    out = tmp_path / "long.h5"
    script = textwrap.dedent(
        f"""
        import sys, fieldlab
        def seen(done, total, label, note):
            if done >= 2:
                print("started", flush=True)
        try:
            fieldlab.generate("ns2d", {str(out)!r}, progress=seen, **{LONG!r})
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
        print("finished", flush=True)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env=os.environ)
    assert child.stdout.readline().strip() == "started"
    child.send_signal(signal.SIGINT)
    rest, _ = child.communicate(timeout=60)
    assert child.returncode == 3 and rest.split()[-1] == "interrupted"
    partial = tmp_path / "long.h5.partial"
    assert partial.is_file() and not out.exists()
    with fieldlab.open(partial) as ds:
        done = int(ds.completed.sum())
        assert not ds.complete and 2 <= done < LONG["trajectories"]

    outcome = fieldlab.generate("ns2d", out, resume=True, **LONG)
    assert outcome["resumed_from"] == done and outcome["completed"] == LONG["trajectories"]
    assert out.is_file() and not partial.exists()
    reference = tmp_path / "reference.h5"
    run_cli("generate", "ns2d", "--out", reference, "--quiet", "--trajectories", "40",
            "--resolution", "32", "--frames", "60", "--dt-out", "0.5")
    assert_same_datasets(str(reference), str(out))


def test_bad_input_is_the_mapped_exception(tmp_path):
    with pytest.raises(TypeError, match="unknown pde 'ns3d'; valid: ns2d, smoke2d, swe2d"):
        fieldlab.generate("ns3d", tmp_path / "a.h5")
    with pytest.raises(TypeError, match="unknown keyword 'viscosty'; valid: trajectories, "):
        fieldlab.generate("ns2d", tmp_path / "a.h5", viscosty=1e-3)
    with pytest.raises(TypeError, match="unknown pde"):
        fieldlab.generate_options("heat")
    with pytest.raises(TypeError, match="keyword 'trajectories' got float, expected int"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", trajectories=2.5)
    with pytest.raises(TypeError, match="keyword 'fields' got str, expected list"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", fields="u")
    with pytest.raises(fieldlab.UsageError, match=r"seed must be an integer in \[0, "):
        fieldlab.generate("ns2d", tmp_path / "a.h5", seed=-1)
    with pytest.raises(fieldlab.UsageError, match="resolution must be an integer in"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", resolution=2**40)
    with pytest.raises(fieldlab.UsageError, match="--viscosity must be >= 0"):
        fieldlab.generate("smoke2d", tmp_path / "a.h5", viscosity=-1.0)
    with pytest.raises(fieldlab.UsageError, match="unknown dtype 'float16'"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", dtype="float16")
    with pytest.raises(fieldlab.UsageError, match="--trajectories must be positive"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", trajectories=-1)
    with pytest.raises(fieldlab.UsageError, match="--diffusion-order must be 2 or 4"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", diffusion_order=3)
    with pytest.raises(fieldlab.UsageError, match="layout"):
        fieldlab.generate("smoke2d", tmp_path / "a.h5", layout="pdebench")
    with pytest.raises(fieldlab.UsageError, match="native layout only"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", layout="pdebench")
    with pytest.raises(fieldlab.UsageError, match="exclude"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", overwrite=True, resume=True)
    with pytest.raises(fieldlab.UsageError, match="threads must be between"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", threads=10**6)
    with pytest.raises(fieldlab.UsageError, match="must name a file"):
        fieldlab.generate("ns2d", "")
    with pytest.raises(fieldlab.FileError):
        fieldlab.generate("ns2d", tmp_path / "no" / "such" / "dir.h5", trajectories=1,
                          resolution=8, frames=2)
    assert not list(tmp_path.iterdir())  # nothing was created by any refusal

    small = dict(trajectories=1, resolution=8, frames=2)
    fieldlab.generate("ns2d", tmp_path / "a.h5", **small)
    with pytest.raises(fieldlab.UsageError, match="overwrite"):
        fieldlab.generate("ns2d", tmp_path / "a.h5", **small)
    assert fieldlab.generate("ns2d", tmp_path / "a.h5", overwrite=True, **small)["completed"] == 1
    with pytest.raises(fieldlab.Error):
        fieldlab.generate("ns2d", tmp_path / "b.h5", resume=True, **small)  # nothing to resume
