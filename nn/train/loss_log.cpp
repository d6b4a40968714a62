#include "nn/train/loss_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>

#include "core/error.hpp"

namespace fieldlab::nn {
namespace {

// The length of the log's leading lines whose step is at most `steps`: what a checkpoint after
// `steps` steps covers. Lines after it (written by a run that died before its next checkpoint)
// and anything unparsable from there on are cut.
std::uintmax_t covered_length(const std::string& path, long long steps) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::uintmax_t length = 0;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // a last line without its newline is incomplete
    char* end = nullptr;
    const long long step = std::strtoll(line.c_str(), &end, 10);
    if (end == line.c_str() || *end != ' ' || step > steps) break;
    length += line.size() + 1;
  }
  return length;
}

}  // namespace

LossLog::LossLog(const std::string& path, bool resume, bool overwrite, long long covered_steps)
    : path_(path) {
  io::check_output_target(path, overwrite || resume,
                          "pass --overwrite to replace it (or --resume to continue it)");
  lock_ = io::OutputLock(path);
  if (resume && std::filesystem::exists(path)) {
    const std::uintmax_t keep = covered_length(path, covered_steps);
    if (::truncate(path.c_str(), static_cast<off_t>(keep)) != 0)
      io::fail_system(errno, "cutting back --loss-log", path);
  }
  file_ = std::fopen(path.c_str(), resume ? "a" : "w");
  if (!file_) io::fail_system(errno, "opening --loss-log", path);
  // Line-buffered: every line reaches the file as it is printed.
  std::setvbuf(file_, nullptr, _IOLBF, BUFSIZ);
}

LossLog::~LossLog() {
  if (file_) std::fclose(file_);
}

void LossLog::close_checked() {
  if (!file_) return;
  std::FILE* file = std::exchange(file_, nullptr);
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  if (std::fclose(file) != 0) io::fail_system(errno, "writing --loss-log", path_);
  if (failed) io::fail_system(error != 0 ? error : EIO, "writing --loss-log", path_);
}

}  // namespace fieldlab::nn
