#pragma once
// Scratch file paths for tests: under the system temporary folder, unique per process, with any
// leftover of an earlier run (and its .partial) removed first.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace fieldlab::test {

inline std::string temp_path(const std::string& name) {
  const auto p = std::filesystem::temp_directory_path() /
                 ("fieldlab_test_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + ".partial");
  return p.string();
}

// An empty scratch folder (fieldlab_tests/NAME under the system temporary folder), emptied first.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / "fieldlab_tests" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace fieldlab::test
