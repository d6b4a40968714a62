#pragma once
// Ctrl-C for the command line. The library never installs a signal handler (core/stop_token.hpp);
// a command that runs long library work opens an InterruptScope for its duration: the first
// SIGINT or SIGTERM requests a stop on the scope's StopSource (the library then finishes the unit
// in hand, saves what is done and returns), a second one terminates the process at once (the
// crash-safe file formats still hold every finished unit). The previous handlers come back when
// the scope closes. One scope at a time per process (a second one is a programming error).

#include "core/stop_token.hpp"

namespace fieldlab::apps {

class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  StopToken token() const { return source_.token(); }
  bool stop_requested() const { return source_.stop_requested(); }

 private:
  StopSource source_;
};

// Thrown by a command that stopped on Ctrl-C after saving its work and saying how to resume;
// main() turns it into exit code 130 (128 + SIGINT, the shell's convention).
struct Interrupted {};

}  // namespace fieldlab::apps
