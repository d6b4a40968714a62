#include "nn/models/model_guard.hpp"

#include <fmt/format.h>

#include <bit>

#include "core/error.hpp"
#include "core/resource_guard.hpp"

namespace fieldlab::nn {

void require_grid_fits(const FrameModel& model, std::int64_t height, std::int64_t width,
                       std::string_view source) {
  const std::int64_t m = model.size_multiple();
  require(height > 0 && width > 0 && height % m == 0 && width % m == 0,
          "{}: grid {}x{} is not divisible by {} ({} halves the grid {} times); use a model with "
          "fewer levels or data on a grid divisible by {}",
          source, height, width, m, model.name(), std::countr_zero(static_cast<std::uint64_t>(m)),
          m);
}

void check_parameter_memory(const Model& model, int copies) {
  const std::int64_t count = model.parameters().size();
  MemoryEstimate(fmt::format("{} with {} parameters", model.name(), count))
      .add("parameters", static_cast<double>(count), "values", sizeof(float), copies,
           copies == 4 ? "copies (values, gradients, 2 AdamW moments)" : "copies")
      .check("reduce the model's width (hidden, widths) or depth (levels, waves, blocks)");
}

}  // namespace fieldlab::nn
