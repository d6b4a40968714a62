#pragma once
// Reading a --config file: a flat YAML mapping {long-option-name: value | [values]}. Kept apart
// from CLI11 so the fuzzer (tests/fuzz/fuzz_config_yaml.cpp) can call the parse and its checks
// directly.

#include <string>
#include <utility>
#include <vector>

namespace fieldlab::apps {

using ConfigItems = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Largest configuration file read (a real one is a few hundred bytes).
inline constexpr std::size_t kMaxConfigFileBytes = 1 << 20;

// Parses the text of a configuration file named `path` in errors. Anchors, aliases, duplicate
// keys, nesting beyond a list of values, several documents and malformed YAML are usage errors
// naming the file, the key and the line.
ConfigItems parse_config_yaml(const std::string& text, const std::string& path);
// Reads and parses the file (a regular file of at most kMaxConfigFileBytes).
ConfigItems read_config_file(const std::string& path);

}  // namespace fieldlab::apps
