"""PyTorch definitions of fieldlab's SineNet / U-Net (with optional dt conditioning) for the
parity test, written from docs/nn.md and the reference's module layout so that the state_dict
names are the reference's (image_proj.*, time_embed.0.*, down.W.L.conv.B.conv1.*, ...,
down.W.L.shortcut.*, up.W.L.*, final.*). The U-Net baseline is the one-wave, B-blocks-per-level
member of the family (the reference registry's "deeper_unet8-dual").
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def fourier_embedding(t, dim, max_period=10000.0):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    if dim % 2:
        emb = torch.cat([emb, torch.zeros_like(emb[:, :1])], dim=-1)
    return emb


def upsample(x, padding_mode):
    if padding_mode == "circular":
        x = F.pad(x, (2, 2, 2, 2), mode="circular")
        return F.interpolate(x, scale_factor=2, mode="bicubic")[..., 4:-4, 4:-4]
    return F.interpolate(x, scale_factor=2, mode="bicubic")


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, padding_mode, cond_dim=0, scale_shift=False):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, padding_mode=padding_mode)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, padding_mode=padding_mode)
        self.norm1 = nn.GroupNorm(1, cout)
        self.norm2 = nn.GroupNorm(1, cout)
        self.scale_shift = scale_shift
        if cond_dim:
            self.cond_emb = nn.Linear(cond_dim, 2 * cout if scale_shift else cout)

    def forward(self, x, emb=None):
        h = F.gelu(self.norm1(self.conv1(x)))
        if emb is not None:
            e = self.cond_emb(emb)[:, :, None, None]
            if self.scale_shift:
                s, b = torch.chunk(e, 2, dim=1)
                h = h * (1 + s) + b
            else:
                h = h + e
        return F.gelu(self.norm2(self.conv2(h)))


class Level(nn.Module):
    """A down or up level: `blocks` ConvBlocks with the 1x1 shortcut residual on the first."""

    def __init__(self, block_in, cout, shortcut_in, blocks, padding_mode, cond_dim, scale_shift):
        super().__init__()
        self.conv = nn.ModuleList(
            [ConvBlock(block_in if b == 0 else cout, cout, padding_mode, cond_dim, scale_shift)
             for b in range(blocks)])
        self.shortcut = nn.Conv2d(shortcut_in, cout, 1)

    def forward(self, h, r, emb):
        for b, block in enumerate(self.conv):
            h = block(h, emb) + (self.shortcut(r) if b == 0 else r)
            r = h
        return h


class SineNet(nn.Module):
    def __init__(self, fields, history, waves, mult, hidden=64, levels=4, blocks=1,
                 padding_mode="zeros", disentangle=True, conditioning=None, parameter=False):
        super().__init__()
        ch = [int(hidden * mult ** k) for k in range(levels + 1)]
        self.padding_mode, self.levels, self.disentangle = padding_mode, levels, disentangle
        self.hidden = hidden
        cond_dim = 4 * hidden if conditioning else 0
        scale_shift = conditioning == "adagn"
        if conditioning:
            self.time_embed = nn.Sequential(nn.Linear(hidden, cond_dim), nn.GELU(),
                                            nn.Linear(cond_dim, cond_dim))
            if parameter:
                self.pde_emb = nn.Sequential(nn.Linear(hidden, cond_dim), nn.GELU(),
                                             nn.Linear(cond_dim, cond_dim))
        self.image_proj = nn.Conv2d(history * fields, hidden, 3, padding=1,
                                    padding_mode=padding_mode)
        self.down = nn.ModuleList()
        self.up = nn.ModuleList()
        for _ in range(waves):
            self.down.append(nn.ModuleList([
                Level(ch[k - 1] + (hidden if k > 1 and disentangle else 0), ch[k], ch[k - 1],
                      blocks, padding_mode, cond_dim, scale_shift)
                for k in range(1, levels + 1)]))
            self.up.append(nn.ModuleList([
                Level(ch[k] + ch[k - 1], ch[k - 1], ch[k], blocks, padding_mode, cond_dim,
                      scale_shift)
                for k in range(levels, 0, -1)]))
        self.final = nn.Conv2d(hidden, fields, 3, padding=1, padding_mode=padding_mode)

    def forward(self, x, dt=None, z=None):
        emb = None
        if dt is not None:
            emb = self.time_embed(fourier_embedding(dt, self.hidden))
            if z is not None:
                emb = emb + self.pde_emb(fourier_embedding(z, self.hidden))
        x = self.image_proj(x)
        for down, up in zip(self.down, self.up):
            x0, skips, dx = x, [x], x
            for k, level in enumerate(down):
                if self.disentangle:
                    dx = F.avg_pool2d(dx, 2)
                h = F.avg_pool2d(skips[-1], 2)
                inp = torch.cat([h, dx], 1) if (k > 0 and self.disentangle) else h
                skips.append(level(inp, h, emb))
            u = skips.pop()
            for level in up:
                upx = upsample(u, self.padding_mode)
                u = level(torch.cat([skips.pop(), upx], 1), upx, emb)
            x = x0 + u
        return self.final(x)


def unet(fields, history, hidden=64, mult=1.425, blocks=8, padding_mode="zeros"):
    return SineNet(fields, history, 1, mult, hidden=hidden, blocks=blocks,
                   padding_mode=padding_mode)


def count(module):
    return sum(p.numel() for p in module.parameters())


if __name__ == "__main__":
    with torch.device("meta"):
        print("sinenet8", count(SineNet(3, 4, 8, 1.425)))
        print("unet (deeper_unet8)", count(unet(3, 4)))
        print("sinenet8-add", count(SineNet(3, 4, 8, 1.425, conditioning="add")))
        print("sinenet8-adagn", count(SineNet(3, 4, 8, 1.425, conditioning="adagn")))
        print("sinenet8-add+param", count(SineNet(3, 4, 8, 1.425, conditioning="add", parameter=True)))
        print("unet fields1 hist2", count(unet(1, 2)))
