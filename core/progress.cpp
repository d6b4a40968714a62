#include "core/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>

namespace fieldlab {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  long long s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{:02}:{:02}", s / 60, s % 60);
}

TerminalProgress::TerminalProgress(bool quiet, std::FILE* out)
    : quiet_(quiet),
      tty_(isatty(fileno(out)) != 0),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

TerminalProgress::~TerminalProgress() { finish(); }

void TerminalProgress::start(std::string_view label, long long total) {
  std::lock_guard<std::mutex> lock(mutex_);
  label_.assign(label);
  total_ = total;
  done_ = 0;
  note_.clear();
  finished_ = false;
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

void TerminalProgress::advance(long long units, std::string_view note) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += units;
  if (!note.empty()) note_.assign(note);
  if (quiet_) return;
  auto now = std::chrono::steady_clock::now();
  // A terminal redraws often; logs get a line every 10 s so they stay readable.
  double interval = tty_ ? 0.2 : 10.0;
  if (std::chrono::duration<double>(now - last_draw_).count() >= interval && done_ < total_) {
    last_draw_ = now;
    draw(false);
  }
}

void TerminalProgress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (!quiet_) draw(true);
}

void TerminalProgress::draw(bool final_line) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double fraction = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  double eta = done_ > 0 ? elapsed * (1.0 - fraction) / fraction : NAN;
  std::string text = fmt::format("{} {}/{} ({:.0f}%) elapsed {} eta {}", label_, done_, total_,
                                 100.0 * fraction, format_duration(elapsed), format_duration(eta));
  if (!note_.empty()) text += "  " + note_;
  if (tty_) {
    const int width = 24;
    int filled = static_cast<int>(fraction * width);
    std::string bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
    fmt::print(out_, "\r\033[K{}{}", bar, text);
    if (final_line) fmt::print(out_, "\n");
  } else {
    fmt::print(out_, "{}\n", text);
  }
  std::fflush(out_);
}

}  // namespace fieldlab
