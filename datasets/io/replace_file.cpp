#include "datasets/io/replace_file.hpp"

#include <unistd.h>

#include <mutex>
#include <string>

#include "core/error.hpp"
#include "datasets/io/output_file.hpp"

namespace fieldlab::io {

namespace {

// A name beside the target that nothing else uses (temporary_name), created exclusively.
H5Handle create_temporary(const std::string& path, std::string& temporary) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary = temporary_name(path);
    H5Handle file = create_new_file(temporary);
    if (file.valid()) return file;
  }
  temporary.clear();  // the names tried belong to others: nothing of ours to remove
  fail(ErrorKind::io, "cannot find an unused temporary name beside '{}'", path);
}

}  // namespace

void check_replace_target(const std::string& path, bool overwrite) {
  check_output_target(path, overwrite);
}

void write_replacing(const std::string& path, bool overwrite,
                     const std::function<void(hid_t)>& write) {
  // Nests when the caller already holds it (a command locks its output for the whole run).
  const OutputLock lock = claim_output(path, overwrite);
  std::lock_guard<std::recursive_mutex> guard(hdf5_mutex());
  std::string temporary;
  H5Handle file;
  try {
    file = create_temporary(path, temporary);
    write(file.id());
    close_file_checked(file, temporary);
    sync_file(temporary);
    commit_temporary(temporary, path);
  } catch (const Error& e) {
    close_after_failure(file);
    if (!temporary.empty()) ::unlink(temporary.c_str());
    // The user named the target, not our temporary: "no space left on device while writing
    // 'out.h5'" rather than "... 'out.h5.tmp-4711-0'".
    std::string message = e.what();
    if (!temporary.empty())
      for (size_t at = message.find(temporary); at != std::string::npos;
           at = message.find(temporary, at + path.size()))
        message.replace(at, temporary.size(), path);
    throw Error(e.kind(), message);
  } catch (...) {
    close_after_failure(file);
    if (!temporary.empty()) ::unlink(temporary.c_str());
    throw;
  }
}

}  // namespace fieldlab::io
