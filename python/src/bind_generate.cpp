// fieldlab._core._generate / _generate_options: the library's generate_*_file calls
// (datasets/generate/generate_files.hpp, the same calls `fieldlab generate PDE` makes), with the
// options as keywords named like the CLI's long options ('-' -> '_') and with its defaults. The
// public wrapper is fieldlab.generate (python/fieldlab/data.py).

#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/generate_files.hpp"
#include "python/src/binding_support.hpp"

namespace fieldlab::python {
namespace {

namespace ds = fieldlab::datasets;

// A keyword's value as T (Keywords' strict cast); an int out of T's range (a negative seed, a
// resolution of 2**40) is a UsageError naming the keyword, not a TypeError.
template <typename T>
T keyword_value(const char* name, py::handle v) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v)) {
      const auto text = py::cast<std::string>(py::str(v));
      try {
        return py::cast<T>(v);
      } catch (const py::cast_error&) {
        raise_error("usage", std::string(name) + " must be an integer in [" +
                                 std::to_string(std::numeric_limits<T>::min()) + ", " +
                                 std::to_string(std::numeric_limits<T>::max()) + "], got " + text);
      }
    }
  }
  return Keywords<ds::Ns2dGenerateOptions>::cast<T>(v);
}

// Adds keyword `name` bound to the member expression `o.EXPR` of the options struct.
#define FIELDLAB_KEYWORD(keywords, name, expr)                                      \
  (keywords).add_with(                                                              \
      name,                                                                         \
      [](auto& o, py::handle v) {                                                   \
        o.expr = keyword_value<std::remove_reference_t<decltype(o.expr)>>(name, v); \
      },                                                                            \
      [](const auto& o) { return py::cast(o.expr); })

const Keywords<ds::Ns2dGenerateOptions>& ns2d_keywords() {
  static const auto k = [] {
    Keywords<ds::Ns2dGenerateOptions> k("ns2d");
    FIELDLAB_KEYWORD(k, "trajectories", config.trajectories);
    FIELDLAB_KEYWORD(k, "resolution", resolution);
    FIELDLAB_KEYWORD(k, "solve_resolution", solve_resolution);
    FIELDLAB_KEYWORD(k, "frames", config.frames);
    FIELDLAB_KEYWORD(k, "dt_out", config.dt_out);
    FIELDLAB_KEYWORD(k, "viscosity", config.solver.viscosity);
    FIELDLAB_KEYWORD(k, "drag", config.solver.drag);
    FIELDLAB_KEYWORD(k, "length", config.solver.length);
    FIELDLAB_KEYWORD(k, "seed", config.seed);
    FIELDLAB_KEYWORD(k, "fields", config.fields);
    FIELDLAB_KEYWORD(k, "forcing", forcing);
    FIELDLAB_KEYWORD(k, "forcing_amplitude", config.solver.forcing_amplitude);
    FIELDLAB_KEYWORD(k, "forcing_wavenumber", config.solver.forcing_wavenumber);
    FIELDLAB_KEYWORD(k, "initial_condition", initial_condition);
    FIELDLAB_KEYWORD(k, "grf_alpha", config.solver.spectrum.alpha);
    FIELDLAB_KEYWORD(k, "grf_tau", config.solver.spectrum.tau);
    FIELDLAB_KEYWORD(k, "grf_sigma", config.solver.spectrum.sigma);
    FIELDLAB_KEYWORD(k, "shear_rho", config.solver.shear_rho);
    FIELDLAB_KEYWORD(k, "shear_delta", config.solver.shear_delta);
    FIELDLAB_KEYWORD(k, "stepper", stepper);
    FIELDLAB_KEYWORD(k, "cfl", config.solver.cfl);
    FIELDLAB_KEYWORD(k, "dt", config.solver.dt);
    FIELDLAB_KEYWORD(k, "rtol", config.solver.rtol);
    FIELDLAB_KEYWORD(k, "atol", config.solver.atol);
    FIELDLAB_KEYWORD(k, "diffusion_order", diffusion_order);
    return k;
  }();
  return k;
}

const Keywords<ds::Smoke2dGenerateOptions>& smoke2d_keywords() {
  static const auto k = [] {
    Keywords<ds::Smoke2dGenerateOptions> k("smoke2d");
    FIELDLAB_KEYWORD(k, "trajectories", config.trajectories);
    FIELDLAB_KEYWORD(k, "resolution", config.resolution);
    FIELDLAB_KEYWORD(k, "length", config.length);
    FIELDLAB_KEYWORD(k, "viscosity", config.viscosity);
    FIELDLAB_KEYWORD(k, "buoyancy", config.buoyancy_y);
    FIELDLAB_KEYWORD(k, "buoyancy_x", config.buoyancy_x);
    FIELDLAB_KEYWORD(k, "buoyancy_range", buoyancy_range);
    FIELDLAB_KEYWORD(k, "dt", config.dt);
    FIELDLAB_KEYWORD(k, "steps", config.steps);
    FIELDLAB_KEYWORD(k, "skip", config.skip);
    FIELDLAB_KEYWORD(k, "every", config.every);
    FIELDLAB_KEYWORD(k, "noise_scale", config.noise.scale);
    FIELDLAB_KEYWORD(k, "noise_smoothness", config.noise.smoothness);
    FIELDLAB_KEYWORD(k, "advection", advection);
    FIELDLAB_KEYWORD(k, "seed", config.seed);
    FIELDLAB_KEYWORD(k, "staggered", config.staggered);
    FIELDLAB_KEYWORD(k, "layout", layout);
    FIELDLAB_KEYWORD(k, "split", split);
    return k;
  }();
  return k;
}

const Keywords<ds::Swe2dGenerateOptions>& swe2d_keywords() {
  static const auto k = [] {
    Keywords<ds::Swe2dGenerateOptions> k("swe2d");
    FIELDLAB_KEYWORD(k, "layout", layout);
    FIELDLAB_KEYWORD(k, "trajectories", config.trajectories);
    FIELDLAB_KEYWORD(k, "resolution", resolution);
    FIELDLAB_KEYWORD(k, "length", length);
    FIELDLAB_KEYWORD(k, "frames", config.frames);
    FIELDLAB_KEYWORD(k, "dt_out", config.dt_out);
    FIELDLAB_KEYWORD(k, "gravity", config.solver.gravity);
    FIELDLAB_KEYWORD(k, "depth", config.solver.depth);
    FIELDLAB_KEYWORD(k, "f0", config.solver.f0);
    FIELDLAB_KEYWORD(k, "beta", config.solver.beta);
    FIELDLAB_KEYWORD(k, "viscosity", config.solver.viscosity);
    FIELDLAB_KEYWORD(k, "drag", config.solver.drag);
    FIELDLAB_KEYWORD(k, "initial_condition", initial);
    FIELDLAB_KEYWORD(k, "amplitude", config.amplitude);
    FIELDLAB_KEYWORD(k, "spectrum_alpha", config.spectrum_alpha);
    FIELDLAB_KEYWORD(k, "spectrum_tau", config.spectrum_tau);
    FIELDLAB_KEYWORD(k, "jet_speed", config.jet_speed);
    FIELDLAB_KEYWORD(k, "jet_mode", config.jet_mode);
    FIELDLAB_KEYWORD(k, "bump_width", config.bump_width);
    FIELDLAB_KEYWORD(k, "seed", config.seed);
    FIELDLAB_KEYWORD(k, "fields", config.fields);
    FIELDLAB_KEYWORD(k, "scheme", scheme);
    FIELDLAB_KEYWORD(k, "stepper", stepper);
    FIELDLAB_KEYWORD(k, "cfl", config.solver.cfl);
    FIELDLAB_KEYWORD(k, "dt", config.solver.dt);
    return k;
  }();
  return k;
}

const Keywords<ds::DamBreak2dGenerateOptions>& dambreak2d_keywords() {
  static const auto k = [] {
    Keywords<ds::DamBreak2dGenerateOptions> k("dambreak2d");
    FIELDLAB_KEYWORD(k, "layout", layout);
    FIELDLAB_KEYWORD(k, "samples", config.samples);
    FIELDLAB_KEYWORD(k, "resolution", resolution);
    FIELDLAB_KEYWORD(k, "half_width", half_width);
    FIELDLAB_KEYWORD(k, "frames", config.frames);
    FIELDLAB_KEYWORD(k, "t_end", config.t_end);
    FIELDLAB_KEYWORD(k, "gravity", config.solver.gravity);
    FIELDLAB_KEYWORD(k, "h_in", config.h_in);
    FIELDLAB_KEYWORD(k, "h_out", config.h_out);
    FIELDLAB_KEYWORD(k, "radius_min", config.radius_min);
    FIELDLAB_KEYWORD(k, "radius_max", config.radius_max);
    FIELDLAB_KEYWORD(k, "seed", config.seed);
    FIELDLAB_KEYWORD(k, "fields", config.fields);
    FIELDLAB_KEYWORD(k, "riemann", riemann);
    FIELDLAB_KEYWORD(k, "limiter", limiter);
    FIELDLAB_KEYWORD(k, "stepper", stepper);
    FIELDLAB_KEYWORD(k, "boundary", boundary);
    FIELDLAB_KEYWORD(k, "cfl", config.solver.cfl);
    return k;
  }();
  return k;
}

const char* const kPdes = "ns2d, smoke2d, swe2d, dambreak2d";

[[noreturn]] void unknown_pde(const std::string& pde) {
  throw py::type_error("generate: unknown pde '" + pde + "'; valid: " + kPdes);
}

py::dict generate_options(const std::string& pde) {
  if (pde == "ns2d") return ns2d_keywords().values({});
  if (pde == "smoke2d") return smoke2d_keywords().values({});
  if (pde == "swe2d") return swe2d_keywords().values({});
  if (pde == "dambreak2d") return dambreak2d_keywords().values({});
  unknown_pde(pde);
}

py::dict outcome_dict(const ds::GeneratedFile& file) {
  py::dict d;
  d["path"] = file.outcome.path;
  d["completed"] = file.outcome.completed;
  d["total"] = file.outcome.total;
  d["resumed_from"] = file.outcome.resumed_from;
  d["unit"] = file.unit;
  d["summary"] = file.summary;
  return d;
}

py::dict generate(const std::string& pde, const std::string& out, bool overwrite, bool resume,
                  int threads, const std::optional<std::string>& dtype,
                  const std::vector<std::pair<std::string, std::string>>& provenance,
                  const py::object& reporter, const py::kwargs& options) {
  if (pde != "ns2d" && pde != "smoke2d" && pde != "swe2d" && pde != "dambreak2d") unknown_pde(pde);
  if (out.empty()) raise_error("usage", "out must name a file, got ''");
  if (overwrite && resume) raise_error("usage", "overwrite and resume exclude each other");
  check_thread_count(threads, "threads");
  ds::GenerationRun run{out, threads > 0 ? threads : call_threads(), overwrite, resume};
  std::vector<io::Attribute> attributes;
  for (const auto& [name, value] : provenance) attributes.push_back({name, value});
  const std::string storage = dtype.value_or("float32");

  // The options are converted (TypeError for unknown or mistyped keywords) before the GIL is
  // released; the library call then runs without it.
  ds::GeneratedFile file;
  std::function<void(const StopToken&, ProgressSink*)> work;
  if (pde == "ns2d") {
    auto o = ns2d_keywords().apply({}, options);
    work = [=, &file](const StopToken& stop, ProgressSink* progress) {
      file = ds::generate_ns2d_file(o, run, storage, attributes, stop, progress);
    };
  } else if (pde == "smoke2d") {
    auto o = smoke2d_keywords().apply({}, options);
    work = [=, &file](const StopToken& stop, ProgressSink* progress) {
      file = ds::generate_smoke2d_file(o, run, dtype, attributes, stop, progress);
    };
  } else if (pde == "swe2d") {
    auto o = swe2d_keywords().apply({}, options);
    work = [=, &file](const StopToken& stop, ProgressSink* progress) {
      file = ds::generate_swe2d_file(o, run, storage, attributes, stop, progress);
    };
  } else {
    auto o = dambreak2d_keywords().apply({}, options);
    work = [=, &file](const StopToken& stop, ProgressSink* progress) {
      file = ds::generate_dambreak2d_file(o, run, storage, attributes, stop, progress);
    };
  }
  run_interruptible(work, reporter);
  return outcome_dict(file);
}

void bind_generate(py::module_& m) {
  m.def("_generate_options", &generate_options, py::arg("pde"),
        "{keyword: default} of `fieldlab generate PDE`'s options (the CLI's long option names "
        "with '-' -> '_', without the run options out, dtype, threads, overwrite, resume).");
  m.def("_generate", &generate, py::arg("pde"), py::arg("out"), py::arg("overwrite"),
        py::arg("resume"), py::arg("threads"), py::arg("dtype"), py::arg("provenance"),
        py::arg("reporter"),
        "Runs one generation (see fieldlab.generate, the public wrapper) and returns its outcome "
        "{path, completed, total, resumed_from, unit, summary}. KeyboardInterrupt stops it at the "
        "next trajectory, keeps OUT.partial resumable and is raised.");
}

}  // namespace

FIELDLAB_PYTHON_PART(generate, 30, bind_generate);

}  // namespace fieldlab::python
