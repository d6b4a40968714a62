#pragma once
// The run identity of a generated file: a text, stored in the file's `generation_identity`
// attribute, that determines the data. Resuming (datasets/partial_file.hpp) accepts a partial
// file only when the identity built from the resuming run's configuration is the same text.
//
// Every generator builds its identity from its config struct (ns2d_identity, smoke2d_identity,
// dambreak2d_identity, swe2d_identity), so the CLI and a binding derive the same text from the
// same configuration. The text is one `key: value` line per data-determining setting, keyed by
// the generator's long option names in the order `fieldlab generate PDE --help` lists them
// (docs/cli.md); settings that only steer the run (output path, threads, overwrite/resume,
// quiet) are not part of it. Values are written canonically: integers in decimal, doubles in
// their shortest round-trip form ("0.001", "1e-06"), lists comma-separated, flags true/false,
// an empty value as "". This is the text that `fieldlab generate` has always stored for options
// given in that form (or left at their defaults), so files and unfinished runs made by earlier
// versions keep resuming.

#include <string>
#include <string_view>
#include <vector>

namespace fieldlab::datasets {

// The file layouts a generator can write: fieldlab's own, PDEBench's per-sample groups and
// PDEArena's (trajectories in one group per split).
enum class FileLayout { native, pdebench, pdearena };
const char* to_string(FileLayout layout);
// "native" | "pdebench" | "pdearena"; anything else is a usage error naming the three.
FileLayout parse_file_layout(const std::string& name);

class IdentityText {
 public:
  IdentityText& add(std::string_view key, std::string_view value);
  IdentityText& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  IdentityText& add(std::string_view key, const std::string& value) {
    return add(key, std::string_view(value));
  }
  IdentityText& add(std::string_view key, double value);
  IdentityText& add(std::string_view key, long long value);
  IdentityText& add(std::string_view key, int value) {
    return add(key, static_cast<long long>(value));
  }
  IdentityText& add(std::string_view key, unsigned long long value);
  IdentityText& add(std::string_view key, bool value);
  IdentityText& add(std::string_view key, const std::vector<std::string>& values);
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

}  // namespace fieldlab::datasets
