// The output-file policy (datasets/io/output_file.hpp): locks, temporaries, refusals, messages.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/error.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/io/replace_file.hpp"
#include "support/temp_paths.hpp"

using namespace fieldlab;
using namespace fieldlab::io;
namespace fs = std::filesystem;

namespace {

using fieldlab::test::fresh_dir;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

// Another process's lock, as flock sees it: a second open file description of PATH.lock.
struct ForeignLock {
  int fd;
  explicit ForeignLock(const std::string& path)
      : fd(::open(lock_path(path).c_str(), O_RDWR | O_CREAT, 0644)) {
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  }
  ~ForeignLock() { ::close(fd); }
};

}  // namespace

TEST_CASE("OutputFile writes through a temporary and leaves only the target") {
  const auto dir = fresh_dir("output_basic");
  const std::string path = (dir / "a.txt").string();
  {
    OutputFile out(path, false);
    out.write("hello\n", 6);
    CHECK(!fs::exists(path));  // nothing under the final name before commit
    CHECK(fs::exists(lock_path(path)));
    out.commit();
  }
  CHECK(read_text(path) == "hello\n");
  CHECK(entries(dir) == 1);  // no temporary, no lock file
}

TEST_CASE("OutputFile without commit removes its temporary and keeps the old file") {
  const auto dir = fresh_dir("output_abandon");
  const std::string path = (dir / "a.txt").string();
  std::ofstream(path) << "old";
  {
    OutputFile out(path, true);
    out.write("new", 3);
  }
  CHECK(read_text(path) == "old");
  CHECK(entries(dir) == 1);
  CHECK_THROWS_WITH_AS(OutputFile(path, false), doctest::Contains("--overwrite"), Error);
}

TEST_CASE("a held lock makes a second writer fail at once with one clear line") {
  const auto dir = fresh_dir("output_lock");
  const std::string path = (dir / "a.h5").string();
  ForeignLock other(path);
  const std::string expected =
      "another process is writing '" + path + "' (lock '" + path + ".lock' is held)";
  CHECK_THROWS_WITH_AS(OutputLock{path}, expected.c_str(), Error);
  CHECK_THROWS_WITH_AS(write_replacing(path, true, [](hid_t) {}), expected.c_str(), Error);
  CHECK(!fs::exists(path));
}

TEST_CASE("locks nest within a process and the lock file goes with the last holder") {
  const auto dir = fresh_dir("output_nest");
  const std::string path = (dir / "a.h5").string();
  {
    OutputLock outer(path);
    {
      OutputLock inner((dir / "." / "a.h5").string());  // the same file, spelled differently
      CHECK(inner.held());
    }
    CHECK(fs::exists(lock_path(path)));
    write_replacing(path, true, [](hid_t file) { write_attribute(file, "x", 1.0); });
    CHECK(fs::exists(path));
  }
  CHECK(!fs::exists(lock_path(path)));
  // A lock file left by a killed process (no flock on it) does not block.
  std::ofstream(lock_path(path)) << "";
  OutputLock again(path);
  CHECK(again.held());
}

TEST_CASE("stale temporaries are removed by the next holder; the target is checked") {
  const auto dir = fresh_dir("output_stale");
  const std::string path = (dir / "a.h5").string();
  std::ofstream((dir / "a.h5.tmp-1-0").string()) << "junk";
  std::ofstream((dir / "ab.h5.tmp-1-0").string()) << "another file's";
  { const OutputLock lock = claim_output(path, false); }
  CHECK(!fs::exists(dir / "a.h5.tmp-1-0"));
  CHECK(fs::exists(dir / "ab.h5.tmp-1-0"));

  fs::create_directory(dir / "sub");
  fs::create_directory_symlink(dir / "sub", dir / "link");
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  for (const char* name : {"sub", "link", "fifo"})
    CHECK_THROWS_WITH_AS(check_output_target((dir / name).string(), true),
                         doctest::Contains("not a regular file"), Error);
  CHECK_THROWS_WITH_AS(OutputFile((dir / "fifo").string(), true),
                       doctest::Contains("not a regular file"), Error);
  CHECK(fs::is_fifo(dir / "fifo"));
}

TEST_CASE("system errors read as one sentence with the real cause") {
  CHECK(system_message(ENOSPC) == "no space left on device");
  CHECK_THROWS_WITH_AS(fail_system(ENOSPC, "writing", "a.h5"),
                       "no space left on device while writing 'a.h5'", Error);
  CHECK_THROWS_WITH_AS(fail_system(EIO, "writing", "a.h5"),
                       "input/output error while writing 'a.h5'", Error);
}
