#pragma once
// Writing a whole HDF5 file so that it appears complete or not at all (the `fieldlab solve`
// outputs): the file is written under a unique temporary name in the target's directory, closed
// with its errors checked, synced to disk and only then renamed over the target. A failure or an
// exception at any point removes the temporary and leaves an existing target untouched.
//
//   check_replace_target(path, overwrite);     // before the long computation: fail early
//   ...solve...
//   write_replacing(path, overwrite, [&](hid_t file) { ...datasets and attributes... });
//
// Refused (usage errors): an existing target without `overwrite`, a target that is not a regular
// file (a directory, a device, a FIFO). A missing directory is an io error. The whole write holds
// the output lock on `path` (output_file.hpp; it nests with a lock the caller already holds), and
// the error of a failed write names `path` and the system's cause ("no space left on device"). Not
// thread-safe by itself: it holds hdf5_mutex() while HDF5 is in use.

#include <functional>
#include <string>

#include "datasets/io/hdf5_io.hpp"

namespace fieldlab::io {

void check_replace_target(const std::string& path, bool overwrite);

// Creates the temporary, calls write(file id), then commits as described above.
void write_replacing(const std::string& path, bool overwrite,
                     const std::function<void(hid_t)>& write);

}  // namespace fieldlab::io
