#include "apps/generate_support.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "apps/cli_support.hpp"

namespace fieldlab::apps {

void add_generate_run_options(CLI::App* cmd, GenerateRunOptions& run) {
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--out", run.out, "output HDF5 file")->required();
  cmd->add_option("--dtype", run.dtype, "storage type of fields")
      ->check(CLI::IsMember({"float32", "float64"}));
  add_threads_option(cmd, run.threads);
  auto* overwrite = cmd->add_flag("--overwrite", run.overwrite, "replace an existing output file");
  cmd->add_flag("--resume", run.resume, "complete an interrupted run (same options)")
      ->excludes(overwrite);
  add_quiet_flag(cmd, run.quiet);
  add_config_option(cmd);
}

std::vector<io::Attribute> with_provenance(const CLI::App* command,
                                           std::vector<io::Attribute> attributes) {
  attributes.push_back({"command_line", command_line()});
  attributes.push_back({"config", effective_config_yaml(command)});
  return attributes;
}

void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const datasets::TrajectoryLayout& layout, std::vector<io::Attribute> attributes,
                    const std::string& identity, const std::string& label,
                    const datasets::SolveTrajectory& solve_one) {
  auto writer = datasets::open_generation_output(
      run.generation_run(), layout, with_provenance(command, std::move(attributes)), identity);
  solve_pending_units(run, writer, "trajectories", label, solve_one);
  if (!run.quiet)
    fmt::print("wrote {}: {} trajectories x {} frames of {}x{} ({})\n", run.out,
               layout.trajectories, layout.frames, layout.nx, layout.ny,
               fmt::join(layout.fields, ", "));
}

void run_pdebench_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeBenchLayout& layout,
                             std::vector<io::Attribute> attributes,
                             const std::function<std::string(long long)>& sample_config,
                             const std::string& identity, const std::string& label,
                             const datasets::SolvePdeBenchSample& solve_one) {
  auto writer = datasets::open_generation_output(run.generation_run(), layout,
                                                 with_provenance(command, std::move(attributes)),
                                                 sample_config, identity);
  solve_pending_units(run, writer, "samples", label, solve_one);
  if (!run.quiet)
    fmt::print("wrote {} (PDEBench layout): {} samples x {} frames of {}x{} ({})\n", run.out,
               layout.samples, layout.frames, layout.nx, layout.ny,
               fmt::join(layout.channels, ", "));
}

void run_pdearena_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeArenaLayout& layout,
                             std::vector<io::Attribute> attributes, const std::string& identity,
                             const std::string& label,
                             const datasets::SolvePdeArenaTrajectory& solve_one) {
  auto writer = datasets::open_generation_output(
      run.generation_run(), layout, with_provenance(command, std::move(attributes)), identity);
  solve_pending_units(run, writer, "trajectories", label, solve_one);
  if (!run.quiet)
    fmt::print("wrote {} (PDEArena layout, group /{}): {} trajectories x {} frames of {}x{}\n",
               run.out, layout.split, layout.trajectories, layout.frames, layout.nx, layout.ny);
}

}  // namespace fieldlab::apps
