#pragma once
// The quantum part of fieldlab._core (submodule fieldlab._core.quantum), split over
// bind_quantum_{circuits,density,qrc,qkan}.cpp; bind_quantum.cpp registers it.

#include <complex>
#include <variant>

#include "python/src/binding_support.hpp"
#include "quantum/state_vector.hpp"

namespace fieldlab::python {

// The Python StateVector: one of the two precisions of the library's state vector.
struct PyState {
  std::variant<quantum::StateVector<double>, quantum::StateVector<float>> state;
  bool single() const { return state.index() == 1; }
  int num_qubits() const {
    return std::visit([](const auto& s) { return s.num_qubits(); }, state);
  }
};

void bind_quantum_circuits(py::module_& m);
void bind_quantum_density(py::module_& m);
void bind_quantum_qrc(py::module_& m);
void bind_quantum_qkan(py::module_& m);

}  // namespace fieldlab::python
