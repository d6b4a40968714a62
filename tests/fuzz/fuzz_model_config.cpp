// Fuzzes the model configurations' YAML (nn/models/model_config.cpp read_yaml: bind and
// validate every key) for each family of the registry, and the registry's from-YAML lookup of
// the model name. The model is not built (its size is another guard's job): only the
// configuration. Anything but a fieldlab::Error escaping is a bug.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "nn/models/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the family, the rest is the YAML.
  static const char* const names[] = {"sinenet", "sinenet4", "unet", "mlp"};
  const std::string name = names[data[0] % 4];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto& registry = fieldlab::nn::builtin_models();
  try {
    auto config = registry.default_config(name);
    config->read_yaml(text, {"model"});
    // What was read writes back to YAML that reads again to the same text.
    const std::string yaml = config->to_yaml();
    auto again = registry.default_config(name);
    again->read_yaml(yaml, {"model"});
    if (again->to_yaml() != yaml) __builtin_trap();
  } catch (const fieldlab::Error&) {
  }
  return 0;
}
