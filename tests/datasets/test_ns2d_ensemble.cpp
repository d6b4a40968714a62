#include <doctest/doctest.h>

#include <filesystem>

#include "core/error.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/trajectory_reader.hpp"
#include "support/temp_paths.hpp"
#include "support/trajectory_values.hpp"

using namespace fieldlab::datasets;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

using fieldlab::test::all_values;
using fieldlab::test::temp_path;

Ns2dEnsembleConfig small_config() {
  Ns2dEnsembleConfig c;
  c.solver.resolution = 32;
  c.output_resolution = 16;  // solved at 32, written at 16 (strided)
  c.trajectories = 4;
  c.frames = 3;
  c.dt_out = 0.5;
  c.seed = 17;
  c.fields = {"vorticity", "u"};
  return c;
}

std::string generate(const std::string& name, int threads, const Ns2dEnsembleConfig& c) {
  const std::string path = temp_path(name);
  auto w = TrajectoryWriter::create(path, ns2d_layout(c, StorageType::float64), ns2d_attributes(c),
                                    "id", false);
  CHECK(generate_ns2d(c, w, threads, nullptr) == EnsembleOutcome::finished);
  w.finish();
  return path;
}

}  // namespace

TEST_CASE("ns2d ensembles are identical whatever the thread count") {
  const auto c = small_config();
  const auto one = all_values(generate("threads1.h5", 1, c));
  const auto two = all_values(generate("threads2.h5", 2, c));
  REQUIRE(one.size() == 4 * 3 * 16 * 16 * 2);
  CHECK(one == two);  // bit-identical: determinism is the point here
  // Different trajectories differ (each has its own derived seed).
  CHECK(std::vector<double>(one.begin(), one.begin() + 256) !=
        std::vector<double>(one.begin() + 3 * 256, one.begin() + 4 * 256));
}

TEST_CASE("resuming an interrupted ns2d run reproduces the uninterrupted file") {
  const auto c = small_config();
  const auto expected = all_values(generate("uninterrupted.h5", 2, c));
  const std::string path = temp_path("interrupted.h5");
  const auto layout = ns2d_layout(c, StorageType::float64);
  {
    auto w = TrajectoryWriter::create(path, layout, ns2d_attributes(c), "id", false);
    CHECK(solve_ns2d_trajectory(c, 2, w));  // only one trajectory done before the "crash"
  }
  {
    auto w = TrajectoryWriter::resume(path, layout, "id");
    CHECK(w.pending() == std::vector<long long>{0, 1, 3});
    CHECK(generate_ns2d(c, w, 2, nullptr) == EnsembleOutcome::finished);
    w.finish();
  }
  CHECK(all_values(path) == expected);
}

TEST_CASE("a failing trajectory stops the ensemble with its error") {
  auto c = small_config();
  c.solver.dt = 10.0;  // unstable fixed step (frames 20 apart so the step is not shortened)
  c.dt_out = 20.0;
  c.solver.spectrum.tau = 3.0;
  const std::string path = temp_path("unstable.h5");
  auto w = TrajectoryWriter::create(path, ns2d_layout(c, StorageType::float32), {}, "id", false);
  CHECK_THROWS_WITH_AS(generate_ns2d(c, w, 2, nullptr), doctest::Contains("CFL number"),
                       fieldlab::Error);
  w.abandon();
  CHECK_FALSE(fs::exists(path + ".partial"));
}
