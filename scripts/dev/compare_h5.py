# Compares two HDF5 files: every dataset byte for byte and every attribute, except wall-clock
# attributes (created, completed_at, wall_seconds). Extra arguments: object-path substrings whose
# datasets are not compared (e.g. training/history, which holds timings).
# Usage: compare_h5.py OLD.h5 NEW.h5 [SKIP...]; prints "same" or "DIFF ..." (scripts/dev/same_outputs.sh).
import sys, h5py, numpy as np
SKIP_ATTRS = {"created", "completed_at", "wall_seconds"}
def items(f):
    out = {}
    def visit(name, obj):
        out[name] = obj
    f.visititems(visit)
    out["/"] = f
    return out
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
ia, ib = items(a), items(b)
diffs = []
if set(ia) != set(ib): diffs.append(f"objects differ: {sorted(set(ia) ^ set(ib))[:5]}")
for k in sorted(set(ia) & set(ib)):
    x, y = ia[k], ib[k]
    skip_data = any(s in k for s in sys.argv[3:])
    if isinstance(x, h5py.Dataset) and not skip_data:
        if x.shape != y.shape or x.dtype != y.dtype or x[()].tobytes() != y[()].tobytes():
            diffs.append(f"dataset {k}")
    for n in set(x.attrs) | set(y.attrs):
        if n in SKIP_ATTRS: continue
        va, vb = x.attrs.get(n), y.attrs.get(n)
        if not np.array_equal(np.asarray(va), np.asarray(vb)): diffs.append(f"attr {k}:{n}")
print("same" if not diffs else "DIFF " + "; ".join(diffs[:8]))
