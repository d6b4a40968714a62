// fieldlab._core: the extension module. Each bind_*.cpp registers its part (FIELDLAB_PYTHON_PART);
// this file creates the errors, the thread setting, and binds the parts in order. The Python
// package (python/fieldlab/) re-exports it with the pure-Python layer on top.

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/threads.hpp"
#include "core/version.hpp"
#include "python/src/binding_support.hpp"

namespace fieldlab::python {
namespace {

void bind_core(py::module_& m) {
  m.attr("__version__") = kVersion;
  m.def("set_num_threads", &set_call_threads, py::arg("threads"),
        "Threads every later fieldlab call runs with (0: all cores, the default). The same as "
        "the CLI's --threads; results do not depend on it.");
  m.def(
      "get_num_threads", [] { return call_threads() > 0 ? call_threads() : max_threads(); },
      "Threads fieldlab calls run with.");
  m.def(
      "_run_interruptible_sleep",
      [](double seconds, py::object reporter) {
        // A test hook for run_interruptible: waits `seconds` in steps of 10 ms, reporting each
        // step, and returns the steps done (fewer when stopped).
        long long steps = static_cast<long long>(seconds * 100), done = 0;
        run_interruptible(
            [&](const StopToken& stop, ProgressSink* progress) {
              ProgressPhase phase(progress, "sleep", steps);
              for (; done < steps && !stop.stop_requested(); ++done) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                phase.advance(1);
              }
            },
            reporter);
        return done;
      },
      py::arg("seconds"), py::arg("reporter") = py::none());
}

}  // namespace
}  // namespace fieldlab::python

PYBIND11_MODULE(_core, m) {
  using namespace fieldlab::python;
  m.doc() = "fieldlab's compiled core; use the package `fieldlab`, which re-exports it.";
  register_errors(m);
  note_import_threads();
  bind_core(m);
  auto parts = module_parts();
  std::sort(parts.begin(), parts.end(),
            [](const ModulePart& a, const ModulePart& b) { return a.order < b.order; });
  for (const auto& part : parts) part.bind(m);
}
