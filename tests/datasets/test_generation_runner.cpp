// The generation runner as library API (datasets/generation_runner.hpp): it installs no signal
// handler, stops on its StopToken with every finished trajectory saved, resumes to the file an
// uninterrupted run writes, and a later run with a fresh StopSource is not stopped by an earlier
// request; the run identity comes from the config and refuses a changed run naming the change.

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "datasets/generate/dambreak2d_ensemble.hpp"
#include "datasets/generate/generation_runner.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"
#include "datasets/generate/swe2d_ensemble.hpp"
#include "datasets/trajectory_reader.hpp"
#include "support/temp_paths.hpp"
#include "support/trajectory_values.hpp"

using namespace fieldlab;
using namespace fieldlab::datasets;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

Ns2dEnsembleConfig runner_config() {
  Ns2dEnsembleConfig c;
  c.solver.resolution = 16;
  c.trajectories = 5;
  c.frames = 4;
  c.dt_out = 0.25;
  c.seed = 5;
  c.fields = {"vorticity", "u"};
  return c;
}

// Counts progress calls, to check the runner reports through the sink it is given.
struct RecordingSink final : ProgressSink {
  long long started_total = -1, advanced = 0, finished = 0;
  void start(std::string_view, long long total) override { started_total = total; }
  void advance(long long units, std::string_view) override { advanced += units; }
  void finish() override { ++finished; }
};

GenerationOutcome run_ns2d(const Ns2dEnsembleConfig& c, const GenerationRun& run,
                           const StopToken& stop, ProgressSink* progress,
                           const std::function<void(long long)>& after_unit = {}) {
  return run_generation(
      run, ns2d_layout(c, StorageType::float64), ns2d_attributes(c),
      ns2d_identity(c, StorageType::float64), "ns2d",
      [&](long long index, TrajectoryWriter& writer, const StopToken& token) {
        const bool done = solve_ns2d_trajectory(c, index, writer, token);
        if (done && after_unit) after_unit(index);
        return done;
      },
      stop, progress);
}

bool same_handler(const struct sigaction& a, const struct sigaction& b) {
  return a.sa_handler == b.sa_handler && a.sa_flags == b.sa_flags;
}

}  // namespace

TEST_CASE("a library generation run installs no signal handler and reports through its sink") {
  struct sigaction int_before {
  }, term_before{}, int_after{}, term_after{};
  sigaction(SIGINT, nullptr, &int_before);
  sigaction(SIGTERM, nullptr, &term_before);
  const auto c = runner_config();
  GenerationRun run;
  run.out = fieldlab::test::temp_path("runner_handlers.h5");
  run.threads = 2;
  RecordingSink sink;
  StopSource source;
  const auto outcome = run_ns2d(c, run, source.token(), &sink);
  sigaction(SIGINT, nullptr, &int_after);
  sigaction(SIGTERM, nullptr, &term_after);
  CHECK(same_handler(int_before, int_after));
  CHECK(same_handler(term_before, term_after));
  CHECK(outcome.finished());
  CHECK(outcome.completed == 5);
  CHECK(outcome.total == 5);
  CHECK(outcome.resumed_from == 0);
  CHECK(sink.started_total == 5);
  CHECK(sink.advanced == 5);
  CHECK(sink.finished == 1);
  CHECK(fs::exists(run.out));
  CHECK(!fs::exists(run.out + ".partial"));
}

TEST_CASE("a stop requested mid-run saves finished trajectories; resume reproduces the file") {
  const auto c = runner_config();
  GenerationRun full;
  full.out = fieldlab::test::temp_path("runner_full.h5");
  full.threads = 1;
  REQUIRE(run_ns2d(c, full, StopToken(), nullptr).finished());
  const auto expected = fieldlab::test::all_values(full.out);

  GenerationRun run;
  run.out = fieldlab::test::temp_path("runner_stopped.h5");
  run.threads = 1;  // units one after another: the stop lands after exactly two of them
  StopSource source;
  long long finished_units = 0;
  const auto stopped = run_ns2d(c, run, source.token(), nullptr, [&](long long) {
    if (++finished_units == 2) source.request_stop();
  });
  CHECK(stopped.status == GenerationStatus::interrupted);
  CHECK(stopped.completed == 2);
  CHECK(stopped.total == 5);
  CHECK(stopped.working_path == run.out + ".partial");
  CHECK(fs::exists(stopped.working_path));
  CHECK(!fs::exists(run.out));

  // A second run in the same process with a fresh source is not stopped by the first request.
  run.resume = true;
  run.threads = 2;
  StopSource fresh;
  const auto resumed = run_ns2d(c, run, fresh.token(), nullptr);
  CHECK(resumed.finished());
  CHECK(resumed.resumed_from == 2);
  CHECK(resumed.completed == 5);
  CHECK(fieldlab::test::all_values(run.out) ==
        expected);  // bit-identical: determinism is the point

  // And a fresh run after that, too.
  GenerationRun again;
  again.out = fieldlab::test::temp_path("runner_again.h5");
  StopSource third;
  CHECK(run_ns2d(c, again, third.token(), nullptr).finished());
  CHECK(fieldlab::test::all_values(again.out) == expected);
}

TEST_CASE("a stop requested before the run solves nothing and keeps an empty partial file") {
  const auto c = runner_config();
  GenerationRun run;
  run.out = fieldlab::test::temp_path("runner_prestopped.h5");
  StopSource source;
  source.request_stop();
  const auto outcome = run_ns2d(c, run, source.token(), nullptr);
  CHECK(outcome.status == GenerationStatus::interrupted);
  CHECK(outcome.completed == 0);
  CHECK(fs::exists(run.out + ".partial"));
}

TEST_CASE("a fresh run that fails removes its partial file; a resumed one keeps it") {
  const auto c = runner_config();
  GenerationRun run;
  run.out = fieldlab::test::temp_path("runner_failing.h5");
  run.threads = 1;
  auto failing = [&](long long fail_at) {
    return run_generation(
        run, ns2d_layout(c, StorageType::float64), ns2d_attributes(c),
        ns2d_identity(c, StorageType::float64), "ns2d",
        [&](long long index, TrajectoryWriter& writer, const StopToken& token) {
          if (index == fail_at) fail(ErrorKind::numerical, "trajectory {} blew up", index);
          return solve_ns2d_trajectory(c, index, writer, token);
        },
        StopToken(), nullptr);
  };
  CHECK_THROWS_WITH_AS(failing(3), doctest::Contains("blew up"), Error);
  CHECK(!fs::exists(run.out + ".partial"));
  CHECK(!fs::exists(run.out));

  StopSource source;
  long long units = 0;
  REQUIRE(run_ns2d(c, run, source.token(), nullptr, [&](long long) {
            if (++units == 1) source.request_stop();
          }).status == GenerationStatus::interrupted);
  run.resume = true;
  CHECK_THROWS_AS(failing(3), Error);
  CHECK(fs::exists(run.out + ".partial"));  // the finished trajectory stands
}

TEST_CASE("ns2d run identity is built from the config and is the text earlier versions stored") {
  const Ns2dEnsembleConfig defaults;
  // `fieldlab generate ns2d` with defaults (0.x baseline) stores exactly this text.
  const std::string expected =
      "dtype: float32\ntrajectories: 8\nresolution: 64\nsolve-resolution: 0\nframes: 20\n"
      "dt-out: 1\nviscosity: 0.001\ndrag: 0\nlength: 1\nseed: 0\nfields: vorticity\n"
      "forcing: fno\nforcing-amplitude: 0.1\nforcing-wavenumber: 4\ninitial-condition: grf\n"
      "grf-alpha: 2.5\ngrf-tau: 7\ngrf-sigma: -1\nshear-rho: 42\nshear-delta: 0.05\n"
      "stepper: rk4\ncfl: 0.5\ndt: 0\nrtol: 1e-06\natol: 1e-08\ndiffusion-order: 2\n";
  CHECK(ns2d_identity(defaults, StorageType::float32) == expected);

  // Every data-determining change shows; shortest round-trip doubles keep close values apart.
  auto c = defaults;
  c.solver.viscosity = 0.0012345678901;
  const std::string changed = ns2d_identity(c, StorageType::float32);
  CHECK(changed.find("viscosity: 0.0012345678901\n") != std::string::npos);
  c.solver.viscosity = 0.0012345678902;
  CHECK(ns2d_identity(c, StorageType::float32) != changed);
  CHECK(ns2d_identity(defaults, StorageType::float64) != expected);
  auto solved_finer = defaults;
  solved_finer.solver.resolution = 128;
  solved_finer.output_resolution = 64;
  CHECK(ns2d_identity(solved_finer, StorageType::float32).find("solve-resolution: 128\n") !=
        std::string::npos);
}

TEST_CASE("resuming with a changed config is refused, naming what changed") {
  auto c = runner_config();
  GenerationRun run;
  run.out = fieldlab::test::temp_path("runner_changed.h5");
  StopSource source;
  source.request_stop();
  REQUIRE(run_ns2d(c, run, source.token(), nullptr).status == GenerationStatus::interrupted);
  run.resume = true;
  c.dt_out = 0.5;
  c.seed = 6;
  CHECK_THROWS_WITH_AS(run_ns2d(c, run, StopToken(), nullptr),
                       doctest::Contains("dt-out was 0.25, now 0.5; seed was 5, now 6"), Error);
  // Threads are not part of the identity: the original config resumes with any thread count.
  c = runner_config();
  run.threads = 3;
  CHECK(run_ns2d(c, run, StopToken(), nullptr).finished());
}

TEST_CASE("smoke2d, dambreak2d and swe2d identities are the texts earlier versions stored") {
  // Texts stored by the 0.x baseline for `generate smoke2d --trajectories 1 --resolution 16
  // --steps 12 [--layout pdearena]`, `generate dambreak2d --samples 1 --resolution 16 --frames 3`
  // and `generate swe2d --trajectories 1 --resolution 16 --frames 3`.
  Smoke2dConfig smoke;
  smoke.trajectories = 1;
  smoke.resolution = 16;
  smoke.steps = 12;
  const std::string smoke_text =
      "dtype: float32\ntrajectories: 1\nresolution: 16\nlength: 32\nviscosity: 0.01\n"
      "buoyancy: 0.5\nbuoyancy-x: 0\nbuoyancy-range: \"\"\ndt: 1.5\nsteps: 12\nskip: 8\n"
      "every: 4\nnoise-scale: 11\nnoise-smoothness: 6\nadvection: semi-lagrangian\nseed: 0\n"
      "staggered: false\nlayout: ";
  Smoke2dOutput native;
  native.dtype = StorageType::float32;
  CHECK(smoke2d_identity(smoke, native) == smoke_text + "native\nsplit: train\n");
  Smoke2dOutput arena;
  arena.layout = FileLayout::pdearena;  // dtype unset: float64 data, "float32" as always stored
  CHECK(arena.storage_type() == StorageType::float64);
  CHECK(smoke2d_identity(smoke, arena) == smoke_text + "pdearena\nsplit: train\n");
  smoke.buoyancy_min = 0.2;
  smoke.buoyancy_max = 0.5;
  CHECK(smoke2d_identity(smoke, native).find("buoyancy-range: 0.2,0.5\n") != std::string::npos);

  DamBreak2dConfig dam;
  dam.samples = 1;
  dam.solver.nx = dam.solver.ny = 16;
  dam.frames = 3;
  CHECK(dambreak2d_identity(dam, FileLayout::native, StorageType::float32) ==
        "dtype: float32\nlayout: native\nsamples: 1\nresolution: 16\nhalf-width: 2.5\n"
        "frames: 3\nt-end: 1\ngravity: 1\nh-in: 2\nh-out: 1\nradius-min: 0.3\n"
        "radius-max: 0.7\nseed: 0\nfields: h\nriemann: hllc\nlimiter: mc\nstepper: hancock\n"
        "boundary: transmissive\ncfl: 0.9\n");

  Swe2dConfig swe;
  swe.trajectories = 1;
  swe.solver.nx = swe.solver.ny = 16;
  swe.frames = 3;
  CHECK(swe2d_identity(swe, FileLayout::native, StorageType::float32) ==
        "dtype: float32\nlayout: native\ntrajectories: 1\nresolution: 16\nlength: 1\n"
        "frames: 3\ndt-out: 0.05\ngravity: 1\ndepth: 1\nf0: 10\nbeta: 0\nviscosity: 0\n"
        "drag: 0\ninitial-condition: balanced\namplitude: 0.05\nspectrum-alpha: 3\n"
        "spectrum-tau: 15\njet-speed: 0.1\njet-mode: 1\nbump-width: 0.05\nseed: 0\n"
        "fields: eta,u,v,vorticity\nscheme: energy\nstepper: rk4\ncfl: 0.5\ndt: 0\n");
  CHECK(
      swe2d_identity(swe, FileLayout::pdebench, StorageType::float32).find("layout: pdebench\n") !=
      std::string::npos);
}
