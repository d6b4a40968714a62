#pragma once
// The output-file policy every fieldlab writer follows (HDF5 or not; the HDF5 part is in
// replace_file and partial_file):
//
//   * only regular files are written or replaced: a directory, device, FIFO or socket (or a
//     symlink to one) at the target is refused, never renamed over;
//   * a process holds an exclusive lock for the whole time it writes a target: flock on PATH.lock
//     beside it. A second writer fails at once ("another process is writing 'PATH' (lock
//     'PATH.lock' is held)"). Locks nest within one process (train holds its checkpoint's lock for
//     the run while each save takes it again);
//   * data goes to a unique temporary beside the target (PATH.tmp-PID-N), is synced, closed with
//     its result checked and renamed over the target; every error path removes the temporary,
//     and temporaries a killed run left are removed by the next holder of the lock;
//   * an existing target is replaced only when the caller passes overwrite.
//
// A failed system call is reported as "no space left on device while writing 'PATH'": the real
// cause (strerror of errno) and the file, nothing guessed.

#include <cstddef>
#include <string>

namespace fieldlab::io {

std::string lock_path(const std::string& path);

// Refuses (usage) a target that exists and is not a regular file, or (unless overwrite) exists at
// all; fails (io) when its directory does not exist. `hint` ends the "exists" message.
void check_output_target(const std::string& path, bool overwrite,
                         const char* hint = "pass --overwrite to replace it");

// Throws Error(io) "<strerror(error)> while <doing> '<path>'" (doing: "writing", "syncing" ...).
[[noreturn]] void fail_system(int error, const char* doing, const std::string& path);
// strerror(error) starting lower-case, as it reads inside a sentence.
std::string system_message(int error);

// An exclusive, nestable lock on writing `path`, held from construction to destruction.
class OutputLock {
 public:
  OutputLock() = default;
  explicit OutputLock(const std::string& path);
  ~OutputLock() { release(); }
  OutputLock(OutputLock&& other) noexcept;
  OutputLock& operator=(OutputLock&& other) noexcept;
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  bool held() const { return !key_.empty(); }
  void release();

 private:
  std::string key_;
};

// Checks the target (check_output_target) and locks it: what a command does before its long
// computation, so that a refused or contested output fails before any work.
OutputLock claim_output(const std::string& path, bool overwrite);

// A new name beside `path` that no other writer uses (PATH.tmp-PID-N).
std::string temporary_name(const std::string& path);
// Deletes PATH.tmp-* left by killed runs. Only the holder of the lock may call it.
void remove_stale_temporaries(const std::string& path);
// fsync of a closed file by name, and of the directory holding `path` (best effort: some file
// systems refuse to sync a directory).
void sync_file(const std::string& path);
void sync_directory_of(const std::string& path);
// Renames a complete, synced temporary over `path` and syncs the directory.
void commit_temporary(const std::string& temporary, const std::string& path);

// A non-HDF5 output written through the policy: construct (checks, locks, creates the
// temporary), write(), commit(). Destroyed without commit() it removes the temporary.
class OutputFile {
 public:
  OutputFile(const std::string& path, bool overwrite);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Writes all of it, retrying short writes; throws on any error.
  void write(const void* data, std::size_t size);
  void commit();
  const std::string& path() const { return path_; }

 private:
  OutputLock lock_;
  std::string path_, temporary_;
  int fd_ = -1;
};

}  // namespace fieldlab::io
