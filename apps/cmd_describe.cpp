// fieldlab describe MODEL: a model's layer structure and exact parameter count, without allocating
// the parameters (declaration only), so full-size configurations describe instantly.

#include <fmt/format.h>

#include <cctype>
#include <string>

#include "apps/commands.hpp"
#include "core/error.hpp"
#include "nn/models/sinenet.hpp"

namespace fieldlab::apps {
namespace {

struct DescribeOptions {
  std::string model;
  int fields = 3;
  int history = 4;
  int waves = 0;    // 0: the model name's default
  double mult = 0;  // 0: the preset for the number of waves
  int hidden = 64;
  std::string padding = "zeros";
  bool tangled = false;
};

// "sinenet" (8 waves unless --waves), "sinenetK" / "sinenet-K" as shorthands.
int waves_from_name(const std::string& name, int waves_option) {
  std::string rest = name.substr(7);
  if (!rest.empty() && rest.front() == '-') rest.erase(0, 1);
  if (rest.empty()) return waves_option > 0 ? waves_option : 8;
  for (char c : rest)
    require(std::isdigit(static_cast<unsigned char>(c)) != 0,
            "unknown model '{}' (known: sinenet, sinenetK such as sinenet8)", name);
  const int k = std::stoi(rest);
  require(waves_option == 0 || waves_option == k, "{} has {} waves but --waves {} was given", name,
          k, waves_option);
  return k;
}

void run_describe(const DescribeOptions& o) {
  std::string name = o.model;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "unet")
    fail(ErrorKind::usage, "model 'unet' is not implemented yet (known: sinenet, sinenetK)");
  require(name.rfind("sinenet", 0) == 0, "unknown model '{}' (known: sinenet, sinenetK)", o.model);
  const int waves = waves_from_name(name, o.waves);
  nn::SineNetConfig cfg;
  if (o.mult > 0) {
    cfg.waves = waves;
    cfg.mult = o.mult;
  } else {
    cfg = nn::sinenet_preset(waves);
  }
  cfg.fields = o.fields;
  cfg.history = o.history;
  cfg.hidden = o.hidden;
  cfg.padding = nn::parse_padding(o.padding);
  cfg.disentangle = !o.tangled;
  const nn::SineNet net(cfg);
  fmt::print("{}", net.describe());
}

}  // namespace

void register_describe(CLI::App& app) {
  static DescribeOptions o;
  auto* cmd = app.add_subcommand("describe", "print a model's layer structure and parameter count");
  cmd->add_option("model", o.model, "sinenet, sinenetK (K waves, e.g. sinenet8)")->required();
  cmd->add_option("--fields", o.fields, "channels of one frame (scalars + vector components)")
      ->capture_default_str();
  cmd->add_option("--history", o.history, "input frames")->capture_default_str();
  cmd->add_option("--waves", o.waves, "number of waves K (default 8 for 'sinenet')");
  cmd->add_option("--mult", o.mult,
                  "channel multiplier (default: the preset for K = 1, 2, 4, 6, 8)");
  cmd->add_option("--hidden", o.hidden, "channels of the first level")->capture_default_str();
  cmd->add_option("--padding", o.padding, "zeros or circular")->capture_default_str();
  cmd->add_flag("--tangled", o.tangled, "drop the disentangled wave-input skips");
  cmd->callback([] { run_describe(o); });
}

}  // namespace fieldlab::apps
