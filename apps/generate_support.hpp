#pragma once
// What every `fieldlab generate PDE` subcommand shares: the run options (--out, --dtype,
// --threads, --overwrite/--resume, --quiet, --config), the file's identity for --resume, and the
// create-or-resume / progress / interrupt / finish sequence around a per-trajectory solve.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "datasets/generate/ensemble.hpp"
#include "datasets/trajectory_writer.hpp"

namespace fieldlab::apps {

struct GenerateRunOptions {
  std::string out;
  std::string dtype = "float32";
  int threads = 0;
  bool overwrite = false;
  bool resume = false;
  bool quiet = false;
};

void add_generate_run_options(CLI::App* command, GenerateRunOptions& run);

// The effective configuration without the options that only steer the run (out, threads, ...):
// two runs with the same identity produce the same data.
std::string generation_identity(const CLI::App* command);

// The given attributes plus the provenance every output file carries: command line and the
// effective configuration.
std::vector<io::Attribute> with_provenance(const CLI::App* command,
                                                 std::vector<io::Attribute> attributes);

// Solves every pending unit (trajectory, sample) of a crash-safe writer -- the native
// TrajectoryWriter, PdeBenchWriter or PdeArenaWriter, which share pending(), completed_count(),
// working_path(), abandon() and finish() -- with progress and Ctrl-C handling, then finishes the
// file. A fresh run that fails removes its partial file; an interrupted one keeps it and exits
// 130 with a hint to --resume.
template <typename Writer, typename Solve>
void solve_pending_units(const GenerateRunOptions& run, Writer& writer, long long total,
                         const std::string& unit, const std::string& label, Solve&& solve_one) {
  const bool fresh = !run.resume;
  const auto pending = writer.pending();
  if (!run.quiet && !fresh)
    fmt::print(stderr, "resuming {}: {} of {} {} already done\n", writer.working_path(),
               writer.completed_count(), total, unit);
  install_interrupt_handler();
  datasets::EnsembleOutcome outcome;
  {
    TerminalProgress progress(run.quiet);
    progress.start(label, static_cast<long long>(pending.size()));
    try {
      outcome = datasets::run_ensemble(
          pending, run.threads, [&](long long index) { return solve_one(index, writer); },
          &progress);
    } catch (...) {
      progress.finish();
      if (fresh) writer.abandon();
      throw;
    }
  }
  if (outcome == datasets::EnsembleOutcome::interrupted) {
    fmt::print(stderr, "interrupted: {} of {} {} saved in {}; rerun with --resume\n",
               writer.completed_count(), total, unit, writer.working_path());
    std::exit(130);
  }
  writer.finish({{"resumed", static_cast<long long>(!fresh)}});
}

// solve_one(index, writer) solves trajectory `index`, streams it to the writer, marks it complete
// and returns true; false if it stopped early on an interrupt request.
using SolveTrajectory = std::function<bool(long long, datasets::TrajectoryWriter&)>;

// Creates (or with --resume reopens) the output, solves every pending trajectory in parallel with
// progress, and renames the finished file into place. A fresh run that fails removes its partial
// file; an interrupted one keeps it and exits 130 with a hint to --resume.
void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const datasets::TrajectoryLayout& layout,
                    std::vector<io::Attribute> attributes, const std::string& label,
                    const SolveTrajectory& solve_one);

}  // namespace fieldlab::apps
