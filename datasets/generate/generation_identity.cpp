#include "datasets/generate/generation_identity.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace fieldlab::datasets {

const char* to_string(FileLayout layout) {
  switch (layout) {
    case FileLayout::native:
      return "native";
    case FileLayout::pdebench:
      return "pdebench";
    case FileLayout::pdearena:
      return "pdearena";
  }
  return "?";
}

FileLayout parse_file_layout(const std::string& name) {
  if (name == "native") return FileLayout::native;
  if (name == "pdebench") return FileLayout::pdebench;
  if (name == "pdearena") return FileLayout::pdearena;
  fail(ErrorKind::usage, "unknown layout '{}' (expected native, pdebench or pdearena)", name);
}

IdentityText& IdentityText::add(std::string_view key, std::string_view value) {
  // Option values are names and numbers, which YAML takes as plain scalars; only the empty value
  // needs quotes (as yaml-cpp, which wrote these lines before, emits it).
  text_ += fmt::format("{}: {}\n", key, value.empty() ? std::string_view("\"\"") : value);
  return *this;
}

// fmt's default for double is the shortest text that reads back to the same value.
IdentityText& IdentityText::add(std::string_view key, double value) {
  return add(key, fmt::format("{}", value));
}

IdentityText& IdentityText::add(std::string_view key, long long value) {
  return add(key, fmt::format("{}", value));
}

IdentityText& IdentityText::add(std::string_view key, unsigned long long value) {
  return add(key, fmt::format("{}", value));
}

IdentityText& IdentityText::add(std::string_view key, bool value) {
  return add(key, value ? "true" : "false");
}

IdentityText& IdentityText::add(std::string_view key, const std::vector<std::string>& values) {
  return add(key, fmt::format("{}", fmt::join(values, ",")));
}

}  // namespace fieldlab::datasets
