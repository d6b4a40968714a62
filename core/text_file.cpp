#include "core/text_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/error.hpp"

namespace fieldlab {

std::string read_text_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    fail(ErrorKind::usage, "{} '{}' is a directory, not a file", what, path);
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file)
    fail(ErrorKind::io, "cannot open {} '{}': {}", what, path,
         errno ? std::strerror(errno) : "unknown error");
  // Read in blocks, one byte past the bound at most: a device or FIFO that never ends stops here.
  std::string text;
  char block[65536];
  while (text.size() <= max_bytes) {
    const std::size_t want = std::min(sizeof block, max_bytes + 1 - text.size());
    const std::size_t got = std::fread(block, 1, want, file.get());
    text.append(block, got);
    if (got < want) break;
  }
  if (std::ferror(file.get()))
    fail(ErrorKind::io, "cannot read {} '{}': {}", what, path, std::strerror(errno));
  if (text.size() > max_bytes)
    fail(ErrorKind::usage, "{} '{}' is larger than {}; is it the right file?", what, path,
         max_bytes >= (std::size_t{1} << 20) ? fmt::format("{} MiB", max_bytes >> 20)
                                             : fmt::format("{} bytes", max_bytes));
  return text;
}

}  // namespace fieldlab
