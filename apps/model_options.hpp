#pragma once
// The model options shared by describe and train (--fields, --history, --waves, --mult, --hidden,
// --levels, --padding, --tangled), bound to an nn::ModelOptions.

#include <CLI/CLI.hpp>

#include "nn/models/registry.hpp"

namespace fieldlab::apps {

// `with_fields`: describe takes --fields as a count; train takes the fields from the data file.
void add_model_options(CLI::App* command, nn::ModelOptions& options, bool with_fields);

}  // namespace fieldlab::apps
