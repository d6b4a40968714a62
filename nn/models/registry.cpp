#include "nn/models/registry.hpp"

#include <fmt/format.h>

#include <cctype>
#include <functional>
#include <sstream>

#include "core/error.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/models/unet.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// "sinenet" (8 waves unless --waves), "sinenetK" / "sinenet-K" as shorthands.
std::unique_ptr<Model> make_sinenet(const std::string& name, const ModelOptions& o) {
  std::string rest = name.substr(7);
  if (!rest.empty() && rest.front() == '-') rest.erase(0, 1);
  int waves = o.waves > 0 ? o.waves : 8;
  if (!rest.empty()) {
    for (char c : rest)
      require(std::isdigit(static_cast<unsigned char>(c)) != 0, "unknown model '{}' (known: {})",
              name, known_models());
    waves = std::stoi(rest);
    require(o.waves == 0 || o.waves == waves, "{} has {} waves but --waves {} was given", name,
            waves, o.waves);
  }
  SineNetConfig cfg;
  if (o.mult > 0) {
    cfg.waves = waves;
    cfg.mult = o.mult;
  } else {
    cfg = sinenet_preset(waves);
  }
  cfg.fields = o.fields;
  cfg.history = o.history;
  cfg.hidden = o.hidden;
  cfg.levels = o.levels;
  cfg.blocks = o.blocks > 0 ? o.blocks : 1;
  cfg.padding = parse_padding(o.padding);
  cfg.disentangle = !o.tangled;
  cfg.conditioning = parse_conditioning(o.conditioning);
  cfg.parameter_conditioning = !o.parameter.empty();
  require(o.parameter.empty() || cfg.conditioning != Conditioning::none,
          "--condition-parameter {} needs --conditioning add or adagn", o.parameter);
  // Record the resolved waves and multiplier so the checkpoint rebuilds exactly this network.
  ModelOptions resolved = o;
  resolved.waves = cfg.waves;
  resolved.mult = cfg.mult;
  resolved.blocks = cfg.blocks;
  resolved.conditioning = to_string(cfg.conditioning);
  return std::make_unique<ModelOf<SineNet>>(name, resolved, cfg, 1 << cfg.levels);
}

// The PDEArena-style U-Net baseline: one wave, 8 ConvBlocks per level unless --blocks.
std::unique_ptr<Model> make_unet(const std::string& name, const ModelOptions& o) {
  require(o.waves == 0 || o.waves == 1, "unet has one wave (got --waves {})", o.waves);
  require(o.conditioning == "none" && o.parameter.empty(),
          "unet takes no conditioning (got --conditioning {}); use a sinenet model",
          o.conditioning);
  UNetConfig cfg;
  cfg.fields = o.fields;
  cfg.history = o.history;
  cfg.hidden = o.hidden;
  if (o.mult > 0) cfg.mult = o.mult;
  cfg.levels = o.levels;
  if (o.blocks > 0) cfg.blocks = o.blocks;
  cfg.padding = parse_padding(o.padding);
  cfg.disentangle = !o.tangled;
  ModelOptions resolved = o;
  resolved.waves = 1;
  resolved.mult = cfg.mult;
  resolved.blocks = cfg.blocks;
  return std::make_unique<ModelOf<UNet>>(name, resolved, cfg, 1 << cfg.levels);
}

struct ModelEntry {
  const char* help;
  std::function<bool(const std::string&)> matches;
  std::function<std::unique_ptr<Model>(const std::string&, const ModelOptions&)> make;
};

// The registry: a help text, a name matcher and a factory per model.
const std::vector<ModelEntry>& entries() {
  static const std::vector<ModelEntry> table = {
      {"sinenet, sinenetK (K = 1, 2, 4, 6, 8)",
       [](const std::string& n) { return n.rfind("sinenet", 0) == 0; }, make_sinenet},
      {"unet", [](const std::string& n) { return n == "unet"; }, make_unet},
  };
  return table;
}

}  // namespace

std::string ModelOptions::to_yaml() const {
  return fmt::format(
      "fields: {}\nhistory: {}\nwaves: {}\nmult: {}\nhidden: {}\nlevels: {}\nblocks: {}\n"
      "padding: {}\ntangled: {}\nconditioning: {}\nparameter: {}\n",
      fields, history, waves, mult, hidden, levels, blocks, padding, tangled ? "true" : "false",
      conditioning, parameter);
}

ModelOptions ModelOptions::from_yaml(const std::string& yaml) {
  ModelOptions o;
  std::istringstream in(yaml);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    require(colon != std::string::npos, "model configuration: malformed line '{}'", line);
    const std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    try {
      if (key == "model") continue;
      if (key == "fields")
        o.fields = std::stoi(value);
      else if (key == "history")
        o.history = std::stoi(value);
      else if (key == "waves")
        o.waves = std::stoi(value);
      else if (key == "mult")
        o.mult = std::stod(value);
      else if (key == "hidden")
        o.hidden = std::stoi(value);
      else if (key == "levels")
        o.levels = std::stoi(value);
      else if (key == "blocks")
        o.blocks = std::stoi(value);
      else if (key == "padding")
        o.padding = value;
      else if (key == "tangled")
        o.tangled = value == "true";
      else if (key == "conditioning")
        o.conditioning = value;
      else if (key == "parameter")
        o.parameter = value;
      else
        fail(ErrorKind::usage, "model configuration: unknown key '{}'", key);
    } catch (const std::logic_error&) {
      fail(ErrorKind::usage, "model configuration: bad value '{}' for '{}'", value, key);
    }
  }
  return o;
}

Var Model::step(Graph& graph, Var x, ModelConditions conditions) const {
  if (!conditioned()) {
    require(conditions.dt.empty() && conditions.parameter.empty(),
            "model '{}' is not conditioned but conditioning values were given", name_);
    return forward(graph, x);
  }
  require(!conditions.dt.empty(), "model '{}' is conditioned ({}) and needs dt per sample", name_,
          options_.conditioning);
  require(options_.parameter.empty() || !conditions.parameter.empty(),
          "model '{}' is conditioned on '{}' and needs its value per sample", name_,
          options_.parameter);
  return forward_conditioned(graph, x, conditions.dt, conditions.parameter);
}

std::string Model::config_yaml() const { return "model: " + name_ + "\n" + options_.to_yaml(); }

std::unique_ptr<Model> make_model(const std::string& name, const ModelOptions& options) {
  const std::string n = lower(name);
  for (const auto& e : entries())
    if (e.matches(n)) return e.make(n, options);
  fail(ErrorKind::usage, "unknown model '{}' (known: {})", name, known_models());
}

std::unique_ptr<Model> make_model_from_yaml(const std::string& yaml) {
  std::istringstream in(yaml);
  std::string line, name;
  while (std::getline(in, line))
    if (trim(line).rfind("model:", 0) == 0) name = trim(trim(line).substr(6));
  require(!name.empty(), "model configuration names no model");
  return make_model(name, ModelOptions::from_yaml(yaml));
}

std::string known_models() {
  std::string s;
  for (const auto& e : entries()) s += (s.empty() ? "" : ", ") + std::string(e.help);
  return s;
}

}  // namespace fieldlab::nn
