#include "datasets/io/replace_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"

namespace fieldlab::io {
namespace fs = std::filesystem;

namespace {

fs::path parent_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// fsync on a closed file by name, so its data is on disk before the rename makes it visible.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) fail(ErrorKind::io, "cannot reopen '{}' to sync it", path);
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) fail(ErrorKind::io, "cannot sync '{}' to disk (disk full?)", path);
}

// A name beside the target that nothing else uses: PATH.tmp-PID-N, created exclusively.
H5Handle create_temporary(const std::string& path, std::string& temporary) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary = fmt::format("{}.tmp-{}-{}", path, ::getpid(), counter++);
    H5Handle file = create_new_file(temporary);
    if (file.valid()) return file;
  }
  fail(ErrorKind::io, "cannot find an unused temporary name beside '{}'", path);
}

}  // namespace

void check_replace_target(const std::string& path, bool overwrite) {
  const fs::path parent = parent_of(path);
  if (!fs::is_directory(parent))
    fail(ErrorKind::io, "cannot write '{}': directory '{}' does not exist", path, parent.string());
  const fs::file_status status = fs::symlink_status(path);
  if (!fs::exists(status)) return;
  if (!fs::is_regular_file(status))
    fail(ErrorKind::usage, "'{}' exists and is not a regular file; refusing to replace it", path);
  if (!overwrite) fail(ErrorKind::usage, "'{}' exists; pass --overwrite to replace it", path);
}

void write_replacing(const std::string& path, bool overwrite,
                     const std::function<void(hid_t)>& write) {
  check_replace_target(path, overwrite);
  std::lock_guard<std::recursive_mutex> lock(hdf5_mutex());
  std::string temporary;
  H5Handle file = create_temporary(path, temporary);
  try {
    write(file.id());
    close_file_checked(file, temporary);
    sync_file(temporary);
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) fail(ErrorKind::io, "cannot rename '{}' to '{}': {}", temporary, path, ec.message());
  } catch (...) {
    file.reset();
    std::error_code ec;
    fs::remove(temporary, ec);
    throw;
  }
  // The rename is durable once the directory is synced too. Best effort: the file is complete
  // and in place either way, and some file systems refuse to sync a directory.
  const int dir = ::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace fieldlab::io
