#include "nn/im2col.hpp"

#include <cstring>

#include "core/cpu_dispatch.hpp"

namespace fieldlab::nn {
namespace {

// Source row for output row y shifted by dy, or -1 when it falls into zero padding.
inline int source_row(int y, int dy, int height, Padding padding) {
  int sy = y + dy;
  if (sy >= 0 && sy < height) return sy;
  if (padding == Padding::zeros) return -1;
  return (sy + height) % height;
}

}  // namespace

// Both transforms are memory-bound copies and shifted adds: the x86-64-v3 clones move 32 bytes
// per instruction (col2im was ~5% of a SineNet training step with SSE2 code).
FIELDLAB_MULTIVERSION void im2col3x3(const float* x, int channels, int height, int width,
                                     Padding padding, float* col) {
  const std::size_t hw = static_cast<std::size_t>(height) * width;
  const bool circ = padding == Padding::circular;
  for (int c = 0; c < channels; ++c) {
    const float* plane = x + c * hw;
    for (int ky = 0; ky < 3; ++ky) {
      for (int kx = 0; kx < 3; ++kx) {
        float* row = col + ((c * 3 + ky) * 3 + kx) * hw;
        const int dx = kx - 1;
        for (int y = 0; y < height; ++y) {
          float* out = row + static_cast<std::size_t>(y) * width;
          const int sy = source_row(y, ky - 1, height, padding);
          if (sy < 0) {
            std::memset(out, 0, sizeof(float) * width);
            continue;
          }
          const float* src = plane + static_cast<std::size_t>(sy) * width;
          if (dx == 0) {
            std::memcpy(out, src, sizeof(float) * width);
          } else if (dx < 0) {
            out[0] = circ ? src[width - 1] : 0.0f;
            std::memcpy(out + 1, src, sizeof(float) * (width - 1));
          } else {
            std::memcpy(out, src + 1, sizeof(float) * (width - 1));
            out[width - 1] = circ ? src[0] : 0.0f;
          }
        }
      }
    }
  }
}

FIELDLAB_MULTIVERSION void col2im3x3_add(const float* col, int channels, int height, int width,
                                         Padding padding, float* x) {
  const std::size_t hw = static_cast<std::size_t>(height) * width;
  const bool circ = padding == Padding::circular;
  for (int c = 0; c < channels; ++c) {
    float* plane = x + c * hw;
    for (int ky = 0; ky < 3; ++ky) {
      for (int kx = 0; kx < 3; ++kx) {
        const float* row = col + ((c * 3 + ky) * 3 + kx) * hw;
        const int dx = kx - 1;
        for (int y = 0; y < height; ++y) {
          const float* in = row + static_cast<std::size_t>(y) * width;
          const int sy = source_row(y, ky - 1, height, padding);
          if (sy < 0) continue;
          float* dst = plane + static_cast<std::size_t>(sy) * width;
          if (dx == 0) {
            for (int i = 0; i < width; ++i) dst[i] += in[i];
          } else if (dx < 0) {
            if (circ) dst[width - 1] += in[0];
            for (int i = 1; i < width; ++i) dst[i - 1] += in[i];
          } else {
            for (int i = 0; i + 1 < width; ++i) dst[i + 1] += in[i];
            if (circ) dst[0] += in[width - 1];
          }
        }
      }
    }
  }
}

}  // namespace fieldlab::nn
