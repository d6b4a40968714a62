#pragma once
// Reading a small text input (a circuit, a configuration) whole, safely: a directory, a missing or
// unreadable path and an input larger than the bound (/dev/zero, a huge file, an endless FIFO) are
// one clear error naming the path, never a stream's internal message or an endless read.

#include <cstddef>
#include <string>
#include <string_view>

namespace fieldlab {

// The text of `path`; `what` names the input in messages ("OpenQASM file", "configuration file").
// Throws Error(usage) for a directory or an input over max_bytes, Error(io) when it cannot be read.
std::string read_text_file(const std::string& path, std::size_t max_bytes, std::string_view what);

}  // namespace fieldlab
