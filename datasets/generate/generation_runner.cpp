#include "datasets/generate/generation_runner.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

TrajectoryWriter open_generation_output(const GenerationRun& run, const TrajectoryLayout& layout,
                                        const std::vector<Attribute>& attributes,
                                        const std::string& identity) {
  return run.resume
             ? TrajectoryWriter::resume(run.out, layout, identity)
             : TrajectoryWriter::create(run.out, layout, attributes, identity, run.overwrite);
}

PdeBenchWriter open_generation_output(const GenerationRun& run, const PdeBenchLayout& layout,
                                      const std::vector<Attribute>& attributes,
                                      const std::function<std::string(long long)>& sample_config,
                                      const std::string& identity) {
  return run.resume ? PdeBenchWriter::resume(run.out, layout, identity)
                    : PdeBenchWriter::create(run.out, layout, attributes, sample_config, identity,
                                             run.overwrite);
}

PdeArenaWriter open_generation_output(const GenerationRun& run, const PdeArenaLayout& layout,
                                      const std::vector<Attribute>& attributes,
                                      const std::string& identity) {
  return run.resume ? PdeArenaWriter::resume(run.out, layout, identity)
                    : PdeArenaWriter::create(run.out, layout, attributes, identity, run.overwrite);
}

GenerationOutcome run_generation(const GenerationRun& run, const TrajectoryLayout& layout,
                                 const std::vector<Attribute>& attributes,
                                 const std::string& identity, std::string_view label,
                                 const SolveTrajectory& solve_one, const StopToken& stop,
                                 ProgressSink* progress) {
  auto writer = open_generation_output(run, layout, attributes, identity);
  return solve_pending_units(writer, run, label, solve_one, stop, progress);
}

GenerationOutcome run_generation(const GenerationRun& run, const PdeBenchLayout& layout,
                                 const std::vector<Attribute>& attributes,
                                 const std::function<std::string(long long)>& sample_config,
                                 const std::string& identity, std::string_view label,
                                 const SolvePdeBenchSample& solve_one, const StopToken& stop,
                                 ProgressSink* progress) {
  auto writer = open_generation_output(run, layout, attributes, sample_config, identity);
  return solve_pending_units(writer, run, label, solve_one, stop, progress);
}

GenerationOutcome run_generation(const GenerationRun& run, const PdeArenaLayout& layout,
                                 const std::vector<Attribute>& attributes,
                                 const std::string& identity, std::string_view label,
                                 const SolvePdeArenaTrajectory& solve_one, const StopToken& stop,
                                 ProgressSink* progress) {
  auto writer = open_generation_output(run, layout, attributes, identity);
  return solve_pending_units(writer, run, label, solve_one, stop, progress);
}

}  // namespace fieldlab::datasets
