#pragma once
// The PDEArena-layout sibling of run_generation (generate_support.hpp): the same create/resume,
// progress, interrupt and finish sequence around a per-trajectory solve, writing through
// datasets::PdeArenaWriter instead of the native TrajectoryWriter.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "apps/generate_support.hpp"
#include "datasets/pdearena_writer.hpp"

namespace fieldlab::apps {

using SolvePdeArenaTrajectory = std::function<bool(long long, datasets::PdeArenaWriter&)>;

void run_pdearena_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeArenaLayout& layout,
                             std::vector<io::Attribute> attributes, const std::string& label,
                             const SolvePdeArenaTrajectory& solve_one);

}  // namespace fieldlab::apps
