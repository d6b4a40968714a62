#pragma once
// One call per PDE that turns the options of `fieldlab generate PDE` into a finished (or, when
// stopped, resumable) dataset file: the option structs with the CLI's defaults, their resolution
// into the ensemble configs (strings into enums, resolution / solve resolution, ranges), the
// checks (validate, then the memory estimate, both before any file is created), the layout
// choice, and the open / solve / finish sequence of generation_runner.hpp. The CLI
// (apps/cmd_generate*.cpp) and the Python bindings (fieldlab.generate) both call these, so the
// two cannot drift: the same options give the same bytes in every dataset.
//
// What stays with the caller: the provenance attributes (`provenance`, appended to the PDE's own,
// e.g. the CLI's command_line and config), what requests the stop, where progress goes, and what
// to say (the CLI prints `resuming ...` from `opened`, then `summary` or its interrupted line).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "datasets/generate/dambreak2d_ensemble.hpp"
#include "datasets/generate/generation_runner.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"
#include "datasets/generate/swe2d_ensemble.hpp"

namespace fieldlab::datasets {

// The options of `fieldlab generate ns2d` (its long option names, '-' -> '_', are the members
// of `config` and of this struct that the CLI binds).
struct Ns2dGenerateOptions {
  Ns2dEnsembleConfig config;
  std::string stepper = "rk4", forcing = "fno", initial_condition = "grf";
  int diffusion_order = 2;
  int solve_resolution = 0;  // 0: resolution
  int resolution = 64;       // grid points per side written to the file
};

// `fieldlab generate smoke2d`.
struct Smoke2dGenerateOptions {
  Smoke2dConfig config;
  std::string advection = "semi-lagrangian";
  std::vector<double> buoyancy_range;  // empty: fixed buoyancy; else MIN, MAX
  std::string layout = "native";       // native | pdearena
  std::string split = "train";         // PDEArena split group
};

// `fieldlab generate dambreak2d`.
struct DamBreak2dGenerateOptions {
  DamBreak2dConfig config;
  int resolution = 128;
  double half_width = 2.5;
  std::string riemann = "hllc", limiter = "mc", stepper = "hancock", boundary = "transmissive";
  std::string layout = "native";  // native | pdebench
};

// `fieldlab generate swe2d`.
struct Swe2dGenerateOptions {
  Swe2dConfig config;
  int resolution = 64;
  double length = 1.0;
  std::string stepper = "rk4", scheme = "energy", initial = "balanced", layout = "native";
};

// The options resolved into the ensemble configuration and validated (usage errors with the
// CLI's option names, e.g. "--diffusion-order must be 2 or 4 (got 3)").
Ns2dEnsembleConfig resolve_ns2d(const Ns2dGenerateOptions& options);
Smoke2dConfig resolve_smoke2d(const Smoke2dGenerateOptions& options);
DamBreak2dConfig resolve_dambreak2d(const DamBreak2dGenerateOptions& options);
Swe2dConfig resolve_swe2d(const Swe2dGenerateOptions& options);

struct GeneratedFile {
  GenerationOutcome outcome;
  std::string unit;     // "trajectories" or "samples"
  std::string summary;  // "wrote PATH: 8 trajectories x 20 frames of 64x64 (vorticity)"
};

// Called once the output is opened (created, or reopened to resume), before any unit is solved,
// with the file so far: unit, outcome.working_path, outcome.completed (units complete in it) and
// outcome.total (units it holds).
using GenerationOpened = std::function<void(const GeneratedFile& opened)>;

// Resolves and checks the options, checks the memory (threads as run.threads), opens the output
// (create or resume), solves every pending unit and finishes the file. `dtype` is the storage
// type ("float32" | "float64"); for smoke2d unset means the layout's own (float32 native,
// float64 PDEArena). An interrupted run returns with outcome.status interrupted (the partial
// file keeps every finished unit); errors propagate as generation_runner.hpp says.
GeneratedFile generate_ns2d_file(const Ns2dGenerateOptions& options, const GenerationRun& run,
                                 const std::string& dtype, std::vector<io::Attribute> provenance,
                                 const StopToken& stop, ProgressSink* progress,
                                 const GenerationOpened& opened = {});
GeneratedFile generate_smoke2d_file(const Smoke2dGenerateOptions& options, const GenerationRun& run,
                                    const std::optional<std::string>& dtype,
                                    std::vector<io::Attribute> provenance, const StopToken& stop,
                                    ProgressSink* progress, const GenerationOpened& opened = {});
GeneratedFile generate_dambreak2d_file(const DamBreak2dGenerateOptions& options,
                                       const GenerationRun& run, const std::string& dtype,
                                       std::vector<io::Attribute> provenance, const StopToken& stop,
                                       ProgressSink* progress, const GenerationOpened& opened = {});
GeneratedFile generate_swe2d_file(const Swe2dGenerateOptions& options, const GenerationRun& run,
                                  const std::string& dtype, std::vector<io::Attribute> provenance,
                                  const StopToken& stop, ProgressSink* progress,
                                  const GenerationOpened& opened = {});

}  // namespace fieldlab::datasets
