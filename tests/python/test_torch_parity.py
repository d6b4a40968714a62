"""PyTorch parity of fieldlab's nn modules on identical weights and inputs.

For each case the identical PyTorch module is built in float32 with random weights (GroupNorm
affines perturbed away from 1/0 so they matter), the weights are written as a fieldlab checkpoint
(HDF5: /parameters/<state_dict name>, root attributes format/step/config/parameter_count), the
input x and output weights R as a case file, and fieldlab_nn_parity runs forward + backward of
sum(module(x) * R). Output, input gradient and every parameter gradient must agree with PyTorch's
within float32 tolerances (relative to the largest magnitude of each compared array).

Runs under pytest, or directly: python test_torch_parity.py --tool PATH (ctest does this; exit
code 77 = skipped because torch or h5py is missing). The tool is found through --tool or the
FIELDLAB_NN_PARITY_TOOL environment variable.
"""
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
    import torch
    from torch import nn
except ImportError as exc:  # pragma: no cover
    if __name__ == "__main__":
        print(f"torch_parity skipped: {exc}")
        sys.exit(77)
    import pytest

    pytest.skip(f"torch/h5py/numpy not importable: {exc}", allow_module_level=True)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference as ref  # noqa: E402

TOOL = os.environ.get("FIELDLAB_NN_PARITY_TOOL", "")


def write_checkpoint(path, module):
    state = module.state_dict()
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "fieldlab-checkpoint"
        f.attrs["step"] = np.int64(0)
        f.attrs["config"] = "parity test"
        f.attrs["parameter_count"] = np.int64(sum(v.numel() for v in state.values()))
        g = f.create_group("parameters")
        for name, value in state.items():
            g.create_dataset(name, data=value.detach().numpy().astype(np.float32))


def randomise(module, seed):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * (torch.rand(p.shape, generator=gen) - 0.5))
            elif "norm" in name and name.endswith("bias") or name.endswith("in_proj_bias") or \
                    name.endswith("out_proj.bias"):
                p.copy_(0.2 * (torch.rand(p.shape, generator=gen) - 0.5))


def run_case(module, x, attrs, seed=0, forward=None, extra=None, tol=1e-5, grad_tol=None):
    """Compares fieldlab against `module` (forward(module, x) when given)."""
    assert TOOL, "set FIELDLAB_NN_PARITY_TOOL or pass --tool"
    grad_tol = grad_tol or tol
    module = module.float()
    randomise(module, seed)
    gen = torch.Generator().manual_seed(seed + 1)
    x = x.clone().requires_grad_(True)
    out = forward(module, x) if forward else module(x)
    r = torch.rand(out.shape, generator=gen) * 2 - 1
    module.zero_grad()
    (out * r).sum().backward()
    with tempfile.TemporaryDirectory() as tmp:
        weights, case, result = (os.path.join(tmp, n) for n in ("w.h5", "case.h5", "out.h5"))
        write_checkpoint(weights, module)
        with h5py.File(case, "w") as f:
            for k, v in attrs.items():
                f.attrs[k] = v
            f.create_dataset("x", data=x.detach().numpy())
            f.create_dataset("output_grad", data=r.numpy())
            for k, v in (extra or {}).items():
                f.create_dataset(k, data=np.asarray(v, dtype=np.float32))
        proc = subprocess.run([TOOL, weights, case, result], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        with h5py.File(result, "r") as f:
            ours = {"output": f["output"][()], "input_grad": f["input_grad"][()]}
            grads = {k: f["parameter_grads"][k][()] for k in f["parameter_grads"]}
            count = int(f.attrs["parameter_count"])
    assert count == sum(p.numel() for p in module.parameters())
    theirs = {"output": out.detach().numpy(), "input_grad": x.grad.numpy()}
    report = {}
    for key in theirs:
        report[key] = compare(key, ours[key], theirs[key], tol if key == "output" else grad_tol)
    named = dict(module.named_parameters())
    assert set(grads) == set(named), sorted(set(grads) ^ set(named))
    for name, p in named.items():
        report[name] = compare(name, grads[name], p.grad.numpy(), grad_tol)
    settings = ", ".join(f"{k}={v}" for k, v in attrs.items() if k != "module")
    print(f"  {attrs['module']} ({settings}): worst relative error {max(report.values()):.2e}")
    return report


def compare(name, ours, theirs, tol):
    assert ours.shape == theirs.shape, f"{name}: shape {ours.shape} vs {theirs.shape}"
    scale = max(float(np.abs(theirs).max()), 1e-30)
    err = float(np.abs(ours - theirs).max()) / scale
    assert err <= tol, f"{name}: max |fieldlab - torch| / max |torch| = {err:.3e} > {tol:.1e}"
    return err


def image(shape, seed):
    return torch.rand(shape, generator=torch.Generator().manual_seed(seed)) * 2 - 1


# ---- ops ---------------------------------------------------------------------------------------

def test_conv2d():
    for padding in ("zeros", "circular"):
        for k in (3, 1):
            conv = nn.Conv2d(5, 7, k, padding=k // 2, padding_mode=padding)
            run_case(conv, image((2, 5, 9, 6), 1),
                     {"module": "conv2d", "cin": 5, "cout": 7, "kernel": k, "padding": padding})


def test_bicubic():
    for padding in ("zeros", "circular"):
        up = nn.Module()
        run_case(up, image((2, 3, 5, 8), 2), {"module": "bicubic", "padding": padding},
                 forward=lambda m, x, p=padding: ref.upsample(x, p))


def test_group_norm():
    for groups in (1, 3):
        run_case(nn.GroupNorm(groups, 6), image((2, 6, 7, 5), 3) * 3 + 1,
                 {"module": "group_norm", "groups": groups, "channels": 6}, grad_tol=5e-5)


def test_layer_norm():
    run_case(nn.LayerNorm(16), image((3, 4, 16), 4) * 2 + 0.5,
             {"module": "layer_norm", "dim": 16}, grad_tol=5e-5)


def test_attention():
    mha = nn.MultiheadAttention(12, 3, batch_first=True)
    run_case(mha, image((2, 5, 12), 5), {"module": "attention", "embed_dim": 12, "heads": 3},
             forward=lambda m, x: m(x, x, x, need_weights=False)[0], grad_tol=5e-5)


# ---- models ------------------------------------------------------------------------------------

SMALL = dict(fields=2, history=2, hidden=8, levels=4)


def sinenet_attrs(**kw):
    a = {"module": "sinenet", **SMALL, "waves": 2, "mult": 1.5, "blocks": 1,
         "padding": "zeros", "conditioning": "none", "parameter_conditioning": 0}
    a.update(kw)
    return a


def test_sinenet():
    for padding in ("zeros", "circular"):
        net = ref.SineNet(2, 2, 2, 1.5, hidden=8, levels=4, padding_mode=padding)
        run_case(net, image((2, 4, 32, 32), 6), sinenet_attrs(padding=padding), seed=10,
                 tol=1e-4, grad_tol=2e-4)


def test_sinenet_conditioned():
    dt, z = [0.25, 2.0], [0.5, -1.0]
    for kind in ("add", "adagn"):
        net = ref.SineNet(2, 2, 2, 1.5, hidden=8, levels=4, padding_mode="circular",
                          conditioning=kind, parameter=True)
        run_case(net, image((2, 4, 32, 32), 7),
                 sinenet_attrs(padding="circular", conditioning=kind, parameter_conditioning=1),
                 seed=20, extra={"dt": dt, "parameter": z},
                 forward=lambda m, x: m(x, torch.tensor(dt), torch.tensor(z)), tol=1e-4,
                 grad_tol=2e-4)


def test_unet():
    for padding in ("zeros", "circular"):
        net = ref.unet(2, 2, hidden=8, mult=1.425, blocks=2, padding_mode=padding)
        attrs = {"module": "unet", "fields": 2, "history": 2, "hidden": 8, "levels": 4,
                 "mult": 1.425, "blocks": 2, "padding": padding}
        run_case(net, image((2, 4, 32, 32), 8), attrs, seed=30, tol=1e-4, grad_tol=2e-4)


def test_full_size_parameter_counts():
    # The numbers tests/nn/test_sinenet.cpp, test_unet.cpp and test_conditioning.cpp assert for
    # fieldlab's declarations, counted here on the PyTorch modules (meta device: no memory).
    with torch.device("meta"):
        assert ref.count(ref.SineNet(3, 4, 8, 1.425)) == 35490219
        assert ref.count(ref.unet(3, 4)) == 28628084
        assert ref.count(ref.unet(1, 2)) == 28621170
        assert ref.count(ref.SineNet(3, 4, 8, 1.425, conditioning="add")) == 37910323
        assert ref.count(ref.SineNet(3, 4, 8, 1.425, conditioning="adagn")) == 40247995
        assert ref.count(ref.SineNet(3, 4, 8, 1.425, conditioning="add", parameter=True)) == \
            37992755


def main(argv):
    global TOOL
    if "--tool" in argv:
        TOOL = argv[argv.index("--tool") + 1]
    torch.manual_seed(0)
    torch.set_num_threads(1)
    failed = 0
    for name, fn in sorted((k, v) for k, v in globals().items() if k.startswith("test_")):
        try:
            fn()
            print(f"PASS {name}")
        except AssertionError as e:
            failed += 1
            print(f"FAIL {name}: {e}")
    print(f"{failed} failed" if failed else "all passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
