#include "core/error.hpp"

namespace fieldlab {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return "usage";
    case ErrorKind::io:
      return "io";
    case ErrorKind::numerical:
      return "numerical";
    case ErrorKind::config:
      return "config";
    case ErrorKind::internal:
      return "internal";
  }
  return "unknown";
}

}  // namespace fieldlab
