#pragma once
// The terminal implementation of ProgressSink (core/progress_sink.hpp), for the CLI: a redrawn bar
// on a terminal, periodic plain lines otherwise (logs, CI), nothing when quiet. Thread-safe:
// workers call advance() from any thread. Library code never makes one; it takes a ProgressSink*.

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "core/progress_sink.hpp"

namespace fieldlab {

class TerminalProgress final : public ProgressSink {
 public:
  explicit TerminalProgress(bool quiet = false, std::FILE* out = stderr);
  ~TerminalProgress() override;
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  void start(std::string_view label, long long total) override;
  void advance(long long units, std::string_view note) override;
  void finish() override;
  long long done() const { return done_; }

 private:
  void draw(bool final_line);

  std::string label_;
  long long total_ = 0;
  long long done_ = 0;
  bool quiet_;
  bool tty_;
  bool finished_ = true;  // no phase started yet
  std::FILE* out_;
  std::string note_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

std::string format_duration(double seconds);

}  // namespace fieldlab
