#pragma once
// The crash-safe life cycle every fieldlab writer shares (native, PDEBench and PDEArena layouts):
//
//   create  PATH.partial is created (refusing to clobber PATH or an unfinished PATH.partial unless
//           overwrite), the writer preallocates all its datasets and flushes once, so afterwards
//           only raw data changes;
//   write   each trajectory/sample is flushed and then marked in a uint8 completion mask stored in
//           the file, so a killed process leaves a file whose marked entries are whole;
//   resume  PATH.partial is reopened after checking that its generation identity (the text that
//           determines the data) matches, and the mask says what is left;
//   finish  the file is marked complete, closed (checked), synced and renamed to PATH;
//           abandon() deletes it instead.
//
// From create/resume to finish/abandon/destruction the process holds the output lock on PATH
// (output_file.hpp): a second writer of the same PATH fails at once.
//
// A writer owns a PartialFile plus its layout-specific dataset handles; it must close those
// handles before finish()/abandon() (HDF5 keeps a file open while any object in it is open).
// Not thread-safe by itself: writers call it under hdf5_mutex().

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/output_file.hpp"

namespace fieldlab::io {

std::string partial_path(const std::string& path);
// What differs between two generation identities (their "key: value" lines), for the error that
// refuses a resume: "dt-out was 1, now 2; seed was 0, now 3".
std::string identity_difference(const std::string& stored, const std::string& requested);
// "2026-11-25T22:18:02Z"
std::string utc_timestamp();

class PartialFile {
 public:
  static PartialFile create(const std::string& path, bool overwrite);
  static PartialFile resume(const std::string& path, const std::string& identity);

  PartialFile(PartialFile&&) = default;
  PartialFile& operator=(PartialFile&&) = default;
  ~PartialFile();

  hid_t id() const { return file_.id(); }
  const std::string& path() const { return path_; }
  const std::string& working_path() const { return working_path_; }

  // Root attributes every layout carries: format, layout, fieldlab_version, created,
  // generation_identity, complete = 0.
  void write_header(const std::string& format, const std::string& layout,
                    const std::string& identity);

  // The completion mask (in memory; writers store it in their own datasets).
  void reset_mask(long long entries) { completed_.assign(entries, 0); }
  std::uint8_t* mask() { return completed_.data(); }
  std::vector<long long> pending() const;
  long long completed_count() const;
  // Flushes the data written so far, sets entry `index` in the mask and writes that one byte to
  // `dataset` at `offset`, then flushes again: a mark never points at unwritten frames.
  void mark_complete(long long index, hid_t dataset, hsize_t offset);

  // Throws an internal error unless every entry is marked ("finish() with 3 of 4 samples ...").
  void require_all_complete(const char* entries) const;
  // Marks the file complete (plus final attributes), closes it and renames it to path().
  void finish(const std::vector<Attribute>& final_attributes);
  // Closes and deletes the working file (a fresh run that failed before producing anything).
  void abandon();
  void close() { close_after_failure(file_); }

 private:
  PartialFile() = default;
  // Declared first, so it is released last: after the file is closed.
  OutputLock lock_;
  std::string path_, working_path_;
  H5Handle file_;
  std::vector<std::uint8_t> completed_;
};

}  // namespace fieldlab::io
