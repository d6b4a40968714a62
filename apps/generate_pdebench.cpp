#include "apps/generate_pdebench.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "apps/cli_support.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "datasets/ensemble.hpp"

namespace fieldlab::apps {

void run_pdebench_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeBenchLayout& layout,
                             std::vector<datasets::Attribute> attributes,
                             const std::function<std::string(long long)>& sample_config,
                             const std::string& label, const SolveSample& solve_one) {
  attributes.push_back({"command_line", command_line()});
  attributes.push_back({"config", effective_config_yaml(command)});
  const std::string identity = generation_identity(command);
  const bool fresh = !run.resume;
  auto writer = fresh ? datasets::PdeBenchWriter::create(run.out, layout, attributes, sample_config,
                                                         identity, run.overwrite)
                      : datasets::PdeBenchWriter::resume(run.out, layout, identity);
  const auto pending = writer.pending();
  if (!run.quiet && !fresh)
    fmt::print(stderr, "resuming {}: {} of {} samples already done\n", writer.working_path(),
               writer.completed_count(), layout.samples);
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
    fmt::print(stderr, "interrupted: {} of {} samples saved in {}; rerun with --resume\n",
               writer.completed_count(), layout.samples, writer.working_path());
    std::exit(130);
  }
  writer.finish({{"resumed", static_cast<long long>(!fresh)}});
  if (!run.quiet)
    fmt::print("wrote {} (PDEBench layout): {} samples x {} frames of {}x{} ({})\n", run.out,
               layout.samples, layout.frames, layout.nx, layout.ny,
               fmt::join(layout.channels, ", "));
}

}  // namespace fieldlab::apps
