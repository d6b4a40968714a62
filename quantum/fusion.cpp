// Gate fusion (see circuit.hpp). Fewer, denser passes over the state: each pass of a large state
// vector is memory bound, so merging k gates into one block saves ~k-1 full sweeps.

#include <algorithm>

#include "core/error.hpp"
#include "quantum/circuit.hpp"

namespace fieldlab::quantum {
namespace {

// Re-expresses matrix `m` on `from` qubits as a matrix on `to` qubits (from is a subset of to;
// index bit k of each matrix is the k-th qubit of its list), identity on the rest.
std::vector<cplx> expand(const std::vector<cplx>& m, const std::vector<int>& from,
                         const std::vector<int>& to) {
  const int df = 1 << from.size(), dt = 1 << to.size();
  std::vector<int> pos(from.size());
  for (std::size_t k = 0; k < from.size(); ++k)
    pos[k] = static_cast<int>(std::find(to.begin(), to.end(), from[k]) - to.begin());
  int from_mask = 0;
  for (int p : pos) from_mask |= 1 << p;
  std::vector<cplx> out(dt * dt, 0.0);
  for (int i = 0; i < dt; ++i)
    for (int j = 0; j < dt; ++j) {
      if ((i & ~from_mask) != (j & ~from_mask)) continue;
      int fi = 0, fj = 0;
      for (std::size_t k = 0; k < pos.size(); ++k) {
        fi |= ((i >> pos[k]) & 1) << k;
        fj |= ((j >> pos[k]) & 1) << k;
      }
      out[i * dt + j] = m[fi * df + fj];
    }
  return out;
}

std::vector<cplx> matmul(const std::vector<cplx>& a, const std::vector<cplx>& b, int d) {
  std::vector<cplx> c(d * d, 0.0);
  for (int i = 0; i < d; ++i)
    for (int k = 0; k < d; ++k)
      for (int j = 0; j < d; ++j) c[i * d + j] += a[i * d + k] * b[k * d + j];
  return c;
}

struct Block {
  Operation op;
  bool fusable = false;
  int merged = 0;
  std::vector<int> qubits;
  std::vector<cplx> matrix;
};

}  // namespace

std::vector<cplx> dense_matrix(const Gate& gate, std::vector<int>& qubits) {
  qubits = gate.targets;
  qubits.insert(qubits.end(), gate.controls.begin(), gate.controls.end());
  const int nt = static_cast<int>(gate.targets.size());
  require(qubits.size() <= 6, "dense_matrix: gate on {} qubits is too large", qubits.size());
  std::vector<cplx> u;
  if (nt == 1) {
    const Matrix2 m = matrix1(gate);
    u.assign(m.begin(), m.end());
  } else {
    const Matrix4 m = matrix2(gate);
    u.assign(m.begin(), m.end());
  }
  const int dt = 1 << nt, d = 1 << qubits.size();
  const int cmask = (d - 1) & ~(dt - 1);
  std::vector<cplx> out(d * d, 0.0);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) {
      if ((i & cmask) != (j & cmask)) continue;
      if ((i & cmask) == cmask)
        out[i * d + j] = u[(i & (dt - 1)) * dt + (j & (dt - 1))];
      else
        out[i * d + j] = i == j ? 1.0 : 0.0;
    }
  return out;
}

Circuit fuse(const Circuit& circuit, int max_qubits) {
  require(max_qubits == 1 || max_qubits == 2, "fusion supports blocks of 1 or 2 qubits, not {}",
          max_qubits);
  std::vector<Block> blocks;
  std::vector<int> last(circuit.num_qubits(), -1);
  for (const Operation& op : circuit.operations()) {
    std::vector<int> touched;
    if (op.kind == OpKind::gate) {
      touched = op.gate.targets;
      touched.insert(touched.end(), op.gate.controls.begin(), op.gate.controls.end());
    } else if (op.kind == OpKind::barrier) {
      touched = op.qubits;
    } else {
      touched = {op.qubit};
    }
    const bool candidate =
        op.kind == OpKind::gate && !op.condition && static_cast<int>(touched.size()) <= max_qubits;
    if (candidate) {
      int k = -1;
      for (int q : touched) k = std::max(k, last[q]);
      if (k >= 0 && blocks[k].fusable) {
        std::vector<int> uni = blocks[k].qubits;
        for (int q : touched)
          if (std::find(uni.begin(), uni.end(), q) == uni.end()) uni.push_back(q);
        if (static_cast<int>(uni.size()) <= max_qubits) {
          Block& b = blocks[k];
          std::vector<int> gq;
          const std::vector<cplx> g = dense_matrix(op.gate, gq);
          const int d = 1 << uni.size();
          b.matrix = matmul(expand(g, gq, uni), expand(b.matrix, b.qubits, uni), d);
          b.qubits = uni;
          ++b.merged;
          // Only g's qubits move their last toucher: the block's other qubits may have been
          // touched by later ops, which g (disjoint from them) was allowed to hop over.
          for (int q : touched) last[q] = k;
          continue;
        }
      }
      Block b;
      b.op = op;
      b.fusable = true;
      b.merged = 1;
      b.matrix = dense_matrix(op.gate, b.qubits);
      blocks.push_back(std::move(b));
    } else {
      Block b;
      b.op = op;
      blocks.push_back(std::move(b));
    }
    for (int q : touched) last[q] = static_cast<int>(blocks.size()) - 1;
  }
  Circuit out(circuit.num_qubits(), circuit.num_clbits());
  for (const Block& b : blocks) {
    if (!b.fusable || b.merged == 1) {
      out.add(b.op);
    } else if (b.qubits.size() == 1) {
      Matrix2 m;
      std::copy(b.matrix.begin(), b.matrix.end(), m.begin());
      out.add(make_unitary1(b.qubits[0], m));
    } else {
      Matrix4 m;
      std::copy(b.matrix.begin(), b.matrix.end(), m.begin());
      out.add(make_unitary2(b.qubits[0], b.qubits[1], m));
    }
  }
  return out;
}

}  // namespace fieldlab::quantum
