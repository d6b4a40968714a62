#pragma once
// The generation runner: create (or resume) a crash-safe output file, solve every pending unit
// (trajectory or sample) in parallel, and finish the file -- the sequence behind every
// `fieldlab generate PDE`, as library API for the CLI and for bindings.
//
//   open     run.resume ? reopen PATH.partial (its identity must equal `identity`, see
//            datasets/generation_identity.hpp) : create PATH.partial with the attributes;
//   solve    run_ensemble over the pending units, progress through `progress` (one phase named
//            `label`, one unit per finished trajectory), polling `stop` between units and frames;
//   finish   every unit done: the file is marked complete and renamed to PATH;
//   stopped  `stop` was requested: every finished unit is saved and marked in PATH.partial, which
//            a later run with resume = true completes; the outcome says how far it got;
//   failure  an exception from a unit propagates; a fresh run first deletes its partial file
//            (nothing half-written remains), a resumed one keeps it (its finished units stand).
//            A failed write (io error: a full disk) keeps PATH.partial whenever it holds finished
//            units, fresh run or not, and the error says to --resume.
//
// Nothing here installs a signal handler, prints or exits: the caller decides what requests the
// stop (the CLI's Ctrl-C handler, Python's KeyboardInterrupt, another thread) and what to say.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "datasets/generate/ensemble.hpp"
#include "datasets/pdearena_writer.hpp"
#include "datasets/pdebench_writer.hpp"
#include "datasets/trajectory_writer.hpp"

namespace fieldlab::datasets {

// How a generation runs, as opposed to what it generates: none of these change the data, so none
// enters the identity.
struct GenerationRun {
  std::string out;         // the finished file; PATH.partial while unfinished
  int threads = 0;         // 0: all cores
  bool overwrite = false;  // replace an existing PATH or PATH.partial
  bool resume = false;     // complete an unfinished PATH.partial instead of starting one
};

enum class GenerationStatus { finished, interrupted };

struct GenerationOutcome {
  GenerationStatus status = GenerationStatus::finished;
  long long completed = 0;     // units complete in the file
  long long total = 0;         // units the file holds
  long long resumed_from = 0;  // units already complete when this run started (0: fresh)
  std::string path;            // the finished file
  std::string working_path;    // PATH.partial, which holds an interrupted run's finished units
  bool finished() const { return status == GenerationStatus::finished; }
};

// solve_one(index, writer, stop) solves unit `index`, streams it to the writer, marks it complete
// and returns true; false if `stop` was requested part way (the unit is left unmarked).
using SolveTrajectory = std::function<bool(long long, TrajectoryWriter&, const StopToken&)>;
using SolvePdeBenchSample = std::function<bool(long long, PdeBenchWriter&, const StopToken&)>;
using SolvePdeArenaTrajectory = std::function<bool(long long, PdeArenaWriter&, const StopToken&)>;

// The open step alone (create or resume), for callers that report a resume before solving.
TrajectoryWriter open_generation_output(const GenerationRun& run, const TrajectoryLayout& layout,
                                        const std::vector<io::Attribute>& attributes,
                                        const std::string& identity);
PdeBenchWriter open_generation_output(const GenerationRun& run, const PdeBenchLayout& layout,
                                      const std::vector<io::Attribute>& attributes,
                                      const std::function<std::string(long long)>& sample_config,
                                      const std::string& identity);
PdeArenaWriter open_generation_output(const GenerationRun& run, const PdeArenaLayout& layout,
                                      const std::vector<io::Attribute>& attributes,
                                      const std::string& identity);

// The solve and finish steps on an opened writer (any of the three: they share pending(),
// completed_count(), path(), working_path(), abandon() and finish()).
template <typename Writer, typename Solve>
GenerationOutcome solve_pending_units(Writer& writer, const GenerationRun& run,
                                      std::string_view label, Solve&& solve_one,
                                      const StopToken& stop, ProgressSink* progress) {
  const bool fresh = !run.resume;
  const auto pending = writer.pending();
  GenerationOutcome outcome;
  outcome.resumed_from = fresh ? 0 : writer.completed_count();
  outcome.total = writer.completed_count() + static_cast<long long>(pending.size());
  outcome.path = writer.path();
  outcome.working_path = writer.working_path();
  EnsembleOutcome result;
  try {
    ProgressPhase phase(progress, label, static_cast<long long>(pending.size()));
    result = run_ensemble(
        pending, run.threads, [&](long long index) { return solve_one(index, writer, stop); },
        progress, stop);
  } catch (const Error& e) {
    // A failed write (a full disk, a failing device) says nothing against the finished units:
    // they stay in PATH.partial for --resume, and the message says so. Any other failure of a
    // fresh run leaves nothing.
    const long long kept = writer.completed_count();
    if (e.kind() == ErrorKind::io && kept > 0)
      fail(ErrorKind::io, "{}; '{}' keeps {} of {} finished: rerun with --resume to complete it",
           e.what(), writer.working_path(), kept, outcome.total);
    if (fresh) writer.abandon();
    throw;
  } catch (...) {
    if (fresh) writer.abandon();
    throw;
  }
  outcome.completed = writer.completed_count();
  if (result == EnsembleOutcome::interrupted) {
    outcome.status = GenerationStatus::interrupted;
    return outcome;
  }
  writer.finish({{"resumed", static_cast<long long>(!fresh)}});
  return outcome;
}

// open + solve + finish in one call.
GenerationOutcome run_generation(const GenerationRun& run, const TrajectoryLayout& layout,
                                 const std::vector<io::Attribute>& attributes,
                                 const std::string& identity, std::string_view label,
                                 const SolveTrajectory& solve_one, const StopToken& stop,
                                 ProgressSink* progress);
GenerationOutcome run_generation(const GenerationRun& run, const PdeBenchLayout& layout,
                                 const std::vector<io::Attribute>& attributes,
                                 const std::function<std::string(long long)>& sample_config,
                                 const std::string& identity, std::string_view label,
                                 const SolvePdeBenchSample& solve_one, const StopToken& stop,
                                 ProgressSink* progress);
GenerationOutcome run_generation(const GenerationRun& run, const PdeArenaLayout& layout,
                                 const std::vector<io::Attribute>& attributes,
                                 const std::string& identity, std::string_view label,
                                 const SolvePdeArenaTrajectory& solve_one, const StopToken& stop,
                                 ProgressSink* progress);

}  // namespace fieldlab::datasets
