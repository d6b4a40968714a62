// fieldlab describe MODEL: a model's layer structure and exact parameter count, without allocating
// the parameters (declaration only), so full-size configurations describe instantly. The model
// options are the models' own configuration keys (apps/model_options.hpp).

#include <fmt/format.h>

#include <string>

#include "apps/commands.hpp"
#include "apps/model_options.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::apps {

void register_describe(CLI::App& app) {
  static std::string model;
  static ModelOptions options;
  auto* cmd = app.add_subcommand("describe", "print a model's layer structure and parameter count");
  cmd->add_option("model", model, app_models().known())->required();
  options.add_to(cmd, app_models());
  cmd->callback([] { fmt::print("{}", app_models().make(model, options.given())->describe()); });
}

}  // namespace fieldlab::apps
