#include "nn/models/registry.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>

#include "core/error.hpp"
#include "nn/models/lpinn.hpp"
#include "nn/models/mlp_model.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/models/unet.hpp"
#include "nn/yaml_strict.hpp"

namespace fieldlab::nn {

std::string lower_model_name(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void ModelRegistry::add(ModelEntry entry) {
  for (const auto& e : entries_)
    require(e.family != entry.family, "model family '{}' is registered twice", entry.family);
  entries_.push_back(std::move(entry));
}

const ModelEntry& ModelRegistry::find(const std::string& name) const {
  const std::string n = lower_model_name(name);
  for (const auto& e : entries_)
    if (e.matches(n)) return e;
  fail(ErrorKind::usage, "unknown model '{}' (known: {})", name, known());
}

std::unique_ptr<ModelConfig> ModelRegistry::default_config(const std::string& name) const {
  return find(name).default_config(lower_model_name(name));
}

std::unique_ptr<Model> ModelRegistry::make(const std::string& name,
                                           const ModelConfig& config) const {
  config.validate();
  return find(name).make(lower_model_name(name), config);
}

std::unique_ptr<Model> ModelRegistry::make(const std::string& name, const ModelKeys& keys) const {
  auto config = default_config(name);
  config->set_all(keys);
  return make(name, *config);
}

std::unique_ptr<Model> ModelRegistry::from_yaml(const std::string& yaml) const {
  std::string name;
  const YAML::Node root = load_yaml_strict(yaml, "model configuration");
  if (root.IsMap() && root["model"] && root["model"].IsScalar())
    name = root["model"].as<std::string>();
  require(!name.empty(), "model configuration names no model");
  auto config = default_config(name);
  config->read_yaml(yaml, {"model"});
  return make(name, *config);
}

std::string ModelRegistry::known() const {
  std::string s;
  for (const auto& e : entries_) s += (s.empty() ? "" : ", ") + e.help;
  return s;
}

const ModelRegistry& builtin_models() {
  static const ModelRegistry registry = [] {
    ModelRegistry r;
    r.add(sinenet_model_entry());
    r.add(unet_model_entry());
    r.add(mlp_model_entry());
    r.add(lpinn_model_entry());
    return r;
  }();
  return registry;
}

std::unique_ptr<Model> make_model(const std::string& name, const ModelKeys& keys) {
  return builtin_models().make(name, keys);
}

std::unique_ptr<Model> make_model_from_yaml(const std::string& yaml) {
  return builtin_models().from_yaml(yaml);
}

std::string known_models() { return builtin_models().known(); }

std::unique_ptr<FrameModel> make_frame_model(const std::string& name, const ModelKeys& keys) {
  auto model = make_model(name, keys);
  as_frame_model(*model);  // the usage error when it is not one
  return std::unique_ptr<FrameModel>(static_cast<FrameModel*>(model.release()));
}

std::unique_ptr<PointwiseModel> make_pointwise_model(const std::string& name,
                                                     const ModelKeys& keys) {
  auto model = make_model(name, keys);
  as_pointwise_model(*model);
  return std::unique_ptr<PointwiseModel>(static_cast<PointwiseModel*>(model.release()));
}

}  // namespace fieldlab::nn
