#include "apps/model_options.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "quantum/qkan/hqkan.hpp"

namespace fieldlab::apps {

const nn::ModelRegistry& app_models() {
  static const nn::ModelRegistry registry = [] {
    nn::ModelRegistry r = nn::builtin_models();
    quantum::qkan::add_hqkan_model(r);
    return r;
  }();
  return registry;
}

void ModelOptions::add_to(CLI::App* command, const nn::ModelRegistry& registry,
                          const std::vector<std::string>& skip) {
  for (const auto& entry : registry.entries()) {
    const auto config = entry.default_config(entry.family);
    for (const auto& key : config->keys()) {
      if (key.legacy || std::find(skip.begin(), skip.end(), key.name) != skip.end()) continue;
      const bool seen = std::any_of(bound_.begin(), bound_.end(),
                                    [&](const Bound& b) { return b.key == key.name; });
      if (seen) continue;
      // A model key must not shadow one of the command's own options (a test runs every command).
      require(command->get_option_no_throw("--" + key.option) == nullptr,
              "model key '{}' of {} clashes with the option --{} of '{}'", key.name, entry.family,
              key.option, command->get_name());
      Bound b{key.name, nullptr, key.flag};
      const std::string help = entry.family + ": " + key.help;
      if (key.flag)
        b.option = command->add_flag("--" + key.option, flags_[key.name], help);
      else
        b.option = command->add_option("--" + key.option, values_[key.name], help);
      bound_.push_back(std::move(b));
    }
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
