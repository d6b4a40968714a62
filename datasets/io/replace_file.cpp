#include "datasets/io/replace_file.hpp"

#include <unistd.h>

#include <mutex>

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
  H5Handle file = create_temporary(path, temporary);
  try {
    write(file.id());
    close_file_checked(file, temporary);
    sync_file(temporary);
    commit_temporary(temporary, path);
  } catch (...) {
    close_after_failure(file);
    ::unlink(temporary.c_str());
    throw;
  }
}

}  // namespace fieldlab::io
