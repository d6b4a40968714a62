// fieldlab._core.quantum: Circuit (gates, OpenQASM 2.0), StateVector (complex128 / complex64,
// zero-copy amplitudes), simulate() as the CLI's qsim runs it, and adjoint / parameter-shift
// gradients.

#include <pybind11/complex.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/threads.hpp"
#include "python/src/bind_quantum.hpp"
#include "quantum/adjoint.hpp"
#include "quantum/circuit.hpp"
#include "quantum/pauli.hpp"
#include "quantum/qasm.hpp"
#include "quantum/simulate.hpp"

namespace fieldlab::python {
namespace {

using namespace fieldlab::quantum;
using c128 = std::complex<double>;
using c64 = std::complex<float>;

// From this many qubits a circuit run goes through run_interruptible (a worker thread, progress,
// Ctrl-C between gates); below it the run takes microseconds and runs on the calling thread with
// the GIL released.
constexpr int kInterruptibleQubits = 16;

// The thread setting matters only where the kernels go parallel (from kDefaultParallelThreshold
// qubits); applying it costs more than a whole small circuit, so small registers skip it.
void threads_for(int num_qubits) {
  if (num_qubits >= kDefaultParallelThreshold) apply_call_threads();
}

bool is_single(const std::string& precision) {
  if (precision == "complex128") return false;
  if (precision == "complex64") return true;
  raise_error("usage", "precision must be 'complex128' or 'complex64', got '" + precision + "'");
}

PyState make_state(int num_qubits, const std::string& precision) {
  if (num_qubits < 1 || num_qubits > kMaxQubits)
    raise_error("usage", "a state needs 1.." + std::to_string(kMaxQubits) + " qubits, got " +
                             std::to_string(num_qubits));
  if (is_single(precision))
    return PyState{decltype(PyState::state)(std::in_place_index<1>, num_qubits)};
  return PyState{decltype(PyState::state)(std::in_place_index<0>, num_qubits)};
}

// Parses an observable and checks it fits in `num_qubits` (the CLI's --expect check).
std::vector<PauliString> observable(const std::string& text, int num_qubits) {
  auto sum = parse_pauli_sum(text);
  for (const auto& p : sum)
    if (p.max_qubit() >= num_qubits)
      raise_error("usage", "observable \"" + text + "\" names qubit " +
                               std::to_string(p.max_qubit()) + " but the state has " +
                               std::to_string(num_qubits) + " qubits");
  return sum;
}

Circuit from_qasm(const py::object& source) {
  // A path: an os.PathLike, or a str naming an existing file, or a one-line str without ';'
  // (no OpenQASM program is that, so a missing file is a FileError, not a parse error).
  const bool pathlike = py::isinstance(source, py::module_::import("os").attr("PathLike"));
  if (!pathlike && !py::isinstance<py::str>(source))
    throw py::type_error("from_qasm: expected OpenQASM text or a path, got " +
                         py::cast<std::string>(py::type::of(source).attr("__name__")));
  const std::string text =
      py::cast<std::string>(pathlike ? py::module_::import("os").attr("fspath")(source) : source);
  std::error_code ec;
  const bool one_line = text.find('\n') == std::string::npos;
  if (pathlike || (one_line && text.find(';') == std::string::npos) ||
      (one_line && std::filesystem::is_regular_file(text, ec)))
    return read_qasm_file(text).circuit;
  return parse_qasm(text, "<qasm>").circuit;
}

// The number of layers when every operation starts after the last one on any of its qubits
// (barriers do not count, as in qiskit's depth()).
int depth(const Circuit& c) {
  std::vector<int> level(c.num_qubits(), 0);
  std::vector<int> clevel(c.num_clbits(), 0);
  int d = 0;
  for (const Operation& op : c.operations()) {
    std::vector<int> qs;
    int cl = -1;
    switch (op.kind) {
      case OpKind::gate:
        qs = op.gate.targets;
        qs.insert(qs.end(), op.gate.controls.begin(), op.gate.controls.end());
        break;
      case OpKind::measure:
        qs = {op.qubit};
        cl = op.clbit;
        break;
      case OpKind::reset:
        qs = {op.qubit};
        break;
      case OpKind::barrier:
        continue;
    }
    int start = 0;
    for (int q : qs) start = std::max(start, level[q]);
    if (cl >= 0) start = std::max(start, clevel[cl]);
    if (op.condition)
      for (int b = op.condition->offset; b < op.condition->offset + op.condition->width; ++b)
        start = std::max(start, clevel[b]);
    for (int q : qs) level[q] = start + 1;
    if (cl >= 0) clevel[cl] = start + 1;
    d = std::max(d, start + 1);
  }
  return d;
}

Circuit with_parameters(const Circuit& c, const std::vector<double>& values) {
  const int n = c.num_parameters();
  if (static_cast<int>(values.size()) != n)
    raise_error("usage", "with_parameters: the circuit has " + std::to_string(n) +
                             " parameters, got " + std::to_string(values.size()) + " values");
  Circuit out(c.num_qubits(), c.num_clbits());
  std::size_t k = 0;
  for (Operation op : c.operations()) {
    if (op.kind == OpKind::gate && gate_is_differentiable(op.gate)) op.gate.params[0] = values[k++];
    out.add(op);
  }
  return out;
}

// Runs a circuit on the state: measurement-free circuits fused and gate by gate (interruptible
// for large states), others through the library's run() with a generator seeded like shot 0 of
// the CLI's qsim. Returns the classical bits.
template <typename Real>
std::vector<int> apply_circuit(StateVector<Real>& s, const Circuit& c, unsigned long long seed,
                               const py::object& progress) {  // a reporter
  if (c.num_qubits() != s.num_qubits())
    raise_error("usage", "the circuit has " + std::to_string(c.num_qubits()) +
                             " qubits but the state " + std::to_string(s.num_qubits()));
  std::vector<int> clbits(c.num_clbits(), 0);
  if (!c.is_unitary()) {
    Rng rng(derive_seed(seed, 0));
    threads_for(s.num_qubits());
    py::gil_scoped_release release;
    run(c, s, rng, clbits);
    return clbits;
  }
  const Circuit body = fuse(c);
  if (s.num_qubits() < kInterruptibleQubits) {
    threads_for(s.num_qubits());
    py::gil_scoped_release release;
    run(body, s);
    return clbits;
  }
  run_interruptible(
      [&](const StopToken& stop, ProgressSink* sink) {
        ProgressPhase phase(sink, "circuit", static_cast<long long>(body.operations().size()));
        for (const Operation& op : body.operations()) {
          if (stop.stop_requested()) break;
          if (op.kind == OpKind::gate) s.apply_trusted(op.gate);
          phase.advance(1);
        }
      },
      progress);
  return clbits;
}

py::array amplitudes_view(py::object self) {
  PyState& p = py::cast<PyState&>(self);
  const auto n = static_cast<py::ssize_t>(std::uint64_t{1} << p.num_qubits());
  if (p.single()) return view_of<c64>(std::get<1>(p.state).data(), {n}, self, true);
  return view_of<c128>(std::get<0>(p.state).data(), {n}, self, true);
}

void set_amplitudes(PyState& p, const py::object& value) {
  py::array a;
  try {
    a = py::array::ensure(value);
  } catch (const py::error_already_set&) {
  }
  if (!a) raise_error("usage", "amplitudes: expected a numeric array");
  const char kind = a.dtype().kind();
  if (kind != 'c' && kind != 'f' && kind != 'i' && kind != 'u')
    raise_error("usage", "amplitudes: expected a complex array, got dtype " +
                             py::cast<std::string>(py::str(a.dtype())));
  const auto dim = std::uint64_t{1} << p.num_qubits();
  if (a.ndim() != 1 || static_cast<std::uint64_t>(a.size()) != dim)
    raise_error("usage", "amplitudes: expected shape (" + std::to_string(dim) + ",) for " +
                             std::to_string(p.num_qubits()) + " qubits, got " +
                             py::cast<std::string>(py::str(py::tuple(a.attr("shape")))));
  auto c = as_array<c128>(a, "amplitudes", 1);
  const c128* src = c.data();
  std::visit(
      [&](auto& s) {
        using C = typename std::decay_t<decltype(s)>::Complex;
        using R = typename C::value_type;
        auto* dst = s.data();
        for (std::uint64_t i = 0; i < dim; ++i)
          dst[i] = C(static_cast<R>(src[i].real()), static_cast<R>(src[i].imag()));
      },
      p.state);
}

std::string bits_of(std::uint64_t index, int n) {
  std::string s(n, '0');
  for (int q = 0; q < n; ++q)
    if ((index >> q) & 1) s[n - 1 - q] = '1';
  return s;
}

py::dict counts_dict(const std::map<std::string, long long>& counts) {
  py::dict d;
  for (const auto& [bits, n] : counts) d[py::str(bits)] = n;
  return d;
}

void check_shots(long long shots) {
  if (shots < 0 || shots > 2'000'000'000LL)
    raise_error("usage", "shots must be between 0 and 2000000000, got " + std::to_string(shots));
}

// One-qubit gates without parameters, by method name.
const std::vector<std::pair<const char*, GateKind>> kFixed1 = {
    {"id", GateKind::id},   {"x", GateKind::x},   {"y", GateKind::y},      {"z", GateKind::z},
    {"h", GateKind::h},     {"s", GateKind::s},   {"sdg", GateKind::sdg},  {"t", GateKind::t},
    {"tdg", GateKind::tdg}, {"sx", GateKind::sx}, {"sxdg", GateKind::sxdg}};

GateKind kind_by_name(const std::string& name) {
  static const std::vector<GateKind> all = {
      GateKind::id,   GateKind::x,    GateKind::y,     GateKind::z,   GateKind::h,
      GateKind::s,    GateKind::sdg,  GateKind::t,     GateKind::tdg, GateKind::sx,
      GateKind::sxdg, GateKind::rx,   GateKind::ry,    GateKind::rz,  GateKind::phase,
      GateKind::u3,   GateKind::swap, GateKind::iswap, GateKind::rxx, GateKind::rzz};
  std::string valid;
  for (GateKind k : all) {
    if (name == gate_name(k)) return k;
    valid += (valid.empty() ? "" : ", ") + std::string(gate_name(k));
  }
  raise_error("usage", "unknown gate '" + name + "' (" + valid + ")");
}

}  // namespace

void bind_quantum_circuits(py::module_& m) {
  using R = py::return_value_policy;
  py::class_<Circuit> circuit(
      m, "Circuit",
      "A quantum circuit: gates (any gate may have controls), measurements into classical bits, "
      "resets and barriers. Qubit 0 is the least significant bit of a basis-state index. Gate "
      "methods validate their qubits and return the circuit, so calls chain: "
      "Circuit(2).h(0).cx(0, 1).");
  circuit.def(py::init<int, int>(), py::arg("n_qubits"), py::arg("n_clbits") = 0,
              "A circuit on n_qubits qubits (1..40) and n_clbits classical bits.");
  for (const auto& [name, kind] : kFixed1) {
    const GateKind k = kind;
    circuit.def(
        name, [k](Circuit& c, int q) -> Circuit& { return c.add(make_gate(k, {q})); },
        py::arg("qubit"), R::reference_internal,
        (std::string("Appends ") + name + " on `qubit`; returns the circuit.").c_str());
  }
  for (const auto& [name, kind] :
       std::vector<std::pair<const char*, GateKind>>{{"rx", GateKind::rx},
                                                     {"ry", GateKind::ry},
                                                     {"rz", GateKind::rz},
                                                     {"p", GateKind::phase}}) {
    const GateKind k = kind;
    circuit.def(
        name,
        [k](Circuit& c, int q, double a) -> Circuit& { return c.add(make_gate(k, {q}, {a})); },
        py::arg("qubit"), py::arg("angle"), R::reference_internal,
        (std::string("Appends ") + name + "(angle) on `qubit` (radians); returns the circuit.")
            .c_str());
  }
  circuit.def(
      "u3",
      [](Circuit& c, int q, double theta, double phi, double lam) -> Circuit& {
        return c.add(make_gate(GateKind::u3, {q}, {theta, phi, lam}));
      },
      py::arg("qubit"), py::arg("theta"), py::arg("phi"), py::arg("lam"), R::reference_internal,
      "Appends OpenQASM's u3(theta, phi, lambda) on `qubit`; returns the circuit.");
  for (const auto& [name, kind] : std::vector<std::pair<const char*, GateKind>>{
           {"swap", GateKind::swap}, {"iswap", GateKind::iswap}}) {
    const GateKind k = kind;
    circuit.def(
        name,
        [k](Circuit& c, int a, int b) -> Circuit& {
          return c.add(make_gate(k, {a, b}));
        },
        py::arg("qubit0"), py::arg("qubit1"), R::reference_internal,
        (std::string("Appends ") + name + " on two qubits; returns the circuit.").c_str());
  }
  for (const auto& [name, kind] : std::vector<std::pair<const char*, GateKind>>{
           {"rxx", GateKind::rxx}, {"rzz", GateKind::rzz}}) {
    const GateKind k = kind;
    circuit.def(
        name,
        [k](Circuit& c, int a, int b, double t) -> Circuit& {
          return c.add(make_gate(k, {a, b}, {t}));
        },
        py::arg("qubit0"), py::arg("qubit1"), py::arg("angle"), R::reference_internal,
        (std::string("Appends ") + name + "(angle) = exp(-i angle/2 PP) on two qubits.").c_str());
  }
  for (const auto& [name, kind] : std::vector<std::pair<const char*, GateKind>>{
           {"cx", GateKind::x}, {"cy", GateKind::y}, {"cz", GateKind::z}, {"ch", GateKind::h}}) {
    const GateKind k = kind;
    circuit.def(
        name,
        [k](Circuit& c, int ctl, int tgt) -> Circuit& {
          return c.add(make_gate(k, {tgt}, {}, {ctl}));
        },
        py::arg("control"), py::arg("target"), R::reference_internal,
        (std::string("Appends a controlled ") + (name + 1) + "; returns the circuit.").c_str());
  }
  for (const auto& [name, kind] :
       std::vector<std::pair<const char*, GateKind>>{{"crx", GateKind::rx},
                                                     {"cry", GateKind::ry},
                                                     {"crz", GateKind::rz},
                                                     {"cp", GateKind::phase}}) {
    const GateKind k = kind;
    circuit.def(
        name,
        [k](Circuit& c, int ctl, int tgt, double a) -> Circuit& {
          return c.add(make_gate(k, {tgt}, {a}, {ctl}));
        },
        py::arg("control"), py::arg("target"), py::arg("angle"), R::reference_internal,
        (std::string("Appends a controlled ") + (name + 1) + "(angle); returns the circuit.")
            .c_str());
  }
  circuit.def(
      "ccx",
      [](Circuit& c, int c0, int c1, int t) -> Circuit& {
        return c.add(make_gate(GateKind::x, {t}, {}, {c0, c1}));
      },
      py::arg("control0"), py::arg("control1"), py::arg("target"), R::reference_internal,
      "Appends a Toffoli gate; returns the circuit.");
  circuit.def(
      "cswap",
      [](Circuit& c, int ctl, int a, int b) -> Circuit& {
        return c.add(make_gate(GateKind::swap, {a, b}, {}, {ctl}));
      },
      py::arg("control"), py::arg("qubit0"), py::arg("qubit1"), R::reference_internal,
      "Appends a Fredkin (controlled swap) gate; returns the circuit.");
  circuit.def(
      "gate",
      [](Circuit& c, const std::string& name, std::vector<int> targets, std::vector<double> params,
         std::vector<int> controls) -> Circuit& {
        return c.add(make_gate(kind_by_name(name), std::move(targets), std::move(params),
                               std::move(controls)));
      },
      py::arg("name"), py::arg("targets"), py::arg("params") = std::vector<double>{},
      py::arg("controls") = std::vector<int>{}, R::reference_internal,
      "Appends the named gate (id x y z h s sdg t tdg sx sxdg rx ry rz p u3 swap iswap rxx rzz) "
      "on `targets`, active when every qubit of `controls` is 1; returns the circuit.");
  circuit.def(
      "unitary",
      [](Circuit& c, std::vector<int> qubits, py::object matrix,
         std::vector<int> controls) -> Circuit& {
        auto a = as_array<c128>(matrix, "unitary matrix", 2);
        if (qubits.size() == 1 && a.shape(0) == 2 && a.shape(1) == 2) {
          Matrix2 u;
          std::copy(a.data(), a.data() + 4, u.begin());
          return c.add(make_unitary1(qubits[0], u, std::move(controls)));
        }
        if (qubits.size() == 2 && a.shape(0) == 4 && a.shape(1) == 4) {
          Matrix4 u;
          std::copy(a.data(), a.data() + 16, u.begin());
          return c.add(make_unitary2(qubits[0], qubits[1], u, std::move(controls)));
        }
        raise_error("usage", "unitary: expected a 2x2 matrix on 1 qubit or 4x4 on 2, got " +
                                 std::to_string(a.shape(0)) + "x" + std::to_string(a.shape(1)) +
                                 " on " + std::to_string(qubits.size()));
      },
      py::arg("qubits"), py::arg("matrix"), py::arg("controls") = std::vector<int>{},
      R::reference_internal,
      "Appends a custom unitary (2x2 on one qubit or 4x4 on two, row-major, index bit k = "
      "qubits[k]); checked for unitarity. Returns the circuit.");
  circuit.def("measure", &Circuit::measure, py::arg("qubit"), py::arg("clbit"),
              R::reference_internal, "Measures `qubit` into classical bit `clbit`.");
  circuit.def("reset", &Circuit::reset, py::arg("qubit"), R::reference_internal,
              "Resets `qubit` to |0> (a measurement, then a flip if it read 1).");
  circuit.def("barrier", &Circuit::barrier, py::arg("qubits") = std::vector<int>{},
              R::reference_internal,
              "A barrier (no effect on the simulation; all qubits if empty).");
  circuit.def_property_readonly("n_qubits", &Circuit::num_qubits, "Number of qubits.");
  circuit.def_property_readonly("n_clbits", &Circuit::num_clbits, "Number of classical bits.");
  circuit.def(
      "__len__", [](const Circuit& c) { return c.operations().size(); },
      "Number of operations (gates, measurements, resets, barriers).");
  circuit.def("depth", &depth,
              "Circuit depth: layers of operations, each after the last one on its qubits "
              "(barriers not counted).");
  circuit.def("is_unitary", &Circuit::is_unitary, "True when the circuit is gates only.");
  circuit.def_property_readonly("n_parameters", &Circuit::num_parameters,
                                "Number of differentiable angles (rx ry rz p rxx rzz, controlled "
                                "or not), in circuit order.");
  circuit.def(
      "parameters", [](const Circuit& c) { return parameters(c); },
      "The differentiable angles in circuit order (a list; what the gradients are with respect "
      "to).");
  circuit.def("with_parameters", &with_parameters, py::arg("values"),
              "A copy of the circuit with its differentiable angles replaced by `values`.");
  circuit.def("to_qasm", &to_qasm,
              "The circuit as OpenQASM 2.0 text (custom unitaries cannot be written).");
  circuit.def_static("from_qasm", &from_qasm, py::arg("source"),
                     "A circuit from OpenQASM 2.0: `source` is a path (str naming an existing "
                     "file, or os.PathLike) or the program text. Malformed input raises "
                     "UsageError 'file:line:column: message'.");
  circuit.def(
      "copy", [](const Circuit& c) { return Circuit(c); }, "An independent copy.");
  circuit.def("__repr__", [](const Circuit& c) {
    return "Circuit(n_qubits=" + std::to_string(c.num_qubits()) +
           ", n_clbits=" + std::to_string(c.num_clbits()) +
           ", operations=" + std::to_string(c.operations().size()) + ")";
  });

  py::class_<PyState> state(
      m, "StateVector",
      "A state vector of 2^n amplitudes, complex128 (default) or complex64; qubit 0 is the "
      "least significant bit of the basis-state index. Starts in |0...0>.");
  state.def(py::init(&make_state), py::arg("n_qubits"), py::arg("precision") = "complex128",
            "|0...0> on n_qubits qubits; precision 'complex128' or 'complex64'.");
  state.def_property_readonly("n_qubits", &PyState::num_qubits, "Number of qubits.");
  state.def_property_readonly(
      "precision", [](const PyState& p) { return p.single() ? "complex64" : "complex128"; },
      "'complex128' or 'complex64'.");
  state.def_property("amplitudes", &amplitudes_view, &set_amplitudes,
                     "The amplitudes as a ZERO-COPY, WRITABLE numpy view (complex128 or "
                     "complex64, shape (2^n,), index bit q = qubit q) that keeps the state "
                     "alive. Writing through it changes the state (it is not renormalised). "
                     "Assigning an array copies it in (complex, float or int dtype, shape "
                     "(2^n,)); anything else raises UsageError.");
  state.def(
      "apply",
      [](PyState& p, const Circuit& c, unsigned long long seed, py::object progress) {
        const py::object reporter = reporter_of(progress);
        return std::visit([&](auto& s) { return apply_circuit(s, c, seed, reporter); }, p.state);
      },
      py::arg("circuit"), py::arg("seed") = 1, py::arg("progress") = py::none(),
      "Runs `circuit` on this state in place (GIL released; from 16 qubits on a worker thread "
      "with progress=, stopping between gates on Ctrl-C). Measurements and resets draw from a "
      "generator seeded like shot 0 of `fieldlab qsim --seed`. Returns the classical bits "
      "(list of 0/1, bit k = clbit k).");
  state.def(
      "expectation",
      [](const PyState& p, const std::string& obs) {
        const auto sum = observable(obs, p.num_qubits());
        threads_for(p.num_qubits());
        py::gil_scoped_release release;
        return std::visit([&](const auto& s) { return expectation(s, sum); }, p.state);
      },
      py::arg("observable"),
      "<psi|H|psi> for a Pauli string or sum, e.g. 'Z0 Z1' or '0.5 X0 - Z1' (the CLI's "
      "--expect syntax). The state is not normalised first.");
  state.def(
      "probabilities",
      [](const PyState& p) {
        return std::visit(
            [](const auto& s) {
              const auto v = s.probabilities();
              return copy_of(v, {static_cast<py::ssize_t>(v.size())});
            },
            p.state);
      },
      "|amplitude|^2 for every basis state (a new float64 array).");
  state.def(
      "marginal_probabilities",
      [](const PyState& p, const std::vector<int>& qubits) {
        return std::visit(
            [&](const auto& s) {
              const auto v = s.marginal_probabilities(qubits);
              return copy_of(v, {static_cast<py::ssize_t>(v.size())});
            },
            p.state);
      },
      py::arg("qubits"),
      "Probabilities of the 2^k outcomes of `qubits` (outcome bit i = qubits[i]).");
  state.def(
      "sample",
      [](const PyState& p, long long shots, unsigned long long seed) {
        check_shots(shots);
        Rng rng(derive_seed(seed, 0));
        const auto v = std::visit(
            [&](const auto& s) { return s.sample(static_cast<int>(shots), rng); }, p.state);
        return copy_of(v, {static_cast<py::ssize_t>(v.size())});
      },
      py::arg("shots"), py::arg("seed") = 1,
      "`shots` basis-state indices drawn from |amplitude|^2 (a new uint64 array); the same seed "
      "gives the same draws (and the CLI's qsim counts for a measurement-free circuit).");
  state.def(
      "counts",
      [](const PyState& p, long long shots, unsigned long long seed) {
        check_shots(shots);
        Rng rng(derive_seed(seed, 0));
        const auto v = std::visit(
            [&](const auto& s) { return s.sample(static_cast<int>(shots), rng); }, p.state);
        std::map<std::string, long long> counts;
        for (auto x : v) ++counts[bits_of(x, p.num_qubits())];
        return counts_dict(counts);
      },
      py::arg("shots"), py::arg("seed") = 1,
      "sample() as {bit string: count}, the highest qubit first (as `fieldlab qsim` prints).");
  state.def(
      "norm",
      [](const PyState& p) {
        return std::sqrt(std::visit([](const auto& s) { return s.norm_squared(); }, p.state));
      },
      "The 2-norm of the amplitudes.");
  state.def(
      "normalize", [](PyState& p) { std::visit([](auto& s) { s.normalize(); }, p.state); },
      "Scales the amplitudes to norm 1 (NumericalError for the zero vector).");
  state.def(
      "set_basis_state",
      [](PyState& p, long long index) {
        const auto dim = static_cast<long long>(std::uint64_t{1} << p.num_qubits());
        if (index < 0 || index >= dim)
          raise_error("usage", "basis state " + std::to_string(index) + " outside 0.." +
                                   std::to_string(dim - 1));
        std::visit([&](auto& s) { s.set_basis_state(static_cast<std::uint64_t>(index)); }, p.state);
      },
      py::arg("index"), "Sets the state to the basis state |index>.");
  state.def(
      "probability_one",
      [](const PyState& p, int qubit) {
        return std::visit([&](const auto& s) { return s.probability_one(qubit); }, p.state);
      },
      py::arg("qubit"), "The probability that `qubit` reads 1.");
  state.def(
      "copy", [](const PyState& p) { return PyState{p.state}; }, "An independent copy.");
  state.def(
      "inner",
      [](const PyState& a, const PyState& b) {
        if (a.num_qubits() != b.num_qubits())
          raise_error("usage", "inner: states of different sizes");
        if (a.state.index() == b.state.index())
          return std::visit(
              [&](const auto& s) {
                using S = std::decay_t<decltype(s)>;
                return s.inner_product(std::get<S>(b.state));
              },
              a.state);
        const auto x = std::visit([](const auto& s) { return s.amplitudes(); }, a.state);
        const auto y = std::visit([](const auto& s) { return s.amplitudes(); }, b.state);
        c128 r = 0;
        for (std::size_t i = 0; i < x.size(); ++i) r += std::conj(x[i]) * y[i];
        return r;
      },
      py::arg("other"), "<self|other>.");
  state.def("__repr__", [](const PyState& p) {
    return "StateVector(n_qubits=" + std::to_string(p.num_qubits()) + ", precision='" +
           (p.single() ? "complex64" : "complex128") + "')";
  });

  m.def(
      "simulate",
      [](const Circuit& c, long long shots, unsigned long long seed, const std::string& precision,
         bool fusion, py::object progress) {
        check_shots(shots);
        SimulationOptions o;
        o.shots = static_cast<int>(shots);
        o.seed = seed;
        o.fusion = fusion;
        const bool single = is_single(precision);
        std::optional<PyState> out;
        std::map<std::string, long long> counts;
        bool from_final = true;
        run_interruptible(
            [&](const StopToken&, ProgressSink*) {
              if (single) {
                auto r = simulate<float>(c, o);
                counts = r.counts;
                from_final = r.sampled_from_final_state;
                out.emplace(
                    PyState{decltype(PyState::state)(std::in_place_index<1>, std::move(r.state))});
              } else {
                auto r = simulate<double>(c, o);
                counts = r.counts;
                from_final = r.sampled_from_final_state;
                out.emplace(
                    PyState{decltype(PyState::state)(std::in_place_index<0>, std::move(r.state))});
              }
            },
            reporter_of(progress));
        py::dict result;
        result["state"] = py::cast(std::move(*out));
        result["counts"] = counts_dict(counts);
        result["sampled_from_final_state"] = from_final;
        return result;
      },
      py::arg("circuit"), py::arg("shots") = 0, py::arg("seed") = 1,
      py::arg("precision") = "complex128", py::arg("fusion") = true,
      py::arg("progress") = py::none(),
      "Runs a circuit as `fieldlab qsim` does (same keywords, same defaults, --no-fusion is "
      "fusion=False): terminal measurements are sampled from one final state, mid-circuit ones "
      "run one trajectory per shot. Returns {'state': StateVector (before terminal "
      "measurements, else shot 0's final state), 'counts': {bits: count}, "
      "'sampled_from_final_state': bool}. Ctrl-C is raised once the run returns.");

  m.def(
      "adjoint_gradient",
      [](const Circuit& c, const std::string& obs, const std::string& precision) {
        const auto h = observable(obs, c.num_qubits());
        const bool single = is_single(precision);
        apply_call_threads();
        std::vector<double> g;
        {
          py::gil_scoped_release release;
          g = single ? adjoint_gradient<float>(c, h) : adjoint_gradient<double>(c, h);
        }
        return copy_of(g, {static_cast<py::ssize_t>(g.size())});
      },
      py::arg("circuit"), py::arg("observable"), py::arg("precision") = "complex128",
      "d<0|C^dagger H C|0>/d theta for every differentiable angle of the (measurement-free) "
      "circuit, in circuit order (Circuit.parameters()), by the adjoint method: about three "
      "circuit runs whatever the number of angles. A new float64 array.");
  m.def(
      "parameter_shift_gradient",
      [](const Circuit& c, const std::string& obs) {
        const auto h = observable(obs, c.num_qubits());
        apply_call_threads();
        std::vector<double> g;
        {
          py::gil_scoped_release release;
          g = parameter_shift_gradient(c, h);
        }
        return copy_of(g, {static_cast<py::ssize_t>(g.size())});
      },
      py::arg("circuit"), py::arg("observable"),
      "The same gradient by the parameter-shift rule (two runs per angle, four for controlled "
      "rotations): the reference for adjoint_gradient.");
  m.def(
      "circuit_expectation",
      [](const Circuit& c, const std::string& obs) {
        const auto h = observable(obs, c.num_qubits());
        apply_call_threads();
        py::gil_scoped_release release;
        return circuit_expectation(c, h);
      },
      py::arg("circuit"), py::arg("observable"), "<0|C^dagger H C|0> in complex128.");
}

}  // namespace fieldlab::python
