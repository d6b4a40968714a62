#pragma once
// Shared pieces of the solver bindings (bind_solvers*.cpp): the fieldlab._core.solvers submodule
// is one part (FIELDLAB_PYTHON_PART(solvers, 20, ...) in bind_solvers.cpp), which calls the
// per-family binders below.

#include <string>

#include "python/src/binding_support.hpp"
#include "solvers/periodic_grid.hpp"

namespace fieldlab::python {

void bind_solvers_ns2d(py::module_& m);  // Ns2d, initial conditions, solve_taylor_green
void bind_solvers_mac(py::module_& m);   // Incompressible, smoke noise, solve_cavity
void bind_solvers_swe(py::module_& m);   // ShallowWater, ShallowWaterCGrid, their cases

// A new (rows, cols) float64 array holding a copy of `f`.
py::array_t<double> field_copy(const solvers::Field& f);
// A new 1-D float64 array holding a copy of `values`.
py::array_t<double> vector_copy(const std::vector<double>& values);
// An array-like as a Field of exactly (rows, cols) (any rows/cols when negative); a wrong shape,
// dtype or a non-finite value (unless allow_nonfinite) is a fieldlab.UsageError naming `what`.
solvers::Field field_from(py::handle input, const std::string& what, long rows = -1,
                          long cols = -1);
// A read-only (or writable) zero-copy view of a Field's memory, owned by `owner`.
py::array field_view(const solvers::Field& f, py::handle owner, bool writable);
// A run_interruptible call of work(stop, progress) with the user's progress= argument.
void run_long(const std::function<void(const StopToken&, ProgressSink*)>& work,
              const py::object& progress);
// Throws fieldlab.UsageError when `value` is not finite (Python-side checks of keywords that the
// library takes as they are).
void require_finite(double value, const std::string& what);

}  // namespace fieldlab::python
