#pragma once
// What every `fieldlab generate PDE` subcommand shares: the run options (--out, --dtype,
// --threads, --overwrite/--resume, --quiet, --config), the provenance attributes, and the CLI's
// side of a generation run: Ctrl-C handling, the progress bar and the messages around the
// library's runner (datasets/generation_runner.hpp), which does the work.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "apps/interrupt.hpp"
#include "core/progress.hpp"
#include "datasets/generate/generation_runner.hpp"

namespace fieldlab::apps {

struct GenerateRunOptions {
  std::string out;
  std::string dtype = "float32";
  int threads = 0;
  bool overwrite = false;
  bool resume = false;
  bool quiet = false;

  datasets::GenerationRun generation_run() const { return {out, threads, overwrite, resume}; }
};

void add_generate_run_options(CLI::App* command, GenerateRunOptions& run);

// The given attributes plus the provenance every output file carries: command line and the
// effective configuration.
std::vector<io::Attribute> with_provenance(const CLI::App* command,
                                           std::vector<io::Attribute> attributes);

// Solves every pending unit of an opened writer through the library's runner, with a terminal
// progress bar and Ctrl-C requesting a stop. Says so when resuming; when interrupted, prints how
// much is saved and the hint to rerun with --resume, then throws Interrupted (exit 130).
template <typename Writer, typename Solve>
void solve_pending_units(const GenerateRunOptions& run, Writer& writer, std::string_view unit,
                         std::string_view label, Solve&& solve_one) {
  if (!run.quiet && run.resume)
    fmt::print(stderr, "resuming {}: {} of {} {} already done\n", writer.working_path(),
               writer.completed_count(),
               writer.completed_count() + static_cast<long long>(writer.pending().size()), unit);
  datasets::GenerationOutcome outcome;
  {
    InterruptScope interrupt;
    TerminalProgress progress(run.quiet);
    outcome = datasets::solve_pending_units(writer, run.generation_run(), label, solve_one,
                                            interrupt.token(), &progress);
  }
  if (!outcome.finished()) {
    fmt::print(stderr, "interrupted: {} of {} {} saved in {}; rerun with --resume\n",
               outcome.completed, outcome.total, unit, outcome.working_path);
    throw Interrupted{};
  }
}

// Creates (or with --resume reopens) a native-layout output, solves every pending trajectory and
// renames the finished file into place (see solve_pending_units above for the CLI's part).
void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const datasets::TrajectoryLayout& layout, std::vector<io::Attribute> attributes,
                    const std::string& identity, const std::string& label,
                    const datasets::SolveTrajectory& solve_one);

// The same in PDEBench's per-sample layout ...
void run_pdebench_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeBenchLayout& layout,
                             std::vector<io::Attribute> attributes,
                             const std::function<std::string(long long)>& sample_config,
                             const std::string& identity, const std::string& label,
                             const datasets::SolvePdeBenchSample& solve_one);

// ... and in PDEArena's layout.
void run_pdearena_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeArenaLayout& layout,
                             std::vector<io::Attribute> attributes, const std::string& identity,
                             const std::string& label,
                             const datasets::SolvePdeArenaTrajectory& solve_one);

}  // namespace fieldlab::apps
