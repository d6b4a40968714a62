#pragma once
// Checks a model before any of its weights are allocated (core/resource_guard.hpp): its grid
// against the model's downsampling, and its parameters, gradients and optimiser state against the
// memory available. A model is declared without memory (nn/models/model.hpp), so both checks run
// on the declaration; a refusal is one usage line.

#include <cstdint>
#include <string_view>

#include "nn/models/model.hpp"

namespace fieldlab::nn {

// Usage error unless height and width are positive multiples of model.size_multiple():
// "{source}: grid 64x64 is not divisible by 65536 (sinenet8 downsamples 16 times); reduce
// levels". `source` names where the grid comes from (the data file).
void require_grid_fits(const FrameModel& model, std::int64_t height, std::int64_t width,
                       std::string_view source);

// Usage error when the parameters in `copies` float copies (values and gradients: 2; with AdamW's
// two moments: 4) do not fit in the memory available; the message gives the estimate.
void check_parameter_memory(const Model& model, int copies);

}  // namespace fieldlab::nn
