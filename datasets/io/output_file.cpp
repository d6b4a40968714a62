#include "datasets/io/output_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"

namespace fieldlab::io {
namespace fs = std::filesystem;

namespace {

fs::path parent_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// The locks this process holds, by absolute target path, with how often each is taken: flock
// conflicts between two descriptors even within one process, so nesting is counted here instead.
struct HeldLock {
  int fd = -1;
  int count = 0;
  std::string file;
};
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, HeldLock>& registry() {
  static std::map<std::string, HeldLock> held;
  return held;
}

std::string lock_key(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return (ec ? fs::path(path) : absolute).lexically_normal().string();
}

// Opens and flocks PATH.lock. The file is unlinked by a holder on release, so a descriptor may
// point at an unlinked inode once flock returns: then another process may hold a lock on a new
// PATH.lock, and this one retries on that.
int acquire_lock_file(const std::string& path, const std::string& file) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      const int error = errno;
      fail(ErrorKind::io, "cannot create the lock '{}' for '{}': {}", file, path,
           system_message(error));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      ::close(fd);
      if (error == EWOULDBLOCK)
        fail(ErrorKind::io, "another process is writing '{}' (lock '{}' is held)", path, file);
      fail(ErrorKind::io, "cannot lock '{}' for '{}': {}", file, path, system_message(error));
    }
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) == 0 && ::stat(file.c_str(), &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino)
      return fd;
    ::close(fd);  // lost the race against a release: lock the file that is there now
  }
  fail(ErrorKind::io, "cannot lock '{}' for '{}': it keeps being replaced", file, path);
}

}  // namespace

std::string lock_path(const std::string& path) { return path + ".lock"; }

std::string system_message(int error) {
  std::string text = std::strerror(error);
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
      std::islower(static_cast<unsigned char>(text[1])))
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

void fail_system(int error, const char* doing, const std::string& path) {
  fail(ErrorKind::io, "{} while {} '{}'", system_message(error), doing, path);
}

void check_output_target(const std::string& path, bool overwrite, const char* hint) {
  const fs::path parent = parent_of(path);
  if (!fs::is_directory(parent))
    fail(ErrorKind::io, "cannot write '{}': directory '{}' does not exist", path, parent.string());
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  if (!fs::exists(link)) return;
  // A symlink counts as what it points at; a dangling one is not a regular file either.
  const fs::file_status target = fs::is_symlink(link) ? fs::status(path, ec) : link;
  if (!fs::is_regular_file(target))
    fail(ErrorKind::usage, "'{}' exists and is not a regular file; refusing to replace it", path);
  if (!overwrite) fail(ErrorKind::usage, "'{}' exists; {}", path, hint);
}

OutputLock::OutputLock(const std::string& path) {
  const std::string key = lock_key(path);
  std::lock_guard<std::mutex> guard(registry_mutex());
  HeldLock& entry = registry()[key];
  if (entry.count == 0) {
    try {
      entry.file = lock_path(path);
      entry.fd = acquire_lock_file(path, entry.file);
    } catch (...) {
      registry().erase(key);
      throw;
    }
  }
  ++entry.count;
  key_ = key;
}

OutputLock::OutputLock(OutputLock&& other) noexcept : key_(std::exchange(other.key_, {})) {}

OutputLock& OutputLock::operator=(OutputLock&& other) noexcept {
  if (this != &other) {
    release();
    key_ = std::exchange(other.key_, {});
  }
  return *this;
}

void OutputLock::release() {
  if (key_.empty()) return;
  std::lock_guard<std::mutex> guard(registry_mutex());
  auto it = registry().find(key_);
  key_.clear();
  if (it == registry().end() || --it->second.count > 0) return;
  // Unlink while still holding the lock, so a waiter that opened the old file sees the inode
  // change and retries (see acquire_lock_file).
  ::unlink(it->second.file.c_str());
  ::close(it->second.fd);
  registry().erase(it);
}

OutputLock claim_output(const std::string& path, bool overwrite) {
  check_output_target(path, overwrite);
  OutputLock lock(path);
  remove_stale_temporaries(path);
  return lock;
}

std::string temporary_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return fmt::format("{}.tmp-{}-{}", path, static_cast<long>(::getpid()), counter++);
}

void remove_stale_temporaries(const std::string& path) {
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp-";
  const std::string own = fmt::format("{}{}-", prefix, static_cast<long>(::getpid()));
  std::error_code ec;
  for (fs::directory_iterator it(parent_of(path), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // This process's own temporaries may be in use by another thread (a background save).
    if (name.rfind(prefix, 0) == 0 && name.rfind(own, 0) != 0 && it->is_regular_file()) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_system(errno, "reopening", path);
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail_system(error, "syncing", path);
  }
  ::close(fd);
}

void sync_directory_of(const std::string& path) {
  const int dir = ::open(parent_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void commit_temporary(const std::string& temporary, const std::string& path) {
  // The target is checked again: something may have appeared there during a long computation.
  check_output_target(path, true);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    fail(ErrorKind::io, "cannot rename '{}' to '{}': {}", temporary, path, system_message(error));
  }
  sync_directory_of(path);
}

OutputFile::OutputFile(const std::string& path, bool overwrite)
    : lock_(claim_output(path, overwrite)), path_(path) {
  for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
    temporary_ = temporary_name(path);
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0 && errno != EEXIST) fail_system(errno, "creating", temporary_);
  }
  if (fd_ < 0) fail(ErrorKind::io, "cannot find an unused temporary name beside '{}'", path);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void OutputFile::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail_system(n < 0 ? errno : ENOSPC, "writing", path_);
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
}

void OutputFile::commit() {
  if (::fsync(fd_) != 0) fail_system(errno, "writing", path_);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail_system(errno, "writing", path_);
  commit_temporary(temporary_, path_);
  temporary_.clear();
}

}  // namespace fieldlab::io
