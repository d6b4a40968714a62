#include "datasets/io/partial_file.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/version.hpp"
#include "datasets/io/output_file.hpp"

namespace fieldlab::io {
namespace fs = std::filesystem;

std::string partial_path(const std::string& path) { return path + ".partial"; }

namespace {
// The "key: value" lines of an identity text, keyed by their key.
std::vector<std::pair<std::string, std::string>> identity_lines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(begin, end - begin);
    const size_t colon = line.find(": ");
    if (colon == std::string::npos)
      lines.emplace_back(line, "");
    else
      lines.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    begin = end + 1;
  }
  return lines;
}
}  // namespace

std::string identity_difference(const std::string& stored, const std::string& requested) {
  const auto was = identity_lines(stored), now = identity_lines(requested);
  std::vector<std::string> differences;
  // Plain loops over pairs, not structured bindings: clang 14 (the fuzz build) cannot capture
  // a structured binding in a lambda.
  for (const auto& entry : now) {
    const auto& [key, value] = entry;
    const auto it =
        std::find_if(was.begin(), was.end(), [&](const auto& l) { return l.first == entry.first; });
    if (it == was.end())
      differences.push_back(fmt::format("{} is new", key));
    else if (it->second != value)
      differences.push_back(fmt::format("{} was {}, now {}", key, it->second, value));
  }
  for (const auto& entry : was)
    if (std::none_of(now.begin(), now.end(), [&](const auto& l) { return l.first == entry.first; }))
      differences.push_back(fmt::format("{} was {}, now absent", entry.first, entry.second));
  if (differences.empty()) return "the same options, written differently";
  return fmt::format("{}", fmt::join(differences, "; "));
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

PartialFile PartialFile::create(const std::string& path, bool overwrite) {
  const std::string working = partial_path(path);
  // Neither name may be a directory, device or FIFO, even with overwrite: finish() renames over
  // the one and create truncates the other.
  check_output_target(path, overwrite, "pass --overwrite to replace it or --resume to finish it");
  check_output_target(working, true);
  PartialFile file;
  file.lock_ = OutputLock(path);
  // Checked again under the lock: another run may have finished or started one meanwhile.
  if (!overwrite && fs::exists(working))
    fail(ErrorKind::usage,
         "an unfinished '{}' exists (a stopped run, resumable); pass --resume to complete it or "
         "--overwrite to start over",
         working);
  check_output_target(path, overwrite, "pass --overwrite to replace it or --resume to finish it");
  file.path_ = path;
  file.working_path_ = working;
  try {
    file.file_ = create_file(working);
  } catch (...) {
    // Truncated or half-created: nothing in it to resume.
    std::error_code ignored;
    fs::remove(working, ignored);
    throw;
  }
  return file;
}

PartialFile PartialFile::resume(const std::string& path, const std::string& identity) {
  const std::string working = partial_path(path);
  if (!fs::exists(working)) {
    if (fs::exists(path))
      fail(ErrorKind::usage, "'{}' is already complete; nothing to resume", path);
    fail(ErrorKind::usage, "nothing to resume: '{}' does not exist", working);
  }
  check_output_target(working, true);
  check_output_target(path, true);
  PartialFile file;
  file.lock_ = OutputLock(path);
  file.path_ = path;
  file.working_path_ = working;
  file.file_ = open_file(working, true);
  const hid_t id = file.file_.id();
  if (!has_attribute(id, "generation_identity"))
    fail(ErrorKind::io, "'{}' was not written by fieldlab generate; cannot resume it", working);
  const std::string stored = read_string_attribute(id, "generation_identity");
  if (stored != identity)
    fail(ErrorKind::usage,
         "cannot resume '{}': it was generated with different options ({}); repeat the original "
         "options with --resume",
         working, identity_difference(stored, identity));
  return file;
}

PartialFile::~PartialFile() {
  // Destroyed without finish() or abandon(): an error or an interrupt. What was marked complete
  // is on disk already, so the close may fail (a full disk) without losing anything.
  close_after_failure(file_);
}

void PartialFile::write_header(const std::string& format, const std::string& layout,
                               const std::string& identity) {
  const hid_t id = file_.id();
  write_attribute(id, "format", format);
  write_attribute(id, "layout", layout);
  write_attribute(id, "fieldlab_version", kVersion);
  write_attribute(id, "created", utc_timestamp());
  write_attribute(id, "generation_identity", identity);
  write_attribute(id, "complete", 0LL);
}

std::vector<long long> PartialFile::pending() const {
  std::vector<long long> result;
  for (size_t i = 0; i < completed_.size(); ++i)
    if (!completed_[i]) result.push_back(static_cast<long long>(i));
  return result;
}

long long PartialFile::completed_count() const {
  return std::count(completed_.begin(), completed_.end(), 1);
}

void PartialFile::mark_complete(long long index, hid_t dataset, hsize_t offset) {
  flush(file_.id());
  completed_.at(index) = 1;
  write_block(dataset, {offset}, {1}, &completed_[index]);
  flush(file_.id());
}

void PartialFile::require_all_complete(const char* entries) const {
  const long long total = static_cast<long long>(completed_.size());
  if (completed_count() != total)
    fail(ErrorKind::internal, "finish() with {} of {} {} complete", completed_count(), total,
         entries);
}

void PartialFile::finish(const std::vector<Attribute>& final_attributes) {
  write_attribute(file_.id(), "complete", 1LL);
  write_attribute(file_.id(), "completed_at", utc_timestamp());
  for (const auto& a : final_attributes) write_attribute(file_.id(), a);
  close_file_checked(file_, working_path_);
  sync_file(working_path_);
  commit_temporary(working_path_, path_);
  lock_.release();
}

void PartialFile::abandon() {
  close_after_failure(file_);
  std::error_code ec;
  if (!working_path_.empty()) fs::remove(working_path_, ec);
  lock_.release();
}

}  // namespace fieldlab::io
