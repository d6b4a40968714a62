#include "nn/layers/sinusoidal_embedding.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::nn {

Tensor sinusoidal_embedding(std::span<const float> values, int dim, double max_period) {
  Tensor out({static_cast<std::int64_t>(values.size()), std::max(dim, 1)});
  sinusoidal_embedding(values, dim, max_period, out);
  return out;
}

void sinusoidal_embedding(std::span<const float> values, int dim, double max_period, Tensor& out) {
  require(dim >= 2 && max_period > 0, "sinusoidal embedding: dim {} max_period {}", dim,
          max_period);
  require(!values.empty(), "sinusoidal embedding of no values");
  require(out.shape() == Shape{static_cast<std::int64_t>(values.size()), dim},
          "sinusoidal embedding: output {} for {} values of dim {}", to_string(out.shape()),
          values.size(), dim);
  const int half = dim / 2;
  if (dim % 2) out.fill(0.0f);  // the appended zero column
  const float neg_log = static_cast<float>(-std::log(max_period));
  for (std::size_t n = 0; n < values.size(); ++n) {
    require(std::isfinite(values[n]), "sinusoidal embedding: value {} is not finite", values[n]);
    float* row = out.data() + n * dim;
    for (int k = 0; k < half; ++k) {
      const float freq = std::exp(neg_log * static_cast<float>(k) / static_cast<float>(half));
      const float arg = values[n] * freq;
      row[k] = std::cos(arg);
      row[half + k] = std::sin(arg);
    }
  }
}

}  // namespace fieldlab::nn
