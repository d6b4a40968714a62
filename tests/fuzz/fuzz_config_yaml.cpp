// Fuzzes the --config file reader (apps/config_file.cpp): any text is either a list of
// (option, values) or a fieldlab::Error; yaml-cpp's own exceptions, crashes or unbounded
// expansion (aliases) are bugs.
#include <cstdint>
#include <string>

#include "apps/config_file.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto items = fieldlab::apps::parse_config_yaml(text, "fuzz.yaml");
    for (const auto& [name, values] : items)
      if (name.size() > size) __builtin_trap();  // nothing can grow beyond the input
  } catch (const fieldlab::Error&) {
  }
  return 0;
}
