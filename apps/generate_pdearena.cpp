#include "apps/generate_pdearena.hpp"

#include <fmt/format.h>

#include "apps/generate_support.hpp"

namespace fieldlab::apps {

void run_pdearena_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeArenaLayout& layout,
                             std::vector<io::Attribute> attributes, const std::string& label,
                             const SolvePdeArenaTrajectory& solve_one) {
  const std::string identity = generation_identity(command);
  auto writer = run.resume ? datasets::PdeArenaWriter::resume(run.out, layout, identity)
                           : datasets::PdeArenaWriter::create(
                                 run.out, layout, with_provenance(command, std::move(attributes)),
                                 identity, run.overwrite);
  solve_pending_units(run, writer, layout.trajectories, "trajectories", label, solve_one);
  if (!run.quiet)
    fmt::print("wrote {} (PDEArena layout, group /{}): {} trajectories x {} frames of {}x{}\n",
               run.out, layout.split, layout.trajectories, layout.frames, layout.nx, layout.ny);
}

}  // namespace fieldlab::apps
