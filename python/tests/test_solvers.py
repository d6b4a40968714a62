"""fieldlab.solvers: keyword names/defaults against the CLI's --help, zero-copy views, the
verification cases against the CLI's output files, convergence to the exact Taylor-Green solution,
bad input, the released GIL and thread independence. Small sizes throughout."""

from __future__ import annotations

import inspect
import math
import os
import re
import subprocess
import sys
import textwrap
import threading

import h5py
import numpy as np
import pytest

import fieldlab
from fieldlab import solvers

# CLI options mapped explicitly on the Python side (files, threads, terminal output).
RUN_OPTIONS = {"help", "out", "overwrite", "threads", "config", "quiet"}


def cli_defaults(run_cli, *command: str) -> dict[str, str | None]:
    """{python_name: default text (None when it has none)} of `fieldlab <command> --help`."""
    out = run_cli(*command, "--help").stdout
    options: dict[str, str | None] = {}
    for line in out.splitlines():
        m = re.match(r"^\s+(?:-\w,)?--([\w-]+)(?:,--[\w-]+)*(.*)$", line)
        if not m:
            continue
        name = m.group(1).replace("-", "_")
        default = re.search(r"=(\S+)", m.group(2))
        options[name] = default.group(1) if default else None
    return {k: v for k, v in options.items() if k not in RUN_OPTIONS}


def signature_of(function) -> inspect.Signature:
    """The signature of a pybind11 function, from the first line of its docstring."""
    first = function.__doc__.splitlines()[0]
    params = first[first.index("(") : first.rindex(")") + 1]
    namespace: dict = {}
    exec(f"def f{params}: pass", {"object": object}, namespace)
    return inspect.signature(namespace["f"])


def same_default(cli: str | None, python) -> bool:
    if isinstance(python, bool):
        return cli is None or cli.lower() in ("true", "false") and (cli.lower() == "true") == python
    if isinstance(python, (int, float)):
        return cli is not None and float(cli) == float(python)
    return cli == python


CASES = {
    "taylor-green": solvers.solve_taylor_green,
    "cavity": solvers.solve_cavity,
    "dam-break": solvers.solve_dam_break,
    "lake-at-rest": solvers.solve_lake_at_rest,
    "geostrophic-jet": solvers.solve_geostrophic_jet,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_keywords_and_defaults_equal_the_cli_help(run_cli, case):
    cli = cli_defaults(run_cli, "solve", case)
    params = {
        k: p.default for k, p in signature_of(CASES[case]).parameters.items() if k != "progress"
    }
    assert set(params) == set(cli)
    for name, default in params.items():
        assert same_default(cli[name], default), (case, name, cli[name], default)


@pytest.mark.parametrize(
    "cls, command, expected_shared",
    [
        (solvers.Ns2d, ("generate", "ns2d"), 17),
        (solvers.ShallowWaterCGrid, ("generate", "swe2d"), 9),
    ],
)
def test_solver_keywords_shared_with_the_cli_have_its_defaults(
    run_cli, cls, command, expected_shared
):
    cli = cli_defaults(run_cli, *command)
    defaults = cls.defaults()
    shared = set(defaults) & set(cli)
    assert len(shared) >= expected_shared, sorted(shared)
    for name in shared:
        assert same_default(cli[name], defaults[name]), (name, cli[name], defaults[name])


def test_unknown_keyword_is_a_type_error_naming_the_valid_ones():
    with pytest.raises(TypeError, match=r"unknown keyword 'viscosty'; valid: resolution, "):
        solvers.Ns2d(viscosty=0.1)
    for cls in (solvers.Incompressible, solvers.ShallowWater, solvers.ShallowWaterCGrid):
        with pytest.raises(TypeError, match="unknown keyword 'bogus'"):
            cls(bogus=1)
    with pytest.raises(TypeError):
        solvers.solve_taylor_green(viscosty=0.1)
    with pytest.raises(TypeError, match="keyword 'resolution' got float"):
        solvers.Ns2d(resolution=32.0)


def test_bad_values_are_usage_errors():
    with pytest.raises(fieldlab.UsageError):
        solvers.Ns2d(resolution=-1)
    with pytest.raises(fieldlab.UsageError, match="viscosity"):
        solvers.Ns2d(resolution=16, viscosity=math.nan)
    with pytest.raises(fieldlab.UsageError, match="unknown stepper"):
        solvers.Ns2d(resolution=16, stepper="euler")
    with pytest.raises(fieldlab.UsageError, match="--resolution must be at least 2"):
        solvers.solve_dam_break(resolution=1)
    with pytest.raises(fieldlab.UsageError):
        solvers.solve_taylor_green(resolution=-4)
    with pytest.raises(fieldlab.UsageError, match="--t-end must be >= 0"):
        solvers.solve_taylor_green(resolution=8, t_end=math.nan)
    with pytest.raises(fieldlab.UsageError):
        solvers.Incompressible(nx=2, ny=2)
    with pytest.raises(fieldlab.UsageError, match="--dt must be positive"):
        solvers.Incompressible(nx=8, ny=8, dt=-1.0)
    with pytest.raises(fieldlab.UsageError):
        solvers.ShallowWater(nx=0)


def test_wrong_arrays_to_setters_are_usage_errors():
    s = solvers.Ns2d(resolution=16)
    with pytest.raises(fieldlab.UsageError, match=r"expected shape \(16, 16\), got \(16, 8\)"):
        s.set_vorticity(np.zeros((16, 8)))
    with pytest.raises(fieldlab.UsageError, match="expected 2 dimensions"):
        s.set_vorticity(np.zeros(256))
    with pytest.raises(fieldlab.UsageError, match="numeric array"):
        s.set_vorticity("not an array")
    with pytest.raises(fieldlab.UsageError, match="finite"):
        s.set_vorticity(np.full((16, 16), np.nan))
    fv = solvers.ShallowWater(nx=8, ny=8)
    with pytest.raises(fieldlab.UsageError, match="depth must be >= 0"):
        fv.set_state(-np.ones((8, 8)))
    with pytest.raises(fieldlab.UsageError, match="expected shape"):
        fv.set_bathymetry(np.zeros((4, 4)))
    cg = solvers.ShallowWaterCGrid(nx=8, ny=8)
    with pytest.raises(fieldlab.UsageError, match="expected shape"):
        cg.set_state(np.ones((8, 8)), np.zeros((8, 8)), np.zeros((8, 9)))


def test_ns2d_vorticity_is_a_read_only_zero_copy_view_that_follows_the_solver():
    s = solvers.Ns2d(resolution=32, seed=3)
    a, b = s.vorticity, s.vorticity
    assert a.shape == (32, 32) and a.dtype == np.float64
    assert np.shares_memory(a, b)
    assert not a.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        a[0, 0] = 1.0
    before = a.copy()
    s.step()
    assert s.steps == 1 and s.time > 0
    assert not np.array_equal(a, before)  # the same array shows the new state
    del s  # the view keeps the solver alive
    assert np.isfinite(a).all()


def test_ns2d_set_vorticity_and_diagnostics():
    s = solvers.Ns2d(resolution=32, length=2 * math.pi, forcing="none", viscosity=0.0)
    w = solvers.taylor_green_vorticity(32)
    s.set_vorticity(w, time=0.25)
    assert s.time == 0.25
    np.testing.assert_array_equal(s.vorticity, w)
    d = s.diagnostics()
    # Enstrophy mean(w^2)/2 of w = -2 cos x cos y: 4 * 1/4 / 2 = 0.5.
    assert d["enstrophy"] == pytest.approx(0.5, rel=1e-12)
    assert d["max_divergence"] < 1e-12
    assert set(d) == {"time", "kinetic_energy", "enstrophy", "max_speed", "cfl",
                      "max_divergence", "steps"}


def test_mac_fields_are_writable_views_that_change_the_state():
    s = solvers.Smoke(resolution=16, length=8.0, dt=0.5, seed=1)
    assert s.u.shape == (17, 16) and s.v.shape == (16, 17) and s.scalar.shape == (16, 16)
    smoke = s.scalar
    assert np.shares_memory(smoke, s.scalar) and smoke.flags.writeable
    mass = s.diagnostics()["scalar_mass"]
    assert mass == pytest.approx(np.abs(solvers.smoke_noise(16, 16, 8.0, 8.0, seed=1)).sum() * 0.25)
    smoke *= 2.0  # writes the solver's state
    assert s.diagnostics()["scalar_mass"] == pytest.approx(2 * mass, rel=1e-14)
    u = s.u
    s.step()
    assert np.shares_memory(u, s.u) and np.abs(u).max() > 0  # buoyancy set the fluid moving
    assert s.diagnostics()["max_divergence"] < 1e-10
    s.advance_to(2.25)
    assert s.time == 2.25 and s.steps == 5  # 0.5 + 3 * 0.5 + 0.25


def test_shallow_water_views_and_state():
    s = solvers.ShallowWater(nx=20, ny=10, boundary="reflective")
    x = s.x
    h0 = np.where(x[:, None] < 0, 2.0, 1.0) * np.ones((20, 10))
    s.set_state(h0)
    h = s.depth
    assert h.shape == (20, 10) and not h.flags.writeable and not h.flags.c_contiguous
    np.testing.assert_array_equal(h, h0)
    assert np.shares_memory(h, s.depth)
    mass0 = s.diagnostics()["mass"]
    s.advance_to(0.1)
    assert s.time == 0.1
    assert not np.array_equal(h, h0)
    assert s.diagnostics()["mass"] == pytest.approx(mass0, rel=1e-14)
    with pytest.raises(ValueError, match="read-only"):
        h[0, 0] = 0.0


def test_cgrid_views_and_the_geostrophic_jet_stays_steady():
    s = solvers.ShallowWaterCGrid(nx=16, ny=16)
    np.testing.assert_array_equal(s.h, np.ones((16, 16)))
    h0, u0, v0 = s.jet_state(speed=0.1, mode=1)
    s.set_state(h0, u0, v0)
    h, u = s.h, s.u
    assert np.shares_memory(h, s.h) and not h.flags.writeable
    s.advance_to(0.2)
    assert np.abs(u - u0).max() < 3e-3 and np.abs(h - h0).max() < 3e-3  # U = 0.1
    d = s.diagnostics()
    assert d["steps"] > 0 and d["time"] == pytest.approx(0.2)


def test_taylor_green_equals_the_cli_output(run_cli, tmp_path):
    out = tmp_path / "tg.h5"
    run_cli("solve", "taylor-green", "--resolution", 24, "--t-end", 0.3, "--out", out)
    r = solvers.solve_taylor_green(resolution=24, t_end=0.3)
    with h5py.File(out) as f:
        for name in ("x", "y", "u", "v", "vorticity"):
            np.testing.assert_array_equal(r[name], f[name][...])
        assert r["velocity_rms_error"] == f.attrs["velocity_rms_error"]
        assert r["steps"] == f.attrs["steps"] and r["time"] == f.attrs["time"]
    assert 1e-5 < r["velocity_rms_error"] < 1e-2


def test_ns2d_converges_to_taylor_green_at_second_order():
    errors = []
    for n in (16, 32):
        s = solvers.Ns2d(resolution=n, length=2 * math.pi, forcing="none",
                         initial_condition="taylor-green", viscosity=0.05, dt=0.01)
        s.advance_to(0.5)
        u, v = s.velocity()
        ue, ve = solvers.taylor_green_velocity(n, viscosity=0.05, t=0.5)
        errors.append(solvers.velocity_rms_error(u, v, ue, ve))
    assert errors[0] == pytest.approx(8.24e-3, rel=0.01) and errors[1] < 2.1e-3
    order = math.log2(errors[0] / errors[1])
    assert 1.95 < order < 2.05, (errors, order)


def test_dam_break_equals_the_cli_output(run_cli, tmp_path):
    out = tmp_path / "db.h5"
    done = run_cli("solve", "dam-break", "--resolution", 80, "--t-end", 0.2, "--out", out)
    r = solvers.solve_dam_break(resolution=80, t_end=0.2)
    with h5py.File(out) as f:
        for name in ("x", "y", "h", "u", "hu", "h_exact", "u_exact"):
            np.testing.assert_array_equal(r[name], f[name][...])
        for name in ("l1_error_h", "l1_error_u", "h_middle_exact", "mass_change", "steps"):
            assert r[name] == f.attrs[name], name
    assert f"L1 error h {r['l1_error_h']:.4e}, u {r['l1_error_u']:.4e}" in done.stdout
    assert r["h_middle_exact"] == pytest.approx(1.453841, abs=1e-6)  # Stoker, h = 2 | 1
    assert r["l1_error_h"] < 0.03


def test_lake_at_rest_and_jet_equal_the_cli(run_cli, tmp_path):
    run_cli("solve", "lake-at-rest", "--resolution", 24, "--t-end", 0.1, "--out", tmp_path / "l.h5")
    r = solvers.solve_lake_at_rest(resolution=24, t_end=0.1)
    with h5py.File(tmp_path / "l.h5") as f:
        np.testing.assert_array_equal(r["h"], f["h"][...])
        assert r["max_velocity"] == f.attrs["max_velocity"] and r["max_velocity"] < 1e-13
    run_cli("solve", "geostrophic-jet", "--resolution", 16, "--t-end", 0.2,
            "--out", tmp_path / "j.h5")
    j = solvers.solve_geostrophic_jet(resolution=16, t_end=0.2)
    with h5py.File(tmp_path / "j.h5") as f:
        np.testing.assert_array_equal(j["eta"], f["eta"][...])
        assert j["max_u_error"] == f.attrs["max_u_error"]
        assert abs(j["relative_energy_change"]) < 1e-10


def test_cavity_small_run_reports_the_cli_numbers(run_cli, tmp_path):
    args = dict(re=100.0, resolution=8, tolerance=1e-3, max_time=50.0)
    r = solvers.solve_cavity(**args)
    run_cli("solve", "cavity", "--resolution", 8, "--tolerance", 1e-3, "--max-time", 50, "--quiet",
            "--out", tmp_path / "c.h5")
    with h5py.File(tmp_path / "c.h5") as f:
        np.testing.assert_array_equal(r["u"], f["u"][...])
        assert r["steps"] == f.attrs["steps"] and r["converged"] == bool(f.attrs["converged"])
    assert r["u"].shape == (9, 9) and r["converged"]


def test_a_raising_progress_callback_stops_advance_to_after_a_step():
    s = solvers.Ns2d(resolution=32, seed=1, dt=1e-3)

    def boom(done, total, label, note):
        if done > 0:
            raise ZeroDivisionError("stop here")

    with pytest.raises(ZeroDivisionError):
        s.advance_to(100.0, progress=boom)
    assert 0 < s.time < 100.0  # stopped early, the state consistent
    assert np.isfinite(s.vorticity).all()


def test_progress_reaches_the_callback():
    calls = []
    s = solvers.ShallowWater(nx=16, ny=16)
    s.set_state(np.ones((16, 16)) + 0.1 * (s.x[:, None] < 0))
    s.advance_to(0.3, progress=lambda done, total, label, note: calls.append((done, total, label)))
    assert calls[0] == (0, 1000, "advance") and calls[-1][0] == 1000


def test_the_gil_is_released_during_advance_to():
    s = solvers.Ns2d(resolution=64, seed=2, dt=1e-3)
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        s.advance_to(0.05)
    finally:
        stop.set()
        t.join()
    assert s.steps == 50
    assert counter[0] > 1000


def test_two_solvers_in_two_threads_equal_one_after_another():
    def run(seed, out):
        s = solvers.Ns2d(resolution=32, seed=seed)
        s.advance_to(0.2)
        out[seed] = s.vorticity.copy()

    sequential: dict = {}
    run(1, sequential)
    run(2, sequential)
    threaded: dict = {}
    threads = [threading.Thread(target=run, args=(seed, threaded)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seed in (1, 2):
        np.testing.assert_array_equal(threaded[seed], sequential[seed])
    assert not np.array_equal(sequential[1], sequential[2])


def test_initial_condition_generators():
    w = solvers.gaussian_random_field(32, seed=5)
    assert w.shape == (32, 32) and abs(w.mean()) < 1e-12
    np.testing.assert_array_equal(w, solvers.gaussian_random_field(32, seed=5))
    assert not np.array_equal(w, solvers.gaussian_random_field(32, seed=6))
    n = 16
    x = np.arange(n) * 2 * math.pi / n
    expected = -2 * np.cos(x)[:, None] * np.cos(x)[None, :]
    np.testing.assert_allclose(solvers.taylor_green_vorticity(n), expected, atol=1e-14)
    shear = solvers.double_shear_layer(32)
    assert shear.shape == (32, 32) and np.isfinite(shear).all()
    noise = solvers.smoke_noise(16, 16, seed=0)
    assert noise.mean() == pytest.approx(0, abs=1e-12) and noise.std() == pytest.approx(1, rel=1e-9)


def test_smoke_keywords_and_defaults_equal_generate_smoke2d(run_cli):
    cli = cli_defaults(run_cli, "generate", "smoke2d")
    params = inspect.signature(solvers.Smoke).parameters
    for name, p in params.items():
        assert name in cli, name
        assert same_default(cli[name], p.default), (name, cli[name], p.default)


def test_sigint_stops_advance_to_after_a_step_with_keyboard_interrupt():
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        from fieldlab import solvers
        s = solvers.Ns2d(resolution=64, seed=0, dt=1e-4)
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t = time.monotonic()
        try:
            s.advance_to(1000.0)
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - t:.2f} {s.time:.6f} {s.steps}")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env=os.environ)
    assert done.returncode == 0, done.stderr
    _, seconds, reached, steps = done.stdout.split()
    assert 0.25 < float(seconds) < 10.0
    assert 0 < float(reached) < 1000.0 and int(steps) > 0
    assert float(reached) == pytest.approx(int(steps) * 1e-4, rel=1e-9)  # whole steps only


def test_cavity_class_runs_and_continues():
    cli_keywords = set(signature_of(solvers.solve_cavity).parameters) - {"progress"}
    assert set(solvers.Cavity.defaults()) == cli_keywords
    c = solvers.Cavity(resolution=8, tolerance=1e-3, max_time=50.0)
    u = c.u
    assert u.shape == (9, 8) and not u.flags.writeable and np.abs(u).max() == 0
    r = c.run()
    assert r["converged"] and np.shares_memory(u, c.u) and np.abs(u).max() > 0
    f = c.node_fields()
    assert f["u"][4, 8] == 1.0  # the lid
    assert c.u_at(0.5, 1.0) == pytest.approx(1.0)
    once = solvers.solve_cavity(resolution=8, tolerance=1e-3, max_time=50.0)
    assert (once["steps"], once["final_residual"]) == (r["steps"], r["final_residual"])
    np.testing.assert_array_equal(once["u"], f["u"])
    with pytest.raises(fieldlab.UsageError, match="--resolution must be in"):
        solvers.Cavity(resolution=4)


def test_bad_seed_is_a_usage_error():
    with pytest.raises(fieldlab.UsageError, match="seed must be a non-negative integer"):
        solvers.Ns2d(resolution=8, seed=-1)
    with pytest.raises(fieldlab.UsageError, match="seed"):
        solvers.Ns2d(resolution=8, seed=1.5)
