#pragma once
// The model options of describe and train, generated from the models' own configuration keys
// (nn/models/model_config.hpp): one long option per key of every family in the registry (the
// union; a key several families share is one option), so a model's keys are never listed twice.
// Which keys were given is read after parsing and applied to the chosen model's configuration,
// where a key the model does not have is a usage error naming its valid keys.

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "nn/models/registry.hpp"

namespace fieldlab::apps {

// Every model the command line knows: quantum::qkan::all_models() (nn's families and HQKAN).
const nn::ModelRegistry& app_models();

class ModelOptions {
 public:
  // Adds the options to `command`; keys in `skip` (train's "fields", which comes from the data)
  // are left out.
  void add_to(CLI::App* command, const nn::ModelRegistry& registry,
              const std::vector<std::string>& skip = {});
  // The keys given on the command line or in the --config file.
  nn::ModelKeys given() const;

 private:
  struct Bound {
    std::string key;
    CLI::Option* option = nullptr;
    bool flag = false;
  };
  std::vector<Bound> bound_;
  std::map<std::string, std::string> values_;  // std::map: the addresses CLI11 writes to stay put
  std::map<std::string, bool> flags_;
};

}  // namespace fieldlab::apps
