// Registers the quantum part: the submodule fieldlab._core.quantum and its four binding files.

#include "python/src/bind_quantum.hpp"

namespace fieldlab::python {
namespace {

void bind_quantum(py::module_& m) {
  auto q = m.def_submodule(
      "quantum",
      "State-vector and density-matrix simulation, OpenQASM 2.0, adjoint gradients, quantum "
      "reservoir computing and QKAN. Qubit 0 is the least significant bit of a basis-state "
      "index.");
  bind_quantum_circuits(q);
  bind_quantum_density(q);
  bind_quantum_qrc(q);
  bind_quantum_qkan(q);
}

}  // namespace

FIELDLAB_PYTHON_PART(quantum, 10, bind_quantum);

}  // namespace fieldlab::python
