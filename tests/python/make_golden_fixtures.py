"""Writes the golden PyTorch fixtures under tests/fixtures/torch/ (committed; read in every CI run
by tests/nn/test_golden_torch.cpp, which needs no torch). Run once, when a case changes:

    /path/to/venv/bin/python tests/python/make_golden_fixtures.py [--out tests/fixtures/torch]

(a Python with torch, h5py and numpy; CPU only). Each file holds, in float32 unless noted:
  attributes      torch_version, numpy_version, generator (how it was run), case settings
  /inputs/<name>  inputs; masks as uint8 (1 = ignore, PyTorch's True), class targets as int64
  /weights/<name> parameters under their PyTorch state_dict names
  /output_grad    R: the objective is sum(output * R) (cases without a scalar loss)
  /outputs/<name> forward results
  /grads/inputs/<name>, /grads/weights/<name>  gradients of the objective (or loss)
The llm.c test_gpt2.c idea: a reference framework's activations and gradients on identical
weights, replayed by the engine. Weights are PyTorch's default initialisation from a fixed seed,
then perturbed (biases non-zero, norm weights away from 1) so every parameter's path is exercised.
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_reference  # noqa: E402  (SineNet mirror with fieldlab's parameter names)


def perturb(module, seed, scale=0.1):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(scale * torch.randn(p.shape, generator=g))


def uniform(shape, seed, lo=-1.0, hi=1.0):
    g = torch.Generator().manual_seed(seed)
    return lo + (hi - lo) * torch.rand(shape, generator=g)


class Writer:
    def __init__(self, out_dir, name, command, **attrs):
        self.path = os.path.join(out_dir, name)
        self.f = h5py.File(self.path + ".tmp", "w")
        self.f.attrs["torch_version"] = str(torch.__version__)
        self.f.attrs["numpy_version"] = str(np.__version__)
        self.f.attrs["generator"] = command
        for k, v in attrs.items():
            self.f.attrs[k] = v

    def tensor(self, path, t, dtype=np.float32):
        self.f.create_dataset(path, data=np.ascontiguousarray(t.detach().numpy().astype(dtype)))

    def weights(self, module, grads=True):
        for name, p in module.state_dict(keep_vars=True).items():
            self.tensor(f"weights/{name}", p)
            if grads:
                self.tensor(f"grads/weights/{name}", p.grad)

    def close(self):
        self.f.close()
        os.replace(self.path + ".tmp", self.path)
        print(f"  wrote {self.path} ({os.path.getsize(self.path)} bytes)")


def objective(y, seed):
    r = uniform(y.shape, seed)
    return (y * r).sum(), r


def encoder_case(out, command, name, norm_first, activation, seed):
    torch.manual_seed(seed)
    d, heads, ff, b, t = 8, 2, 16, 2, 5
    layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation=activation,
                                       batch_first=True, norm_first=norm_first)
    perturb(layer, seed + 1)
    layer.train()  # dropout 0: identity; train mode keeps PyTorch off its inference fast path
    src = uniform((b, t, d), seed + 2).requires_grad_()
    pad = torch.tensor([[0, 0, 0, 0, 1], [0, 0, 0, 1, 1]], dtype=torch.bool)
    y = layer(src, src_key_padding_mask=pad)
    loss, r = objective(y, seed + 3)
    loss.backward()
    w = Writer(out, name, command, d_model=d, heads=heads, dim_feedforward=ff,
               activation=activation, norm_first=int(norm_first), layer_norm_eps=1e-5)
    w.tensor("inputs/src", src)
    w.tensor("inputs/src_key_padding_mask", pad, np.uint8)
    w.tensor("output_grad", r)
    w.tensor("outputs/y", y)
    w.tensor("grads/inputs/src", src.grad)
    w.weights(layer)
    w.close()


def decoder_case(out, command, name, norm_first, activation, seed):
    torch.manual_seed(seed)
    d, heads, ff, b, t, s = 8, 2, 16, 2, 4, 6
    layer = nn.TransformerDecoderLayer(d, heads, ff, dropout=0.0, activation=activation,
                                       batch_first=True, norm_first=norm_first)
    perturb(layer, seed + 1)
    layer.train()
    tgt = uniform((b, t, d), seed + 2).requires_grad_()
    memory = uniform((b, s, d), seed + 3).requires_grad_()
    causal = nn.Transformer.generate_square_subsequent_mask(t)
    mem_pad = torch.tensor([[0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 1, 1]], dtype=torch.bool)
    y = layer(tgt, memory, tgt_mask=causal, tgt_is_causal=True, memory_key_padding_mask=mem_pad)
    loss, r = objective(y, seed + 4)
    loss.backward()
    w = Writer(out, name, command, d_model=d, heads=heads, dim_feedforward=ff,
               activation=activation, norm_first=int(norm_first), layer_norm_eps=1e-5)
    w.tensor("inputs/tgt", tgt)
    w.tensor("inputs/memory", memory)
    w.tensor("inputs/memory_key_padding_mask", mem_pad, np.uint8)
    w.tensor("output_grad", r)
    w.tensor("outputs/y", y)
    w.tensor("grads/inputs/tgt", tgt.grad)
    w.tensor("grads/inputs/memory", memory.grad)
    w.weights(layer)
    w.close()


def cross_entropy_case(out, command, seed):
    n, c = 7, 5
    logits = (3 * uniform((n, c), seed)).requires_grad_()
    target = torch.tensor([0, 4, -100, 2, 2, -100, 1], dtype=torch.int64)
    w = Writer(out, "cross_entropy.h5", command, classes=c, ignore_index=-100, reduction="mean")
    w.tensor("inputs/logits", logits)
    w.tensor("inputs/target", target, np.int64)
    for tag, smoothing in (("plain", 0.0), ("smoothed", 0.1)):
        logits.grad = None
        loss = F.cross_entropy(logits, target, ignore_index=-100, label_smoothing=smoothing)
        loss.backward()
        w.f.attrs[f"label_smoothing_{tag}"] = smoothing
        w.tensor(f"outputs/loss_{tag}", loss.reshape(1))
        w.tensor(f"grads/inputs/logits_{tag}", logits.grad)
    w.close()


def matmul_case(out, command, seed):
    w = Writer(out, "matmul.h5", command)
    # Batched [B, M, K] @ [B, K, N], and a batch of matrices times one shared matrix.
    for tag, (sa, sb) in (("batched", ((3, 4, 5), (3, 5, 2))), ("shared", ((2, 3, 4), (4, 6)))):
        a = uniform(sa, seed).requires_grad_()
        b = uniform(sb, seed + 1).requires_grad_()
        y = torch.matmul(a, b)
        loss, r = objective(y, seed + 2)
        loss.backward()
        w.tensor(f"inputs/a_{tag}", a)
        w.tensor(f"inputs/b_{tag}", b)
        w.tensor(f"output_grad_{tag}", r)
        w.tensor(f"outputs/y_{tag}", y)
        w.tensor(f"grads/inputs/a_{tag}", a.grad)
        w.tensor(f"grads/inputs/b_{tag}", b.grad)
        seed += 10
    w.close()


def scaled_l2(p, t):
    """PDEArena's scaled L2 (fieldlab's scaled_l2_loss): ||p - t|| / ||t|| per (sample, channel)."""
    return ((p - t).flatten(2).norm(dim=2) / t.flatten(2).norm(dim=2)).mean()


def sinenet_case(out, command, seed):
    torch.manual_seed(seed)
    cfg = dict(fields=1, history=2, waves=2, mult=1.5, hidden=4, levels=2, blocks=1)
    net = torch_reference.SineNet(cfg["fields"], cfg["history"], cfg["waves"], cfg["mult"],
                                  hidden=cfg["hidden"], levels=cfg["levels"], blocks=cfg["blocks"])
    perturb(net, seed + 1, scale=0.05)
    x = uniform((2, cfg["history"] * cfg["fields"], 8, 8), seed + 2)
    target = uniform((2, cfg["fields"], 8, 8), seed + 3)
    lr, betas, eps, wd = 1e-3, (0.9, 0.999), 1e-8, 0.01
    w = Writer(out, "sinenet_step.h5", command, lr=lr, beta1=betas[0], beta2=betas[1], eps=eps,
               weight_decay=wd, loss="scaled_l2", **cfg)
    w.tensor("inputs/x", x)
    w.tensor("inputs/target", target)
    for name, p in net.state_dict().items():
        w.tensor(f"weights/{name}", p)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, betas=betas, eps=eps, weight_decay=wd)
    losses = []
    for step in range(3):
        opt.zero_grad()
        loss = scaled_l2(net(x), target)
        loss.backward()
        losses.append(loss.item())
        if step == 0:
            w.tensor("outputs/loss", loss.reshape(1))
            for name, p in net.named_parameters():
                w.tensor(f"grads/weights/{name}", p.grad)
        opt.step()
        if step == 0:
            for name, p in net.named_parameters():
                w.tensor(f"weights_after_step/{name}", p)
    # Losses before steps 1, 2, 3 on the same batch (llm.c's several-steps check).
    w.tensor("outputs/losses", torch.tensor(losses))
    w.close()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "fixtures", "torch"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    command = (f"python {os.path.relpath(__file__, os.path.join(here, '..', '..'))} with torch "
               f"{torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    print(command)
    encoder_case(args.out, command, "encoder_layer.h5", False, "relu", 100)
    encoder_case(args.out, command, "encoder_layer_norm_first_gelu.h5", True, "gelu", 200)
    decoder_case(args.out, command, "decoder_layer.h5", False, "relu", 300)
    decoder_case(args.out, command, "decoder_layer_norm_first_gelu.h5", True, "gelu", 400)
    cross_entropy_case(args.out, command, 500)
    matmul_case(args.out, command, 600)
    sinenet_case(args.out, command, 700)


if __name__ == "__main__":
    main()
