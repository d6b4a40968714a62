#pragma once
// The one exception type fieldlab libraries throw. The CLI turns it into one line on stderr and an
// exit code: 2 for usage errors, 1 for everything else.

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace fieldlab {

enum class ErrorKind { usage, io, numerical, config, internal };

const char* to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }
  int exit_code() const { return kind_ == ErrorKind::usage ? 2 : 1; }

 private:
  ErrorKind kind_;
};

// Throws Error(kind, formatted message). Usage: fail(ErrorKind::io, "cannot open {}", path).
template <typename... Args>
[[noreturn]] void fail(ErrorKind kind, fmt::format_string<Args...> format, Args&&... args) {
  throw Error(kind, fmt::format(format, std::forward<Args>(args)...));
}

// Checks a user-facing precondition; throws a usage error with the message when it does not hold.
template <typename... Args>
void require(bool condition, fmt::format_string<Args...> format, Args&&... args) {
  if (!condition) throw Error(ErrorKind::usage, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace fieldlab
