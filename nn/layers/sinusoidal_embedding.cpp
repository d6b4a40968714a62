#include "nn/layers/sinusoidal_embedding.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::nn {

Tensor sinusoidal_embedding(std::span<const float> values, int dim, double max_period) {
  require(dim >= 2 && max_period > 0, "sinusoidal embedding: dim {} max_period {}", dim,
          max_period);
  require(!values.empty(), "sinusoidal embedding of no values");
  const int half = dim / 2;
  Tensor out(
      {static_cast<std::int64_t>(values.size()), dim});  // zero-filled: odd dim's last column
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
  return out;
}

}  // namespace fieldlab::nn
