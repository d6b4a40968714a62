#pragma once
// What every `fieldlab generate PDE` subcommand shares: the run options (--out, --dtype,
// --threads, --overwrite/--resume, --quiet, --config), the provenance attributes, and the CLI's
// side of a generation run: Ctrl-C handling, the progress bar and the messages around the
// library's generate_*_file (datasets/generate/generate_files.hpp), which does the work.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/interrupt.hpp"
#include "core/progress.hpp"
#include "datasets/generate/generate_files.hpp"

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

// Runs one library generation (datasets/generate/generate_files.hpp) the CLI's way: Ctrl-C
// requests the stop, a terminal progress bar, "resuming ..." when resuming, the summary line when
// done; when interrupted, prints how much is saved and the hint to rerun with --resume, then
// throws Interrupted (exit 130). `generate(provenance, stop, progress, opened)` makes the call.
using GenerateCall =
    std::function<datasets::GeneratedFile(std::vector<io::Attribute>, const StopToken&,
                                          ProgressSink*, const datasets::GenerationOpened&)>;
void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const GenerateCall& generate);

}  // namespace fieldlab::apps
