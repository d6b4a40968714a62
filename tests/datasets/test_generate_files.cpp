// The per-PDE generation calls shared by the CLI and the Python bindings
// (datasets/generate/generate_files.hpp): the options resolve as `fieldlab generate` documents,
// the caller's provenance is stored, `opened` reports the file before solving, a stop keeps a
// resumable partial file that completes to an uninterrupted run's data, and layouts a generator
// does not write are refused before any file is created.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "datasets/generate/generate_files.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/trajectory_reader.hpp"
#include "support/temp_paths.hpp"

using namespace fieldlab;
using namespace fieldlab::datasets;
namespace fs = std::filesystem;

namespace {

Ns2dGenerateOptions small_ns2d() {
  Ns2dGenerateOptions o;
  o.config.trajectories = 4;
  o.config.frames = 3;
  o.resolution = 8;
  o.solve_resolution = 16;
  return o;
}

// Requests the stop once `after` units are done.
struct StopAfter final : ProgressSink {
  StopSource& source;
  long long after, done = 0;
  StopAfter(StopSource& s, long long n) : source(s), after(n) {}
  void start(std::string_view, long long) override {}
  void advance(long long units, std::string_view) override {
    if ((done += units) >= after) source.request_stop();
  }
  void finish() override {}
};

std::vector<double> all_values(const std::string& path, const std::string& field) {
  auto reader = open_trajectories(path);
  const auto s = reader->shape();
  std::vector<double> v(static_cast<size_t>(s.trajectories * s.frames * s.nx * s.ny));
  for (long long n = 0; n < s.trajectories; ++n)
    reader->read_frames(field, n, 0, s.frames, v.data() + n * s.frames * s.nx * s.ny);
  return v;
}

}  // namespace

TEST_CASE("ns2d options resolve to the solve and output resolutions, with the CLI's checks") {
  const auto c = resolve_ns2d(small_ns2d());
  CHECK(c.solver.resolution == 16);
  CHECK(c.effective_output_resolution() == 8);
  Ns2dGenerateOptions o;
  CHECK(resolve_ns2d(o).solver.resolution == 64);  // solve_resolution 0: the resolution
  o.diffusion_order = 3;
  CHECK_THROWS_WITH(resolve_ns2d(o), "--diffusion-order must be 2 or 4 (got 3)");
}

TEST_CASE("generate_ns2d_file stores the provenance, reports the opened file and the summary") {
  const auto path = test::temp_path("generate_files_ns2d.h5");
  int opened_calls = 0;
  const auto file =
      generate_ns2d_file(small_ns2d(), {path, 1, false, false}, "float32",
                         {{"command_line", "a test"}}, {}, nullptr, [&](const GeneratedFile& f) {
                           ++opened_calls;
                           CHECK(f.outcome.completed == 0);
                           CHECK(f.outcome.total == 4);
                           CHECK(f.outcome.working_path == path + ".partial");
                         });
  CHECK(opened_calls == 1);
  CHECK(file.outcome.finished());
  CHECK(file.unit == "trajectories");
  CHECK(file.summary == "wrote " + path + ": 4 trajectories x 3 frames of 8x8 (vorticity)");
  auto h5 = io::open_file(path, false);
  CHECK(io::read_string_attribute(h5.id(), "command_line") == "a test");
  fs::remove(path);
}

TEST_CASE("a stopped generate_ns2d_file resumes to the uninterrupted run's values") {
  const auto whole = test::temp_path("generate_files_whole.h5");
  const auto part = test::temp_path("generate_files_part.h5");
  generate_ns2d_file(small_ns2d(), {whole, 1, false, false}, "float32", {}, {}, nullptr);
  StopSource source;
  StopAfter sink(source, 2);
  const auto stopped = generate_ns2d_file(small_ns2d(), {part, 1, false, false}, "float32", {},
                                          source.token(), &sink);
  CHECK_FALSE(stopped.outcome.finished());
  CHECK(stopped.outcome.completed >= 2);
  CHECK(stopped.outcome.completed < 4);
  CHECK(fs::exists(part + ".partial"));
  const auto resumed =
      generate_ns2d_file(small_ns2d(), {part, 1, false, true}, "float32", {}, {}, nullptr);
  CHECK(resumed.outcome.finished());
  CHECK(resumed.outcome.resumed_from == stopped.outcome.completed);
  CHECK(all_values(part, "vorticity") == all_values(whole, "vorticity"));
  fs::remove(whole);
  fs::remove(part);
}

TEST_CASE("a layout the generator does not write is refused before any file exists") {
  const auto path = test::temp_path("generate_files_layout.h5");
  Smoke2dGenerateOptions smoke;
  smoke.layout = "pdebench";
  CHECK_THROWS_AS(generate_smoke2d_file(smoke, {path}, std::nullopt, {}, {}, nullptr), Error);
  Swe2dGenerateOptions swe;
  swe.layout = "pdearena";
  CHECK_THROWS_WITH(generate_swe2d_file(swe, {path}, "float32", {}, {}, nullptr),
                    "--layout must be native or pdebench for swe2d (got 'pdearena')");
  DamBreak2dGenerateOptions dam;
  dam.resolution = 1;
  CHECK_THROWS_WITH(generate_dambreak2d_file(dam, {path}, "float32", {}, {}, nullptr),
                    "--resolution must be at least 2 (got 1)");
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".partial"));
}
