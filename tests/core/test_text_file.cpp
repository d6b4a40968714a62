// read_text_file (core/text_file.hpp): directories, missing paths and endless inputs are one clear
// error, never a stream's internal message or a read that does not end.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "core/text_file.hpp"

namespace {

std::string error_of(const std::string& path, std::size_t max) {
  try {
    fieldlab::read_text_file(path, max, "test file");
  } catch (const fieldlab::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("read_text_file reads a file whole and refuses what is not a small text file") {
  const auto dir = std::filesystem::temp_directory_path() / "fieldlab_text_file_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "a.txt").string();
  { std::ofstream(path) << "hello\nworld\n"; }
  CHECK(fieldlab::read_text_file(path, 100, "test file") == "hello\nworld\n");
  CHECK(fieldlab::read_text_file(path, 12, "test file") == "hello\nworld\n");
  CHECK(error_of(path, 11).find("larger than") != std::string::npos);
  CHECK(error_of(dir.string(), 100) ==
        "test file '" + dir.string() + "' is a directory, not a file");
  CHECK(error_of((dir / "missing").string(), 100).find("cannot open test file") == 0);
  // An endless device stops at the bound.
  CHECK(error_of("/dev/zero", 1 << 20).find("larger than 1 MiB") != std::string::npos);
  CHECK(fieldlab::read_text_file("/dev/null", 100, "test file").empty());
  std::filesystem::remove_all(dir);
}
