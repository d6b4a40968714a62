#include "apps/generate_pdebench.hpp"

#include <fmt/format.h>

#include "apps/generate_support.hpp"

namespace fieldlab::apps {

void run_pdebench_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeBenchLayout& layout,
                             std::vector<io::Attribute> attributes,
                             const std::function<std::string(long long)>& sample_config,
                             const std::string& label, const SolveSample& solve_one) {
  const std::string identity = generation_identity(command);
  auto writer = run.resume ? datasets::PdeBenchWriter::resume(run.out, layout, identity)
                           : datasets::PdeBenchWriter::create(
                                 run.out, layout, with_provenance(command, std::move(attributes)),
                                 sample_config, identity, run.overwrite);
  solve_pending_units(run, writer, layout.samples, "samples", label, solve_one);
  if (!run.quiet)
    fmt::print("wrote {} (PDEBench layout): {} samples x {} frames of {}x{} ({})\n", run.out,
               layout.samples, layout.frames, layout.nx, layout.ny,
               fmt::join(layout.channels, ", "));
}

}  // namespace fieldlab::apps
