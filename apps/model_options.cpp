#include "apps/model_options.hpp"

namespace fieldlab::apps {

void add_model_options(CLI::App* command, nn::ModelOptions& o, bool with_fields) {
  if (with_fields)
    command->add_option("--fields", o.fields, "channels of one frame (scalars + vector components)")
        ->capture_default_str();
  command->add_option("--history", o.history, "input frames")->capture_default_str();
  command->add_option("--waves", o.waves, "number of waves K (default 8 for 'sinenet')");
  command->add_option("--mult", o.mult,
                      "channel multiplier (default: the preset for K = 1, 2, 4, 6, 8)");
  command->add_option("--hidden", o.hidden, "channels of the first level")->capture_default_str();
  command->add_option("--levels", o.levels, "downsamplings per wave")->capture_default_str();
  command->add_option("--blocks", o.blocks,
                      "ConvBlocks per level (default 1 for SineNet, 8 for the U-Net)");
  command->add_option("--padding", o.padding, "zeros or circular")->capture_default_str();
  command->add_flag("--tangled", o.tangled, "drop the disentangled wave-input skips");
  command
      ->add_option("--conditioning", o.conditioning,
                   "condition SineNet on each window's dt: none, add or adagn")
      ->capture_default_str();
  command->add_option("--condition-parameter", o.parameter,
                      "also condition on this scalar PDE parameter of the data (e.g. buo_y, "
                      "buoyancy_y, dam_radius)");
}

}  // namespace fieldlab::apps
