#include "python/src/binding_support.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace fieldlab::python {
namespace {

// The exception classes, created once at import (module state: a second interpreter is not
// supported, as with most extension modules).
PyObject* error_base = nullptr;
std::map<std::string, PyObject*> error_classes;  // "usage" -> UsageError, ...

PyObject* make_error(py::module_& m, const char* name, PyObject* base, PyObject* builtin,
                     const char* doc) {
  const std::string qualified = std::string("fieldlab.") + name;
  py::tuple bases = builtin ? py::tuple(py::make_tuple(py::handle(base), py::handle(builtin)))
                            : py::tuple(py::make_tuple(py::handle(base)));
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), /*dict=*/nullptr);
  if (!cls) throw py::error_already_set();
  m.add_object(name, py::handle(cls));
  return cls;
}

std::atomic<int> threads_for_calls{0};

// OpenMP's thread count when the module was imported (its OMP_NUM_THREADS or all cores): what
// set_num_threads(0) goes back to. A function static, so concurrent first uses are safe; the
// module reads it once at import (note_import_threads) before any call changes the setting.
int threads_at_import() {
  static const int n = max_threads();
  return n;
}

// Queues the library's progress events (from any worker thread) for the Python thread.
class QueuedProgress final : public ProgressSink {
 public:
  struct Event {
    const char* kind;
    std::string label;
    long long value;
    std::string note;
  };
  void start(std::string_view label, long long total) override {
    push({"start", std::string(label), total, {}});
  }
  void advance(long long units, std::string_view note) override {
    push({"advance", {}, units, std::string(note)});
  }
  void finish() override { push({"finish", {}, 0, {}}); }

  void push(Event e) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
    }
    wake_.notify_one();
  }
  void mark_done() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
  }
  // Waits up to `timeout` for an event or the end; returns the queued events and whether the
  // work has ended (then no event follows).
  std::deque<Event> wait(std::chrono::milliseconds timeout, bool& done) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, timeout, [&] { return done_ || !events_.empty(); });
    std::deque<Event> out;
    out.swap(events_);
    done = done_;
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Event> events_;
  bool done_ = false;
};

}  // namespace

void register_errors(py::module_& m) {
  error_base = make_error(m, "Error", PyExc_Exception, nullptr,
                          "Base class of every error fieldlab raises.");
  error_classes["usage"] = make_error(m, "UsageError", error_base, PyExc_ValueError,
                                      "Bad arguments or input data (a ValueError).");
  error_classes["config"] = make_error(m, "ConfigError", error_base, PyExc_ValueError,
                                       "A malformed configuration (a ValueError).");
  error_classes["io"] = make_error(m, "FileError", error_base, PyExc_OSError,
                                   "A file could not be read or written (an OSError).");
  error_classes["numerical"] =
      make_error(m, "NumericalError", error_base, PyExc_FloatingPointError,
                 "A computation became unstable or non-finite (a FloatingPointError).");
  error_classes["internal"] = make_error(m, "InternalError", error_base, PyExc_RuntimeError,
                                         "A bug in fieldlab (a RuntimeError); please report it.");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      PyErr_SetString(error_classes.at(to_string(e.kind())), e.what());
    }
  });
}

void raise_error(const char* kind, const std::string& message) {
  PyErr_SetString(error_classes.at(kind), message.c_str());
  throw py::error_already_set();
}

std::vector<ModulePart>& module_parts() {
  static std::vector<ModulePart> parts;
  return parts;
}

int call_threads() { return threads_for_calls.load(); }

void set_call_threads(int threads) {
  check_thread_count(threads, "threads");
  threads_for_calls.store(threads);
  apply_call_threads();
}

void note_import_threads() { threads_at_import(); }

void apply_call_threads() {
  const int n = threads_for_calls.load();
  set_threads(n > 0 ? n : threads_at_import());
}

py::object reporter_of(const py::object& progress) {
  if (progress.is_none()) return progress;
  return py::module_::import("fieldlab._progress").attr("reporter")(progress);
}

void run_interruptible(const std::function<void(const StopToken&, ProgressSink*)>& work,
                       const py::object& reporter) {
  StopSource stop;
  QueuedProgress progress;
  std::exception_ptr failure;
  const int threads = call_threads();
  const int fallback = threads_at_import();
  std::thread worker([&] {
    try {
      set_threads(threads > 0 ? threads : fallback);
      work(stop.token(), &progress);
    } catch (...) {
      failure = std::current_exception();
    }
    progress.mark_done();
  });

  // Set when KeyboardInterrupt (or the reporter's own exception) arrives: raised at the end.
  std::optional<py::error_already_set> pending;
  bool done = false;
  while (!done) {
    std::deque<QueuedProgress::Event> events;
    {
      py::gil_scoped_release release;
      events = progress.wait(std::chrono::milliseconds(50), done);
    }
    if (!pending && !reporter.is_none()) {
      try {
        for (const auto& e : events) reporter(e.kind, e.label, e.value, e.note);
      } catch (py::error_already_set& e) {
        pending.emplace(std::move(e));
        stop.request_stop();
      }
    }
    if (!pending && PyErr_CheckSignals() != 0) {
      pending.emplace();  // fetches the KeyboardInterrupt (or a signal handler's exception)
      stop.request_stop();
    }
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (failure) std::rethrow_exception(failure);
  if (pending) throw std::move(*pending);
}

}  // namespace fieldlab::python
