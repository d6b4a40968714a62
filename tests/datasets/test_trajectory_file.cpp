#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "datasets/field_statistics.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/trajectory_writer.hpp"
#include "support/temp_paths.hpp"

using namespace fieldlab::datasets;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

using fieldlab::test::temp_path;

TrajectoryLayout small_layout(StorageType dtype) {
  TrajectoryLayout l;
  l.fields = {"a", "b"};
  l.diagnostics = {"energy"};
  l.trajectories = 3;
  l.frames = 4;
  l.nx = 6;
  l.ny = 5;
  l.dtype = dtype;
  for (int i = 0; i < l.nx; ++i) l.x.push_back(i * 0.1);
  for (int j = 0; j < l.ny; ++j) l.y.push_back(j * 0.2);
  for (int k = 0; k < l.frames; ++k) l.t.push_back(k * 0.5);
  return l;
}

double value(long long n, long long k, int f, int i, int j) {
  return 1000.0 * n + 100.0 * k + 10.0 * f + i + 0.125 * j + 1.0 / 3.0;
}

void write_trajectory(TrajectoryWriter& w, long long n) {
  const auto& l = w.layout();
  std::vector<double> frame(l.nx * l.ny);
  for (long long k = 0; k < l.frames; ++k)
    for (int f = 0; f < 2; ++f) {
      for (int i = 0; i < l.nx; ++i)
        for (int j = 0; j < l.ny; ++j) frame[i * l.ny + j] = value(n, k, f, i, j);
      w.write_frame(n, k, f, frame.data());
    }
  std::vector<double> energy(l.frames, static_cast<double>(n));
  w.write_diagnostic(n, 0, energy.data());
  w.mark_complete(n);
}

}  // namespace

TEST_CASE_TEMPLATE("trajectory files read back exactly what was written", T, float, double) {
  const StorageType dtype = sizeof(T) == 4 ? StorageType::float32 : StorageType::float64;
  const std::string path = temp_path(std::string("roundtrip_") + to_string(dtype) + ".h5");
  {
    auto w = TrajectoryWriter::create(path, small_layout(dtype), {{"note", "hello"}}, "id", false);
    CHECK(fs::exists(path + ".partial"));
    for (long long n = 0; n < 3; ++n) write_trajectory(w, n);
    w.finish();
  }
  CHECK(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".partial"));
  auto reader = open_trajectories(path);
  CHECK(reader->layout() == "native");
  CHECK(reader->complete());
  CHECK(reader->fields() == std::vector<std::string>{"a", "b"});
  CHECK(reader->shape().trajectories == 3);
  CHECK(reader->storage_type("a") == to_string(dtype));
  CHECK(reader->t() == small_layout(dtype).t);
  std::vector<double> frame(30);
  for (long long n = 0; n < 3; ++n)
    for (long long k = 0; k < 4; ++k)
      for (int f = 0; f < 2; ++f) {
        reader->read_frame(f ? "b" : "a", n, k, frame.data());
        for (int i = 0; i < 6; ++i)
          for (int j = 0; j < 5; ++j)
            CHECK(frame[i * 5 + j] == static_cast<double>(static_cast<T>(value(n, k, f, i, j))));
      }
  auto* native = dynamic_cast<NativeTrajectoryReader*>(reader.get());
  REQUIRE(native);
  CHECK(native->diagnostic("energy")[4] == 1.0);  // trajectory 1, frame 0
  // Statistics against a direct computation.
  double sum = 0, sum2 = 0, lo = 1e300, hi = -1e300;
  for (long long n = 0; n < 3; ++n)
    for (long long k = 0; k < 4; ++k)
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 5; ++j) {
          const double v = static_cast<T>(value(n, k, 0, i, j));
          sum += v;
          sum2 += v * v;
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
  const double count = 3 * 4 * 30, mean = sum / count;
  const auto s = field_statistics(*reader, "a");
  CHECK(s.count == 360);
  CHECK(s.min == lo);
  CHECK(s.max == hi);
  CHECK(s.mean == doctest::Approx(mean).epsilon(1e-12));
  CHECK(s.std == doctest::Approx(std::sqrt(sum2 / count - mean * mean)).epsilon(1e-9));
}

TEST_CASE("an unfinished file is readable, marks only whole trajectories, and resumes") {
  const std::string path = temp_path("unfinished.h5");
  const auto layout = small_layout(StorageType::float32);
  {
    auto w = TrajectoryWriter::create(path, layout, {}, "id-1", false);
    write_trajectory(w, 0);
    write_trajectory(w, 2);
    // Trajectory 1 is half written when the "crash" happens: the writer is dropped unfinished.
    std::vector<double> frame(30, 7.0);
    w.write_frame(1, 0, 0, frame.data());
  }
  CHECK_FALSE(fs::exists(path));
  {
    auto reader = open_trajectories(path + ".partial");
    CHECK_FALSE(reader->complete());
    CHECK(reader->completed() == std::vector<std::uint8_t>{1, 0, 1});
    CHECK(field_statistics(*reader, "a").count == 2 * 4 * 30);  // unfinished data is excluded
  }
  CHECK_THROWS_WITH_AS(TrajectoryWriter::create(path, layout, {}, "id-1", false),
                       doctest::Contains("--resume"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(TrajectoryWriter::resume(path, layout, "id-2"),
                       doctest::Contains("different options"), fieldlab::Error);
  {
    auto w = TrajectoryWriter::resume(path, layout, "id-1");
    CHECK(w.pending() == std::vector<long long>{1});
    write_trajectory(w, 1);
    w.finish();
  }
  auto reader = open_trajectories(path);
  CHECK(reader->complete());
  std::vector<double> frame(30);
  reader->read_frame("a", 1, 0, frame.data());
  CHECK(frame[7] == static_cast<double>(static_cast<float>(value(1, 0, 0, 1, 2))));
  CHECK_THROWS_WITH_AS(TrajectoryWriter::create(path, layout, {}, "id-1", false),
                       doctest::Contains("--overwrite"), fieldlab::Error);
}

TEST_CASE("missing, foreign, truncated and unwritable files give clear io errors") {
  CHECK_THROWS_WITH_AS(open_trajectories("/nonexistent/x.h5"), doctest::Contains("no such file"),
                       fieldlab::Error);
  const std::string text = temp_path("not_hdf5.h5");
  std::ofstream(text) << "this is not HDF5";
  CHECK_THROWS_WITH_AS(open_trajectories(text), doctest::Contains("not an HDF5 file"),
                       fieldlab::Error);

  const std::string path = temp_path("truncated.h5");
  {
    auto w = TrajectoryWriter::create(path, small_layout(StorageType::float64), {}, "id", false);
    for (long long n = 0; n < 3; ++n) write_trajectory(w, n);
    w.finish();
  }
  fs::resize_file(path, fs::file_size(path) / 2);
  bool threw = false;
  try {
    auto reader = open_trajectories(path);
    std::vector<double> frame(30);
    for (long long n = 0; n < 3; ++n) reader->read_frame("b", n, 3, frame.data());
  } catch (const fieldlab::Error& e) {
    threw = true;
    CHECK(e.kind() == fieldlab::ErrorKind::io);
  }
  CHECK(threw);

  CHECK_THROWS_WITH_AS(
      TrajectoryWriter::create("/nonexistent/dir/x.h5", small_layout(StorageType::float32), {},
                               "id", false),
      doctest::Contains("does not exist"), fieldlab::Error);
}
