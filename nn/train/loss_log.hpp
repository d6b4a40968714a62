#pragma once
// `train --loss-log FILE` (nn/train/training_run.hpp): one "step loss" line per step, flushed as it
// is written (a crash keeps every line before it), and continued across --resume: the log is cut
// back to the steps the checkpoint covers and appended from there, so an interrupted-and-resumed
// run's log equals the uninterrupted run's byte for byte. The log follows the output-file policy
// where it applies: a regular file only, locked for the run, and an existing log is replaced only
// with --overwrite (or continued with --resume).

#include <cstdio>
#include <string>

#include "datasets/io/output_file.hpp"

namespace fieldlab::nn {

class LossLog {
 public:
  LossLog() = default;
  // resume: keep the lines of steps 1..covered_steps and append; else create (overwrite: replace).
  LossLog(const std::string& path, bool resume, bool overwrite, long long covered_steps);
  ~LossLog();
  LossLog(const LossLog&) = delete;
  LossLog& operator=(const LossLog&) = delete;
  std::FILE* file() const { return file_; }
  // Closes, failing (io) with the cause when any line could not be written.
  void close_checked();

 private:
  io::OutputLock lock_;
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace fieldlab::nn
