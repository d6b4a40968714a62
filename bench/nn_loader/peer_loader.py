"""The peer: a PDEArena-style h5py + numpy window reader over the same file, same windows
(history 4 -> next frame, z-scored, history-major, batches of B), foreground only, like a
torch DataLoader with num_workers=0. Prints one JSON line per batch size."""
import json
import sys
import time

import h5py
import numpy as np


def main(path, batch, min_time):
    with h5py.File(path, "r") as f:
        fields = f.attrs["fields"]
        fields = fields.decode() if isinstance(fields, bytes) else str(fields)
        fields = fields.split(",")
        dsets = [f[name] for name in fields]
        n, t, nx, ny = dsets[0].shape
        # Statistics as the loader computes them (streamed per frame).
        mean = [float(np.mean([d[i, k].astype(np.float64).mean() for i in range(n) for k in range(t)]))
                for d in dsets]
        std = [float(np.sqrt(np.mean([((d[i, k].astype(np.float64) - m) ** 2).mean()
                                      for i in range(n) for k in range(t)]))) for d, m in zip(dsets, mean)]
        history = 4
        rng = np.random.default_rng(1)
        windows = 0
        start = time.perf_counter()
        cpu0 = time.process_time()
        while time.perf_counter() - start < min_time:
            order = rng.permutation(n)
            starts = rng.integers(0, t - history, size=n)
            for b in range(n // batch):
                x = np.empty((batch, history * len(fields), nx, ny), np.float32)
                y = np.empty((batch, len(fields), nx, ny), np.float32)
                for s in range(batch):
                    i, k = order[b * batch + s], starts[b * batch + s]
                    for c, d in enumerate(dsets):
                        block = d[i, k:k + history + 1]
                        x[s, c::len(fields)] = (block[:history] - mean[c]) / std[c]
                        y[s, c] = (block[history] - mean[c]) / std[c]
                windows += batch
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        print(json.dumps({"name": f"h5py_numpy/batch:{batch}", "windows_per_s": windows / wall,
                          "cpu_s_per_window": cpu / windows}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 2.0)
