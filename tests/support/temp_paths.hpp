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

}  // namespace fieldlab::test
