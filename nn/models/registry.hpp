#pragma once
// Models by name: a factory from a registry name and a typed configuration to a Model
// (nn/models/model.hpp). Each model family contributes one ModelEntry (its names, its default
// configuration for a name, and a factory), declared next to the model (sinenet.hpp, unet.hpp,
// mlp.hpp). builtin_models() holds nn's own families; libraries above nn add theirs to a copy
// (quantum/qkan/hqkan.hpp: add_hqkan_model), so nn never depends on them.
//
// A model is made in three steps, each usable alone: default_config(name) gives the family's
// typed config for that name (sinenet4: four waves and their preset multiplier), keys set or read
// from YAML change it (model_config.hpp validates each), make(name, config) declares the network.
// config_yaml() of the result rebuilds the same model through from_yaml().

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nn/models/model.hpp"
#include "nn/models/model_config.hpp"

namespace fieldlab::nn {

// Configuration keys by name ("waves" -> "4"), as given on a command line or in a test.
using ModelKeys = std::map<std::string, std::string>;

struct ModelEntry {
  std::string family;  // "sinenet": messages and the one-name-per-family check
  std::string help;    // the names it takes: "sinenet, sinenetK (K = 1, 2, 4, 6, 8)"
  // Whether a lower-case name belongs to this family.
  std::function<bool(const std::string& name)> matches;
  // The default configuration for a name of the family (a usage error for a malformed name).
  std::function<std::unique_ptr<ModelConfig>(const std::string& name)> default_config;
  // Declares (does not allocate) the model; the config is the family's and validated.
  std::function<std::unique_ptr<Model>(const std::string& name, const ModelConfig& config)> make;
};

class ModelRegistry {
 public:
  ModelRegistry() = default;
  // Adds a family; a usage error if one of that family name is already there.
  void add(ModelEntry entry);
  // The entry for `name` (case-insensitive); an unknown name is a usage error listing the known.
  const ModelEntry& find(const std::string& name) const;
  std::unique_ptr<ModelConfig> default_config(const std::string& name) const;
  std::unique_ptr<Model> make(const std::string& name, const ModelConfig& config) const;
  // default_config(name) with `keys` applied (unknown keys name the valid ones).
  std::unique_ptr<Model> make(const std::string& name, const ModelKeys& keys = {}) const;
  // From config_yaml() text (a checkpoint's `model_config`), written by this or an older version.
  std::unique_ptr<Model> from_yaml(const std::string& yaml) const;
  // "sinenet, sinenetK (K = 1, 2, 4, 6, 8), unet, ..." for help texts and errors.
  std::string known() const;
  const std::vector<ModelEntry>& entries() const { return entries_; }

 private:
  std::vector<ModelEntry> entries_;
};

// nn's own families: sinenet, unet, mlp. Immutable; copy it to add more.
const ModelRegistry& builtin_models();

// The same through builtin_models().
std::unique_ptr<Model> make_model(const std::string& name, const ModelKeys& keys = {});
std::unique_ptr<Model> make_model_from_yaml(const std::string& yaml);
std::string known_models();
// make_model for a task interface: a usage error when the model is not one.
std::unique_ptr<FrameModel> make_frame_model(const std::string& name, const ModelKeys& keys = {});
std::unique_ptr<PointwiseModel> make_pointwise_model(const std::string& name,
                                                     const ModelKeys& keys = {});

// The lower-case form registry names are matched in.
std::string lower_model_name(std::string name);

}  // namespace fieldlab::nn
