#pragma once
// What every binding file (python/src/bind_*.cpp) shares, so each stays a thin layer over the
// library API:
//   * errors: fieldlab::Error becomes fieldlab.UsageError (ValueError), FileError (OSError),
//     NumericalError (FloatingPointError), ConfigError (ValueError) or InternalError
//     (RuntimeError), all subclasses of fieldlab.Error, with the C++ message;
//   * run_interruptible: a long call runs on a worker thread with the GIL released while the
//     calling thread delivers its progress to Python and watches for KeyboardInterrupt, which
//     requests the library's StopToken (the call returns at its next unit) and is then raised;
//   * Keywords<Config>: keyword arguments -> a config struct, by name, with the struct's own
//     defaults; an unknown keyword is a TypeError naming the valid ones;
//   * numpy views of C++ memory that keep their owner alive (read-only unless writing is safe).
// Binding files never include apps/ code and never expose nn::Var.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"

namespace fieldlab::python {

namespace py = pybind11;

// fieldlab.Error and its subclasses, and the translator of fieldlab::Error into them.
void register_errors(py::module_& m);
// Raises the fieldlab exception of `kind` ("usage", "io", ...) with `message` (for Python-side
// checks that should look like the library's own).
[[noreturn]] void raise_error(const char* kind, const std::string& message);

// The thread count long calls run with (fieldlab.set_num_threads; 0 = all cores). OpenMP's
// setting is per thread, and long calls run on a worker thread, so it is applied there.
int call_threads();
void set_call_threads(int threads);
// Applies that count to the calling thread's OpenMP setting (0: the count at import). Every
// binding that runs OpenMP work on the calling thread (solver steps, simulations) calls it first.
void apply_call_threads();
// Records the thread count at import (called once from the module's init).
void note_import_threads();

// The parts of the module (one per bind_*.cpp), registered by FIELDLAB_PYTHON_PART at static
// initialisation and bound in ascending `order` (a part may use the classes of a lower one).
struct ModulePart {
  const char* name;
  int order;
  void (*bind)(py::module_&);
};
std::vector<ModulePart>& module_parts();
#define FIELDLAB_PYTHON_PART(name, order, function)                         \
  static const bool fieldlab_python_part_##name = [] {                      \
    ::fieldlab::python::module_parts().push_back({#name, order, function}); \
    return true;                                                            \
  }()

// Runs work(stop, progress) on a worker thread, the GIL released. Meanwhile the calling thread
// forwards progress events to `reporter` (None, or a Python callable reporter(event, label, value,
// note) with event "start" (value = total), "advance" (value = units) or "finish") and checks for
// signals every 50 ms. A KeyboardInterrupt (or an exception raised by the reporter) requests the
// stop; once `work` has returned, that exception is raised. An exception from `work` propagates.
void run_interruptible(const std::function<void(const StopToken&, ProgressSink*)>& work,
                       const py::object& reporter);
// The reporter run_interruptible takes for a user's progress= (None, True, a tqdm bar or a
// callable f(done, total, label, note)): fieldlab._progress.reporter(progress), None for None.
py::object reporter_of(const py::object& progress);

// Keyword arguments into a config struct: each keyword has a setter and a getter (for the
// defaults dict and the stub docs). Values are converted with pybind11's casts; a wrong type is a
// TypeError naming the keyword.
template <typename Config>
class Keywords {
 public:
  using Setter = std::function<void(Config&, py::handle)>;
  using Getter = std::function<py::object(const Config&)>;

  explicit Keywords(std::string what) : what_(std::move(what)) {}

  // A plain member (or a member of a member through a lambda-free pointer chain: use add_with).
  template <typename T>
  Keywords& add(const std::string& name, T Config::*member) {
    return add_with(
        name, [member](Config& c, py::handle v) { c.*member = cast<T>(v); },
        [member](const Config& c) { return py::cast(c.*member); });
  }
  Keywords& add_with(const std::string& name, Setter set, Getter get) {
    order_.push_back(name);
    entries_[name] = {std::move(set), std::move(get)};
    return *this;
  }

  // `config` with every keyword of `kwargs` applied; raises TypeError for an unknown keyword
  // ("ns2d: unknown keyword 'viscosty'; valid: ...").
  Config apply(Config config, const py::kwargs& kwargs) const {
    for (auto item : kwargs) {
      const auto name = py::cast<std::string>(item.first);
      const auto it = entries_.find(name);
      if (it == entries_.end()) throw py::type_error(unknown(name));
      try {
        it->second.set(config, item.second);
      } catch (const py::cast_error&) {
        throw py::type_error(
            what_ + ": keyword '" + name + "' got " +
            py::cast<std::string>(py::str(py::type::of(item.second).attr("__name__"))) +
            ", expected " +
            py::cast<std::string>(py::str(py::type::of(it->second.get(config)).attr("__name__"))));
      }
    }
    return config;
  }
  bool has(const std::string& name) const { return entries_.count(name) > 0; }
  // {keyword: value} of `config` (its defaults for a default-constructed one), in order.
  py::dict values(const Config& config) const {
    py::dict d;
    for (const auto& name : order_) d[py::str(name)] = entries_.at(name).get(config);
    return d;
  }
  const std::vector<std::string>& names() const { return order_; }
  std::string unknown(const std::string& name) const {
    std::string valid;
    for (const auto& n : order_) valid += (valid.empty() ? "" : ", ") + n;
    return what_ + ": unknown keyword '" + name + "'; valid: " + valid;
  }

  // A strict cast: no bool from int, no int from float, no number from str.
  template <typename T>
  static T cast(py::handle v) {
    if constexpr (std::is_same_v<T, bool>) {
      if (!py::isinstance<py::bool_>(v)) throw py::cast_error();
    } else if constexpr (std::is_integral_v<T>) {
      if (py::isinstance<py::bool_>(v) || py::isinstance<py::float_>(v)) throw py::cast_error();
    }
    return py::cast<T>(v);
  }

 private:
  struct Entry {
    Setter set;
    Getter get;
  };
  std::string what_;
  std::vector<std::string> order_;
  std::map<std::string, Entry> entries_;
};

// A numpy array over `data` (row-major `shape`) that keeps `owner` alive while it exists.
// Read-only unless `writable`.
template <typename T>
py::array view_of(T* data, const std::vector<py::ssize_t>& shape, py::handle owner, bool writable) {
  py::array_t<T> a(shape, data, owner);
  if (!writable)
    py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

// A new numpy array holding a copy of `values` in `shape`.
template <typename T>
py::array_t<T> copy_of(const std::vector<T>& values, const std::vector<py::ssize_t>& shape) {
  py::array_t<T> a(shape);
  std::copy(values.begin(), values.end(), a.mutable_data());
  return a;
}

// A C-contiguous array of T from any array-like, with the expected number of dimensions (-1: any);
// a wrong ndim or a non-numeric input is a fieldlab.UsageError naming `what`.
template <typename T>
py::array_t<T, py::array::c_style | py::array::forcecast> as_array(py::handle input,
                                                                   const std::string& what,
                                                                   int ndim = -1) {
  py::array_t<T, py::array::c_style | py::array::forcecast> a;
  try {
    a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(input);
  } catch (const py::error_already_set&) {
    a = {};
  }
  if (!a) raise_error("usage", what + ": expected a numeric array");
  if (ndim >= 0 && a.ndim() != ndim)
    raise_error("usage", what + ": expected " + std::to_string(ndim) + " dimensions, got " +
                             std::to_string(a.ndim()));
  return a;
}

}  // namespace fieldlab::python
