"""fieldlab.WindowLoader (the C++ training-window loader) and fieldlab.torch.WindowDataset:
batches equal h5py slices of the same (trajectory, start) normalised with the file statistics."""

from __future__ import annotations

import numpy as np
import pytest

import fieldlab

from data_support import datasets_of


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    path = tmp_path_factory.mktemp("loader") / "ns2d.h5"
    fieldlab.generate("ns2d", path, trajectories=4, resolution=8, frames=10, dt_out=0.25,
                      fields=["vorticity", "u", "v"], seed=5)
    return path


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    path = tmp_path_factory.mktemp("loader") / "smoke_train.h5"
    fieldlab.generate("smoke2d", path, layout="pdearena", trajectories=3, resolution=8, steps=16,
                      skip=0, every=2, buoyancy_range=[0.2, 0.5])
    return path


def expected_window(values, norm, fields, trajectory, start, history, future):
    """x (history*C, nx, ny), y (future*C, nx, ny) from h5py arrays, z-scored as the loader."""
    def frames(first, count):
        out = []
        for k in range(first, first + count):
            for f in fields:
                mean, std = norm[f]
                out.append(((values[f][trajectory, k].astype(np.float64) - mean) * (1.0 / std))
                           .astype(np.float32))
        return np.stack(out)

    return frames(start, history), frames(start + history, future)


def test_batches_equal_normalised_h5py_windows(native):
    fields = ["u", "vorticity"]
    values = {f: d[()] for f, d in datasets_of(str(native)).items() if f in fields}
    loader = fieldlab.WindowLoader(native, history=3, future=2, batch=3, fields=fields, seed=11,
                                   windows_per_trajectory=2)
    with fieldlab.open(native) as ds:
        for f in fields:  # the file statistics (fieldlab info's mean and std)
            mean, std = loader.normalisation[f]
            assert mean == pytest.approx(ds.statistics(f)["mean"], rel=1e-12, abs=1e-15)
            assert std == pytest.approx(ds.statistics(f)["std"], rel=1e-12)
    assert len(loader) == 2 and loader.windows_per_epoch == 8 and loader.batch_size == 3
    seen = 0
    for batch in loader:
        assert batch["x"].shape == (3, 3 * 2, 8, 8) and batch["x"].dtype == np.float32
        assert batch["y"].shape == (3, 2 * 2, 8, 8)
        assert batch["index"] == seen
        for s, (trajectory, start) in enumerate(batch["windows"]):
            x, y = expected_window(values, loader.normalisation, fields, trajectory, start, 3, 2)
            np.testing.assert_allclose(batch["x"][s], x, rtol=1e-6, atol=1e-6)
            np.testing.assert_allclose(batch["y"][s], y, rtol=1e-6, atol=1e-6)
        seen += 1
    assert seen == 2


def test_epochs_are_reproducible_and_all_visits_every_window(native):
    a = fieldlab.WindowLoader(native, history=2, future=1, batch=2, seed=3)
    b = fieldlab.WindowLoader(native, history=2, future=1, batch=2, seed=3)
    assert len(a) == 2
    assert np.array_equal(a.epoch_plan(1), b.epoch_plan(1))
    assert not np.array_equal(a.epoch_plan(0), a.epoch_plan(1))
    first = [x["windows"] for x in a]  # epoch 0
    second = [x["windows"] for x in a]  # epoch 1
    assert np.array_equal(np.concatenate(second), a.epoch_plan(1)[: 2 * len(a)])
    again = [x["windows"] for x in b.epoch(0)]
    assert all(np.array_equal(p, q) for p, q in zip(first, again))
    late = list(b.epoch(1, first_batch=1))
    assert np.array_equal(late[0]["windows"], second[1]) and late[0]["index"] == 1

    every = fieldlab.WindowLoader(native, history=2, future=1, batch=5,
                                  windows_per_trajectory="all")
    plan = every.epoch_plan(0)
    assert len(plan) == 4 * (10 - 2 - 1 + 1)
    assert sorted(map(tuple, plan.tolist())) == [(n, s) for n in range(4) for s in range(8)]
    assert len(every) == len(plan) // 5


def test_dt_parameter_and_given_normalisation(smoke):
    values = {f: d[()] for f, d in datasets_of(str(smoke)).items()}
    norm = {"u": (0.5, 2.0), "vx": (0.0, 1.0)}
    loader = fieldlab.WindowLoader(smoke, history=2, future=2, batch=2, fields=["u", "vx"],
                                   normalise=norm, dt=True, parameter="buo_y",
                                   windows_per_trajectory="all")
    assert loader.normalisation == norm
    for batch in loader:
        assert batch["dt"].shape == (2, 2) and batch["parameter"].shape == (2,)
        for s, (trajectory, start) in enumerate(batch["windows"]):
            t = values["train/t"][trajectory]
            expected_dt = t[start + 2: start + 4] - t[start + 1: start + 3]
            np.testing.assert_allclose(batch["dt"][s], expected_dt, rtol=1e-6)
            assert batch["parameter"][s] == np.float32(values["train/buo_y"][trajectory])
            x, _ = expected_window({"u": values["train/u"], "vx": values["train/vx"]}, norm,
                                   ["u", "vx"], trajectory, start, 2, 2)
            np.testing.assert_allclose(batch["x"][s], x, rtol=1e-6, atol=1e-6)
    raw = fieldlab.WindowLoader(smoke, history=1, future=1, batch=1, normalise=False, fields=["u"])
    batch = next(iter(raw))
    trajectory, start = batch["windows"][0]
    assert np.array_equal(batch["x"][0, 0], values["train/u"][trajectory, start].astype(np.float32))


def test_bad_loader_arguments(native, tmp_path):
    with pytest.raises(fieldlab.UsageError, match="history must be at least 1"):
        fieldlab.WindowLoader(native, history=0)
    with pytest.raises(fieldlab.UsageError, match="pressure"):
        fieldlab.WindowLoader(native, fields=["pressure"])
    with pytest.raises(fieldlab.UsageError):
        fieldlab.WindowLoader(native, history=8, future=4)  # 12 frames > 10
    with pytest.raises(fieldlab.UsageError, match="windows_per_trajectory"):
        fieldlab.WindowLoader(native, windows_per_trajectory="some")
    with pytest.raises(fieldlab.UsageError, match="no \\(mean, std\\) for field 'u'"):
        fieldlab.WindowLoader(native, fields=["u"], normalise={"v": (0.0, 1.0)})
    with pytest.raises(TypeError, match="normalise"):
        fieldlab.WindowLoader(native, normalise="yes")
    with pytest.raises(fieldlab.UsageError):
        fieldlab.WindowLoader(native, dt=False, parameter="buo_y")  # ns2d has no such parameter
    with pytest.raises(fieldlab.FileError):
        fieldlab.WindowLoader(tmp_path / "missing.h5")


def test_torch_window_dataset(smoke):
    torch = pytest.importorskip("torch")
    from fieldlab.torch import WindowDataset

    values = {f: d[()] for f, d in datasets_of(str(smoke)).items()}
    ds = WindowDataset(smoke, history=2, future=1, fields=["u", "vy"], dt=True, parameter="buo_y")
    assert len(ds) == 3 * (8 - 3 + 1)
    sample = ds[7]
    trajectory, start = ds.window(7)
    assert (trajectory, start) == (1, 1)
    x, y = expected_window({"u": values["train/u"], "vy": values["train/vy"]}, ds.normalisation,
                           ["u", "vy"], trajectory, start, 2, 1)
    assert isinstance(sample["x"], torch.Tensor) and sample["x"].dtype == torch.float32
    np.testing.assert_allclose(sample["x"].numpy(), x, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(sample["y"].numpy(), y, rtol=1e-6, atol=1e-6)
    assert sample["parameter"].item() == pytest.approx(values["train/buo_y"][1], rel=1e-6)
    sampler = torch.utils.data.distributed.DistributedSampler(ds, num_replicas=2, rank=1,
                                                              shuffle=False)
    loader = torch.utils.data.DataLoader(ds, batch_size=3, sampler=sampler)
    batches = list(loader)
    assert sum(b["x"].shape[0] for b in batches) == len(ds) // 2
    # Worker processes reopen the file; their samples are the same.
    workers = list(torch.utils.data.DataLoader(ds, batch_size=3, sampler=sampler, num_workers=2))
    assert all(torch.equal(a["x"], b["x"]) and torch.equal(a["dt"], b["dt"])
               for a, b in zip(batches, workers))
    with pytest.raises(IndexError):
        ds[len(ds)]
