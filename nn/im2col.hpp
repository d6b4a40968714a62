#pragma once
// Column transforms for 3x3 stride-1 "same" convolutions of one image [C, H, W]:
// row (c*3 + ky)*3 + kx of the [9C, H*W] column matrix holds x[c, y+ky-1, x+kx-1], with zeros or
// wrapped indices outside the image. col2im is its transpose (accumulating).

#include "nn/ops.hpp"

namespace fieldlab::nn {

void im2col3x3(const float* x, int channels, int height, int width, Padding padding, float* col);
void col2im3x3_add(const float* col, int channels, int height, int width, Padding padding,
                   float* x);

}  // namespace fieldlab::nn
