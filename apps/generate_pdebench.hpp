#pragma once
// The PDEBench-layout sibling of run_generation (generate_support.hpp): create or resume a
// PdeBenchWriter, solve every pending sample in parallel with progress and interrupt handling,
// and rename the finished file into place.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "apps/generate_support.hpp"
#include "datasets/pdebench_writer.hpp"

namespace fieldlab::apps {

using SolveSample = std::function<bool(long long, datasets::PdeBenchWriter&)>;

void run_pdebench_generation(const CLI::App* command, const GenerateRunOptions& run,
                             const datasets::PdeBenchLayout& layout,
                             std::vector<io::Attribute> attributes,
                             const std::function<std::string(long long)>& sample_config,
                             const std::string& label, const SolveSample& solve_one);

}  // namespace fieldlab::apps
