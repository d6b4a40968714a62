// fieldlab._core.quantum.DensityMatrix: exact mixed-state simulation of small registers with the
// library's one-qubit channels (depolarising, amplitude damping, dephasing, measure-and-reset,
// any Kraus set).

#include <pybind11/complex.h>

#include <Eigen/Dense>

#include "python/src/bind_quantum.hpp"
#include "quantum/circuit.hpp"
#include "quantum/density_matrix.hpp"
#include "quantum/pauli.hpp"

namespace fieldlab::python {
namespace {

using namespace fieldlab::quantum;
using c128 = std::complex<double>;

void check_qubit(const DensityMatrix& rho, int qubit) {
  if (qubit < 0 || qubit >= rho.num_qubits())
    raise_error("usage", "qubit " + std::to_string(qubit) + " out of range for " +
                             std::to_string(rho.num_qubits()) + " qubits");
}

void check_probability(const char* what, double p) {
  if (!(p >= 0.0 && p <= 1.0))
    raise_error("usage", std::string(what) + " must be in [0, 1], got " + std::to_string(p));
}

std::vector<PauliString> observable(const std::string& text, int num_qubits) {
  auto sum = parse_pauli_sum(text);
  for (const auto& p : sum)
    if (p.max_qubit() >= num_qubits)
      raise_error("usage", "observable \"" + text + "\" names qubit " +
                               std::to_string(p.max_qubit()) + " but the density matrix has " +
                               std::to_string(num_qubits) + " qubits");
  return sum;
}

// Applies a circuit's operations: gates as U rho U^dagger, a measurement as the non-selective
// dephasing channel (outcomes are not recorded), a reset as measure-and-reset.
void apply_circuit(DensityMatrix& rho, const Circuit& c) {
  if (c.num_qubits() != rho.num_qubits())
    raise_error("usage", "the circuit has " + std::to_string(c.num_qubits()) +
                             " qubits but the density matrix " + std::to_string(rho.num_qubits()));
  for (const Operation& op : c.operations())
    if (op.condition) raise_error("usage", "DensityMatrix.apply: conditioned gates need outcomes");
  apply_call_threads();
  py::gil_scoped_release release;
  for (const Operation& op : c.operations()) {
    switch (op.kind) {
      case OpKind::gate:
        rho.apply(op.gate);
        break;
      case OpKind::measure:
        rho.dephase(op.qubit);
        break;
      case OpKind::reset:
        rho.measure_reset(op.qubit);
        break;
      case OpKind::barrier:
        break;
    }
  }
}

}  // namespace

void bind_quantum_density(py::module_& m) {
  py::class_<DensityMatrix> dm(
      m, "DensityMatrix",
      "A density matrix of n <= 13 qubits (4^n complex128 elements), simulated exactly with "
      "one-qubit channels. Qubit 0 is the least significant bit of a row/column index.");
  dm.def(py::init([](int n) {
           if (n < 1 || n > kMaxDensityQubits)
             raise_error("usage", "a density matrix needs 1.." + std::to_string(kMaxDensityQubits) +
                                      " qubits, got " + std::to_string(n));
           return DensityMatrix(n);
         }),
         py::arg("n_qubits"), "|0...0><0...0| on n_qubits qubits (1..13).");
  dm.def_static(
      "from_state",
      [](const PyState& p) {
        if (p.num_qubits() > kMaxDensityQubits)
          raise_error("usage", "a density matrix holds at most " +
                                   std::to_string(kMaxDensityQubits) + " qubits");
        if (!p.single()) return DensityMatrix::from_state(std::get<0>(p.state));
        StateVector<double> psi(p.num_qubits());
        psi.set_amplitudes(std::get<1>(p.state).amplitudes());
        return DensityMatrix::from_state(psi);
      },
      py::arg("state"), "|psi><psi| of a StateVector.");
  dm.def_static(
      "from_matrix",
      [](py::object matrix) {
        auto a = as_array<c128>(matrix, "density matrix", 2);
        const auto d = a.shape(0);
        if (d != a.shape(1) || d < 2 || (d & (d - 1)) != 0 ||
            d > (py::ssize_t{1} << kMaxDensityQubits))
          raise_error("usage", "density matrix: expected a square 2^n x 2^n array (n <= " +
                                   std::to_string(kMaxDensityQubits) + "), got " +
                                   std::to_string(a.shape(0)) + "x" + std::to_string(a.shape(1)));
        Eigen::MatrixXcd rho(d, d);
        for (py::ssize_t r = 0; r < d; ++r)
          for (py::ssize_t c = 0; c < d; ++c) rho(r, c) = a.at(r, c);
        return DensityMatrix::from_matrix(rho);
      },
      py::arg("matrix"),
      "A density matrix from a square 2^n x 2^n array (copied; positivity is not checked).");
  dm.def_property_readonly("n_qubits", &DensityMatrix::num_qubits, "Number of qubits.");
  dm.def_property_readonly(
      "matrix",
      [](py::object self) {
        const DensityMatrix& rho = py::cast<const DensityMatrix&>(self);
        const auto d = static_cast<py::ssize_t>(rho.dimension());
        const auto e = static_cast<py::ssize_t>(sizeof(c128));
        // Column-major storage: element (row, col) at row + col * d, so a (d, d) view with strides
        // (1, d) elements.
        py::array a(py::dtype::of<c128>(), {d, d}, {e, e * d}, rho.data(), self);
        py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
        return a;
      },
      "rho as a ZERO-COPY, READ-ONLY (2^n, 2^n) complex128 view (a Fortran-ordered array over "
      "the simulator's memory, kept alive by it): it follows later channels and gates. "
      "np.array(dm.matrix) copies.");
  dm.def("apply", &apply_circuit, py::arg("circuit"),
         "Applies a circuit: gates as U rho U^dagger, measure as non-selective dephasing, reset "
         "as measure-and-reset; conditioned gates raise UsageError.");
  dm.def(
      "depolarize",
      [](DensityMatrix& rho, int q, double p) {
        check_qubit(rho, q);
        check_probability("p", p);
        rho.depolarize(q, p);
      },
      py::arg("qubit"), py::arg("p"), "Depolarising channel: rho -> (1-p) rho + p I/2 Tr_q rho.");
  dm.def(
      "amplitude_damp",
      [](DensityMatrix& rho, int q, double gamma) {
        check_qubit(rho, q);
        check_probability("gamma", gamma);
        rho.amplitude_damp(q, gamma);
      },
      py::arg("qubit"), py::arg("gamma"), "Amplitude damping with decay probability gamma.");
  dm.def(
      "dephase",
      [](DensityMatrix& rho, int q) {
        check_qubit(rho, q);
        rho.dephase(q);
      },
      py::arg("qubit"), "Non-selective Z measurement of `qubit` (off-diagonal terms dropped).");
  dm.def(
      "measure_reset",
      [](DensityMatrix& rho, int q) {
        check_qubit(rho, q);
        rho.measure_reset(q);
      },
      py::arg("qubit"), "Non-selective measurement of `qubit`, then reset to |0>.");
  dm.def(
      "apply_kraus",
      [](DensityMatrix& rho, int q, const std::vector<py::object>& ops) {
        check_qubit(rho, q);
        if (ops.empty()) raise_error("usage", "apply_kraus: no Kraus operators");
        std::vector<Matrix2> kraus;
        for (const auto& o : ops) {
          auto a = as_array<c128>(o, "Kraus operator", 2);
          if (a.shape(0) != 2 || a.shape(1) != 2)
            raise_error("usage", "Kraus operator: expected a 2x2 array");
          Matrix2 k;
          std::copy(a.data(), a.data() + 4, k.begin());
          kraus.push_back(k);
        }
        if (trace_preservation_error(kraus) > 1e-8)
          raise_error("usage",
                      "apply_kraus: the operators are not trace preserving (sum K^dagger K != I)");
        rho.apply_kraus(q, kraus);
      },
      py::arg("qubit"), py::arg("kraus"),
      "rho -> sum_k K rho K^dagger on `qubit` for 2x2 Kraus operators (trace preservation "
      "checked to 1e-8).");
  dm.def("trace", &DensityMatrix::trace, "Tr rho (real part).");
  dm.def("purity", &DensityMatrix::purity, "Tr rho^2.");
  dm.def(
      "expectation",
      [](const DensityMatrix& rho, const std::string& obs) {
        return rho.expectation(observable(obs, rho.num_qubits()));
      },
      py::arg("observable"), "Tr(rho H) for a Pauli string or sum ('Z0 Z1', '0.5 X0 - Z1').");
  dm.def(
      "probabilities",
      [](const DensityMatrix& rho) {
        const auto v = rho.probabilities();
        return copy_of(v, {static_cast<py::ssize_t>(v.size())});
      },
      "The diagonal of rho (a new float64 array).");
  dm.def("__repr__", [](const DensityMatrix& rho) {
    return "DensityMatrix(n_qubits=" + std::to_string(rho.num_qubits()) + ")";
  });

  m.def(
      "depolarizing_kraus",
      [](double p) {
        check_probability("p", p);
        py::list out;
        for (const auto& k : depolarizing_kraus(p)) {
          py::array_t<c128> a({2, 2});
          std::copy(k.begin(), k.end(), a.mutable_data());
          out.append(a);
        }
        return out;
      },
      py::arg("p"), "The depolarising channel's four Kraus operators (new 2x2 arrays).");
  m.def(
      "amplitude_damping_kraus",
      [](double gamma) {
        check_probability("gamma", gamma);
        py::list out;
        for (const auto& k : amplitude_damping_kraus(gamma)) {
          py::array_t<c128> a({2, 2});
          std::copy(k.begin(), k.end(), a.mutable_data());
          out.append(a);
        }
        return out;
      },
      py::arg("gamma"), "Amplitude damping's two Kraus operators (new 2x2 arrays).");
}

}  // namespace fieldlab::python
