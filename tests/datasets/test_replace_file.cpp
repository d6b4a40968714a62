// write_replacing (datasets/replace_file.hpp): a solve output appears complete or not at all.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

#include "core/error.hpp"
#include "datasets/io/replace_file.hpp"
#include "support/temp_paths.hpp"

using namespace fieldlab;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

using fieldlab::test::fresh_dir;

void write_values(const std::string& path, bool overwrite, double value) {
  write_replacing(path, overwrite, [&](hid_t file) {
    write_dataset(file, "v", std::vector<double>{value, 2 * value}, {2}, H5T_IEEE_F64LE);
  });
}

double first_value(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  auto file = open_file(path, false);
  auto dataset = open_dataset(file.id(), "v");
  double values[2];
  read_block(dataset.id(), {0}, {2}, values);
  return values[0];
}

// Nothing but the expected entries remain in `dir` (no temporaries left behind).
std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_CASE("write_replacing writes the file and leaves no temporary behind") {
  const auto dir = fresh_dir("replace_basic");
  const std::string path = (dir / "out.h5").string();
  write_values(path, false, 1.5);
  CHECK(first_value(path) == 1.5);
  CHECK(entries(dir) == 1);
}

TEST_CASE("an existing target is kept unless overwrite, and then replaced whole") {
  const auto dir = fresh_dir("replace_existing");
  const std::string path = (dir / "out.h5").string();
  write_values(path, false, 1.0);
  CHECK_THROWS_WITH_AS(write_values(path, false, 2.0), doctest::Contains("--overwrite"), Error);
  CHECK(first_value(path) == 1.0);
  write_values(path, true, 3.0);
  CHECK(first_value(path) == 3.0);
  CHECK(entries(dir) == 1);
}

TEST_CASE("a failure while writing removes the temporary and leaves the target untouched") {
  const auto dir = fresh_dir("replace_failure");
  const std::string path = (dir / "out.h5").string();
  write_values(path, false, 4.0);
  CHECK_THROWS_WITH_AS(write_replacing(path, true,
                                       [](hid_t file) {
                                         write_attribute(file, "half", 1.0);
                                         fail(ErrorKind::numerical, "solver diverged");
                                       }),
                       doctest::Contains("diverged"), Error);
  CHECK(first_value(path) == 4.0);
  CHECK(entries(dir) == 1);
  // A fresh target that fails leaves nothing at all.
  const std::string other = (dir / "other.h5").string();
  CHECK_THROWS_AS(
      write_replacing(other, false, [](hid_t) { fail(ErrorKind::numerical, "no result"); }), Error);
  CHECK(!fs::exists(other));
  CHECK(entries(dir) == 1);
}

TEST_CASE("targets that are not regular files and missing directories are refused") {
  const auto dir = fresh_dir("replace_refused");
  fs::create_directory(dir / "sub");
  CHECK_THROWS_WITH_AS(write_values((dir / "sub").string(), true, 1.0),
                       doctest::Contains("not a regular file"), Error);
  CHECK(fs::is_directory(dir / "sub"));
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(check_replace_target((dir / "fifo").string(), true),
                       doctest::Contains("not a regular file"), Error);
  try {
    write_values((dir / "missing" / "out.h5").string(), false, 1.0);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()).find("does not exist") != std::string::npos);
  }
  CHECK(entries(dir) == 2);
}
