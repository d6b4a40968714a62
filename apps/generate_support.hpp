#pragma once
// What every `fieldlab generate PDE` subcommand shares: the run options (--out, --dtype,
// --threads, --overwrite/--resume, --quiet, --config), the file's identity for --resume, and the
// create-or-resume / progress / interrupt / finish sequence around a per-trajectory solve.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

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

// solve_one(index, writer) solves trajectory `index`, streams it to the writer, marks it complete
// and returns true; false if it stopped early on an interrupt request.
using SolveTrajectory = std::function<bool(long long, datasets::TrajectoryWriter&)>;

// Creates (or with --resume reopens) the output, solves every pending trajectory in parallel with
// progress, and renames the finished file into place. A fresh run that fails removes its partial
// file; an interrupted one keeps it and exits 130 with a hint to --resume.
void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const datasets::TrajectoryLayout& layout,
                    std::vector<datasets::Attribute> attributes, const std::string& label,
                    const SolveTrajectory& solve_one);

}  // namespace fieldlab::apps
