#include "apps/generate_pdearena.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "apps/cli_support.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "datasets/ensemble.hpp"

namespace fieldlab::apps {

void run_pdearena_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeArenaLayout& layout,
                             std::vector<datasets::Attribute> attributes, const std::string& label,
                             const SolvePdeArenaTrajectory& solve_one) {
  attributes.push_back({"command_line", command_line()});
  attributes.push_back({"config", effective_config_yaml(command)});
  const std::string identity = generation_identity(command);
  const bool fresh = !run.resume;
  auto writer =
      fresh ? datasets::PdeArenaWriter::create(run.out, layout, attributes, identity, run.overwrite)
            : datasets::PdeArenaWriter::resume(run.out, layout, identity);
  const auto pending = writer.pending();
  if (!run.quiet && !fresh)
    fmt::print(stderr, "resuming {}: {} of {} trajectories already done\n", writer.working_path(),
               writer.completed_count(), layout.trajectories);
  install_interrupt_handler();
  datasets::EnsembleOutcome outcome;
  {
    Progress progress(label, static_cast<long long>(pending.size()), run.quiet);
    try {
      outcome = datasets::run_ensemble(
          pending, run.threads, [&](long long index) { return solve_one(index, writer); },
          &progress);
    } catch (...) {
      progress.finish();
      if (fresh) writer.abandon();  // a failed fresh run leaves nothing behind
      throw;
    }
  }
  if (outcome == datasets::EnsembleOutcome::interrupted) {
    fmt::print(stderr, "interrupted: {} of {} trajectories saved in {}; rerun with --resume\n",
               writer.completed_count(), layout.trajectories, writer.working_path());
    std::exit(130);
  }
  writer.finish({{"resumed", static_cast<long long>(!fresh)}});
  if (!run.quiet)
    fmt::print("wrote {} (PDEArena layout, group /{}): {} trajectories x {} frames of {}x{}\n",
               run.out, layout.split, layout.trajectories, layout.frames, layout.nx, layout.ny);
}

}  // namespace fieldlab::apps
