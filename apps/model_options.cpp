#include "apps/model_options.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "quantum/nn/hqkan.hpp"

namespace fieldlab::apps {

const nn::ModelRegistry& app_models() { return quantum::qkan::all_models(); }

void ModelOptions::add_to(CLI::App* command, const nn::ModelRegistry& registry,
                          const std::vector<std::string>& skip) {
  // Every key once, in the first family's order, with the families that have it and their
  // defaults in the help ("sinenet 64, unet 64: channels of the first level").
  struct Key {
    nn::ConfigKey key;
    std::string families;
  };
  std::vector<Key> keys;
  for (const auto& entry : registry.entries()) {
    const auto config = entry.default_config(entry.family);
    for (const auto& key : config->keys()) {
      if (key.legacy || std::find(skip.begin(), skip.end(), key.name) != skip.end()) continue;
      auto it = std::find_if(keys.begin(), keys.end(),
                             [&](const Key& k) { return k.key.name == key.name; });
      const std::string family = entry.family + " " + (key.get().empty() ? "\"\"" : key.get());
      if (it == keys.end())
        keys.push_back({key, family});
      else
        it->families += ", " + family;
    }
  }
  for (const auto& [key, families] : keys) {
    // A model key must not shadow one of the command's own options (a test runs every command).
    require(command->get_option_no_throw("--" + key.option) == nullptr,
            "model key '{}' clashes with the option --{} of '{}'", key.name, key.option,
            command->get_name());
    Bound b{key.name, nullptr, key.flag};
    const std::string help = key.help + " [default: " + families + "]";
    if (key.flag)
      b.option = command->add_flag("--" + key.option, flags_[key.name], help);
    else
      b.option = command->add_option("--" + key.option, values_[key.name], help);
    bound_.push_back(std::move(b));
  }
}

nn::ModelKeys ModelOptions::given() const {
  nn::ModelKeys keys;
  for (const auto& b : bound_) {
    if (b.option->count() == 0) continue;
    keys[b.key] = b.flag ? (flags_.at(b.key) ? "true" : "false") : values_.at(b.key);
  }
  return keys;
}

}  // namespace fieldlab::apps
