#pragma once
// Progress reporting for long work: a redrawn bar on a terminal, periodic plain lines otherwise
// (logs, CI), nothing when quiet. Thread-safe: workers call advance() from any thread.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace fieldlab {

class Progress {
 public:
  Progress(std::string label, long long total, bool quiet = false, std::FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(long long units = 1, const std::string& note = {});
  void finish();
  long long done() const { return done_; }

 private:
  void draw(bool final_line);

  std::string label_;
  long long total_;
  long long done_ = 0;
  bool quiet_;
  bool tty_;
  bool finished_ = false;
  std::FILE* out_;
  std::string note_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

std::string format_duration(double seconds);

}  // namespace fieldlab
