#pragma once
// The one YAML entry point for text a user can hand us (--config files, model configurations,
// the training identity stored in a checkpoint). yaml-cpp accepts things that make no sense in a
// flat option file and can be abused: anchors and aliases (an alias "bomb" expands
// exponentially), deep nesting, duplicate keys (the later one silently wins), several documents
// and keys that are not plain values. load_yaml_strict refuses each with one usage error naming
// `source`, the key and the line, before yaml-cpp builds a node tree.

#include <yaml-cpp/yaml.h>

#include <string>

namespace fieldlab::nn {

// Deepest nesting of sequences and mappings accepted (a flat config file needs 2).
inline constexpr int kMaxYamlDepth = 16;

// Parses `text` (one YAML document) after checking it. `source` names it in errors, e.g.
// "configuration file 'run.yaml'"; malformed YAML is a usage error with its line.
YAML::Node load_yaml_strict(const std::string& text, const std::string& source);

}  // namespace fieldlab::nn
