#include "quantum/gates.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"

namespace fieldlab::quantum {
namespace {

constexpr cplx kI{0.0, 1.0};

struct KindInfo {
  const char* name;
  int targets;
  int params;
  bool diagonal;
};

KindInfo info(GateKind kind) {
  switch (kind) {
    case GateKind::id:
      return {"id", 1, 0, true};
    case GateKind::x:
      return {"x", 1, 0, false};
    case GateKind::y:
      return {"y", 1, 0, false};
    case GateKind::z:
      return {"z", 1, 0, true};
    case GateKind::h:
      return {"h", 1, 0, false};
    case GateKind::s:
      return {"s", 1, 0, true};
    case GateKind::sdg:
      return {"sdg", 1, 0, true};
    case GateKind::t:
      return {"t", 1, 0, true};
    case GateKind::tdg:
      return {"tdg", 1, 0, true};
    case GateKind::sx:
      return {"sx", 1, 0, false};
    case GateKind::sxdg:
      return {"sxdg", 1, 0, false};
    case GateKind::rx:
      return {"rx", 1, 1, false};
    case GateKind::ry:
      return {"ry", 1, 1, false};
    case GateKind::rz:
      return {"rz", 1, 1, true};
    case GateKind::phase:
      return {"p", 1, 1, true};
    case GateKind::u3:
      return {"u3", 1, 3, false};
    case GateKind::swap:
      return {"swap", 2, 0, false};
    case GateKind::iswap:
      return {"iswap", 2, 0, false};
    case GateKind::rxx:
      return {"rxx", 2, 1, false};
    case GateKind::rzz:
      return {"rzz", 2, 1, true};
    case GateKind::unitary1:
      return {"unitary1", 1, 0, false};
    case GateKind::unitary2:
      return {"unitary2", 2, 0, false};
  }
  return {"?", 1, 0, false};
}

void check_params(const Gate& gate) {
  const KindInfo k = info(gate.kind);
  require(static_cast<int>(gate.params.size()) == k.params, "gate {} takes {} parameter(s), got {}",
          k.name, k.params, gate.params.size());
  require(static_cast<int>(gate.targets.size()) == k.targets, "gate {} acts on {} qubit(s), got {}",
          k.name, k.targets, gate.targets.size());
}

}  // namespace

const char* gate_name(GateKind kind) { return info(kind).name; }
int gate_target_count(GateKind kind) { return info(kind).targets; }
int gate_param_count(GateKind kind) { return info(kind).params; }
bool gate_is_diagonal(GateKind kind) { return info(kind).diagonal; }

Matrix2 matrix1(const Gate& gate) {
  check_params(gate);
  require(info(gate.kind).targets == 1, "gate {} is not a one-qubit gate", gate_name(gate.kind));
  const double r = 1.0 / std::sqrt(2.0);
  switch (gate.kind) {
    case GateKind::id:
      return {1, 0, 0, 1};
    case GateKind::x:
      return {0, 1, 1, 0};
    case GateKind::y:
      return {0, -kI, kI, 0};
    case GateKind::z:
      return {1, 0, 0, -1};
    case GateKind::h:
      return {r, r, r, -r};
    case GateKind::s:
      return {1, 0, 0, kI};
    case GateKind::sdg:
      return {1, 0, 0, -kI};
    case GateKind::t:
      return {1, 0, 0, std::polar(1.0, M_PI / 4)};
    case GateKind::tdg:
      return {1, 0, 0, std::polar(1.0, -M_PI / 4)};
    case GateKind::sx:
      return {cplx(0.5, 0.5), cplx(0.5, -0.5), cplx(0.5, -0.5), cplx(0.5, 0.5)};
    case GateKind::sxdg:
      return {cplx(0.5, -0.5), cplx(0.5, 0.5), cplx(0.5, 0.5), cplx(0.5, -0.5)};
    case GateKind::rx: {
      const double c = std::cos(gate.params[0] / 2), s = std::sin(gate.params[0] / 2);
      return {c, -kI * s, -kI * s, c};
    }
    case GateKind::ry: {
      const double c = std::cos(gate.params[0] / 2), s = std::sin(gate.params[0] / 2);
      return {c, -s, s, c};
    }
    case GateKind::rz:
      return {std::polar(1.0, -gate.params[0] / 2), 0, 0, std::polar(1.0, gate.params[0] / 2)};
    case GateKind::phase:
      return {1, 0, 0, std::polar(1.0, gate.params[0])};
    case GateKind::u3: {
      const double th = gate.params[0], ph = gate.params[1], la = gate.params[2];
      const double c = std::cos(th / 2), s = std::sin(th / 2);
      return {c, -std::polar(s, la), std::polar(s, ph), std::polar(c, ph + la)};
    }
    case GateKind::unitary1: {
      require(gate.matrix.size() == 4, "unitary1 needs a 2x2 matrix (4 entries), got {}",
              gate.matrix.size());
      Matrix2 m;
      std::copy(gate.matrix.begin(), gate.matrix.end(), m.begin());
      return m;
    }
    default:
      break;
  }
  fail(ErrorKind::usage, "gate {} has no 2x2 matrix", gate_name(gate.kind));
}

Matrix4 matrix2(const Gate& gate) {
  check_params(gate);
  Matrix4 m{};
  switch (gate.kind) {
    case GateKind::swap:
      m[0] = m[1 * 4 + 2] = m[2 * 4 + 1] = m[15] = 1;
      return m;
    case GateKind::iswap:
      m[0] = m[15] = 1;
      m[1 * 4 + 2] = m[2 * 4 + 1] = kI;
      return m;
    case GateKind::rxx: {
      const double c = std::cos(gate.params[0] / 2), s = std::sin(gate.params[0] / 2);
      for (int i = 0; i < 4; ++i) {
        m[i * 4 + i] = c;
        m[i * 4 + (3 - i)] = -kI * s;
      }
      return m;
    }
    case GateKind::rzz: {
      const cplx a = std::polar(1.0, -gate.params[0] / 2), b = std::polar(1.0, gate.params[0] / 2);
      m[0] = a;
      m[5] = b;
      m[10] = b;
      m[15] = a;
      return m;
    }
    case GateKind::unitary2:
      require(gate.matrix.size() == 16, "unitary2 needs a 4x4 matrix (16 entries), got {}",
              gate.matrix.size());
      std::copy(gate.matrix.begin(), gate.matrix.end(), m.begin());
      return m;
    default:
      break;
  }
  fail(ErrorKind::usage, "gate {} has no 4x4 matrix", gate_name(gate.kind));
}

bool gate_is_differentiable(const Gate& gate) {
  switch (gate.kind) {
    case GateKind::rx:
    case GateKind::ry:
    case GateKind::rz:
    case GateKind::phase:
    case GateKind::rxx:
    case GateKind::rzz:
      return true;
    default:
      return false;
  }
}

std::vector<cplx> matrix_derivative(const Gate& gate) {
  check_params(gate);
  require(gate_is_differentiable(gate), "gate {} has no supported angle derivative",
          gate_name(gate.kind));
  const double th = gate.params[0];
  const double c = std::cos(th / 2) / 2, s = std::sin(th / 2) / 2;
  switch (gate.kind) {
    case GateKind::rx:
      return {-s, -kI * c, -kI * c, -s};
    case GateKind::ry:
      return {-s, -c, c, -s};
    case GateKind::rz:
      return {-kI * 0.5 * std::polar(1.0, -th / 2), 0, 0, kI * 0.5 * std::polar(1.0, th / 2)};
    case GateKind::phase:
      return {0, 0, 0, kI * std::polar(1.0, th)};
    case GateKind::rxx: {
      std::vector<cplx> m(16, 0.0);
      for (int i = 0; i < 4; ++i) {
        m[i * 4 + i] = -s;
        m[i * 4 + (3 - i)] = -kI * c;
      }
      return m;
    }
    case GateKind::rzz: {
      std::vector<cplx> m(16, 0.0);
      const cplx a = -kI * 0.5 * std::polar(1.0, -th / 2), b = kI * 0.5 * std::polar(1.0, th / 2);
      m[0] = a;
      m[5] = b;
      m[10] = b;
      m[15] = a;
      return m;
    }
    default:
      break;
  }
  fail(ErrorKind::internal, "no derivative for {}", gate_name(gate.kind));
}

// Kinds that undo each other; a kind paired with itself is its own inverse.
constexpr std::pair<GateKind, GateKind> kInversePairs[] = {
    {GateKind::id, GateKind::id}, {GateKind::x, GateKind::x},   {GateKind::y, GateKind::y},
    {GateKind::z, GateKind::z},   {GateKind::h, GateKind::h},   {GateKind::swap, GateKind::swap},
    {GateKind::s, GateKind::sdg}, {GateKind::t, GateKind::tdg}, {GateKind::sx, GateKind::sxdg}};

Gate inverse(const Gate& gate) {
  Gate g = gate;
  for (const auto& [a, b] : kInversePairs)
    if (gate.kind == a || gate.kind == b) {
      g.kind = gate.kind == a ? b : a;
      return g;
    }
  switch (gate.kind) {
    case GateKind::rx:
    case GateKind::ry:
    case GateKind::rz:
    case GateKind::phase:
    case GateKind::rxx:
    case GateKind::rzz:
      g.params[0] = -g.params[0];
      return g;
    default:
      break;
  }
  const int k = gate_target_count(gate.kind);
  const int d = 1 << k;
  std::vector<cplx> m(d * d);
  if (k == 1) {
    const Matrix2 a = matrix1(gate);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) m[i * 2 + j] = std::conj(a[j * 2 + i]);
    g.kind = GateKind::unitary1;
  } else {
    const Matrix4 a = matrix2(gate);
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) m[i * 4 + j] = std::conj(a[j * 4 + i]);
    g.kind = GateKind::unitary2;
  }
  g.params.clear();
  g.matrix = std::move(m);
  return g;
}

void validate(const Gate& gate, int num_qubits) {
  check_params(gate);
  std::vector<int> all = gate.targets;
  all.insert(all.end(), gate.controls.begin(), gate.controls.end());
  for (int q : all)
    require(q >= 0 && q < num_qubits, "gate {}: qubit {} out of range (register has {} qubits)",
            gate_name(gate.kind), q, num_qubits);
  std::vector<int> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  require(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(),
          "gate {}: a qubit appears twice among its targets and controls", gate_name(gate.kind));
  for (double p : gate.params)
    require(std::isfinite(p), "gate {}: parameter is not finite", gate_name(gate.kind));
  if (gate.kind == GateKind::unitary1 || gate.kind == GateKind::unitary2) {
    const int d = gate.kind == GateKind::unitary1 ? 2 : 4;
    require(static_cast<int>(gate.matrix.size()) == d * d, "{} needs {} matrix entries, got {}",
            gate_name(gate.kind), d * d, gate.matrix.size());
    double worst = 0.0;
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j) {
        cplx acc = 0;
        for (int k = 0; k < d; ++k)
          acc += std::conj(gate.matrix[k * d + i]) * gate.matrix[k * d + j];
        worst = std::max(worst, std::abs(acc - (i == j ? 1.0 : 0.0)));
      }
    require(worst < 1e-6, "{}: matrix is not unitary (|U^dagger U - I| = {:.2e})",
            gate_name(gate.kind), worst);
  }
}

Gate make_gate(GateKind kind, std::vector<int> targets, std::vector<double> params,
               std::vector<int> controls) {
  Gate g;
  g.kind = kind;
  g.targets = std::move(targets);
  g.params = std::move(params);
  g.controls = std::move(controls);
  return g;
}

Gate make_unitary1(int target, const Matrix2& m, std::vector<int> controls) {
  Gate g = make_gate(GateKind::unitary1, {target}, {}, std::move(controls));
  g.matrix.assign(m.begin(), m.end());
  return g;
}

Gate make_unitary2(int q0, int q1, const Matrix4& m, std::vector<int> controls) {
  Gate g = make_gate(GateKind::unitary2, {q0, q1}, {}, std::move(controls));
  g.matrix.assign(m.begin(), m.end());
  return g;
}

Matrix2 multiply(const Matrix2& a, const Matrix2& b) {
  Matrix2 c{};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) c[i * 2 + j] = a[i * 2] * b[j] + a[i * 2 + 1] * b[2 + j];
  return c;
}

Matrix4 multiply(const Matrix4& a, const Matrix4& b) {
  Matrix4 c{};
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 4; ++k)
      for (int j = 0; j < 4; ++j) c[i * 4 + j] += a[i * 4 + k] * b[k * 4 + j];
  return c;
}

}  // namespace fieldlab::quantum
