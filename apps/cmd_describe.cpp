// fieldlab describe MODEL: a model's layer structure and exact parameter count, without allocating
// the parameters (declaration only), so full-size configurations describe instantly.

#include <fmt/format.h>

#include <string>

#include "apps/commands.hpp"
#include "apps/model_options.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::apps {

void register_describe(CLI::App& app) {
  static std::string model;
  static nn::ModelOptions options;
  auto* cmd = app.add_subcommand("describe", "print a model's layer structure and parameter count");
  cmd->add_option("model", model, nn::known_models())->required();
  add_model_options(cmd, options, true);
  cmd->callback([] { fmt::print("{}", nn::make_model(model, options)->describe()); });
}

}  // namespace fieldlab::apps
