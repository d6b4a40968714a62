// Bicubic x2 upsampling against values computed by hand in PyTorch's convention
// (interpolate(scale_factor=2, mode="bicubic", align_corners=False)): source coordinate
// (o + 0.5) / 2 - 0.5, Keys' kernel with a = -0.75, taps clamped at the border.
// For scale 2 the fractions are 0.75 (even o) and 0.25 (odd o), giving the tap weights
//   t = 0.75: (-0.03515625, 0.26171875, 0.87890625, -0.10546875) on taps o/2-2 .. o/2+1
//   t = 0.25: (-0.10546875, 0.87890625, 0.26171875, -0.03515625) on taps (o-1)/2-1 .. (o-1)/2+2

#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/ops.hpp"

using namespace fieldlab::nn;

TEST_CASE("bicubic x2 matches hand-computed PyTorch values (zero padding = clamped)") {
  Graph g;
  // One row: the H pass sees a single source row (all taps clamp to it, weights sum to 1).
  const Tensor y =
      upsample_bicubic2x(g.constant(Tensor({1, 1, 1, 4}, {1, 2, 4, 8})), Padding::zeros).value();
  REQUIRE(y.shape() == Shape{1, 1, 2, 8});
  // o=0: taps (0,0,0,1) -> 1.10546875 * 1 - 0.10546875 * 2
  CHECK(y[0] == doctest::Approx(0.89453125).epsilon(1e-6));
  // o=1: taps (0,0,1,2) with t=0.25 weights
  CHECK(y[1] == doctest::Approx(1.15625).epsilon(1e-6));
  // o=2: taps (0,0,1,2) with t=0.75 weights
  CHECK(y[2] == doctest::Approx(1.5625).epsilon(1e-6));
  // o=7: taps (2,3,3,3) with t=0.25 weights -> -0.10546875 * 4 + 1.10546875 * 8
  CHECK(y[7] == doctest::Approx(8.421875).epsilon(1e-6));
  // The whole row as torch.nn.functional.interpolate (torch 2.15) returns it.
  const double torch_row[8] = {0.89453125, 1.15625,   1.5625,    2.41796875,
                               3.16015625, 5.1171875, 7.1640625, 8.421875};
  for (int j = 0; j < 8; ++j) CHECK(y[j] == doctest::Approx(torch_row[j]).epsilon(1e-6));
  // The second output row equals the first.
  for (int j = 0; j < 8; ++j) CHECK(y[8 + j] == y[j]);
}

TEST_CASE("bicubic x2 circular variant wraps the taps") {
  Graph g;
  const Tensor y =
      upsample_bicubic2x(g.constant(Tensor({1, 1, 1, 4}, {1, 2, 4, 8})), Padding::circular).value();
  // o=0: taps (-2,-1,0,1) -> (2,3,0,1): -0.03515625*4 + 0.26171875*8 + 0.87890625*1 - 0.10546875*2
  CHECK(y[0] == doctest::Approx(2.62109375).epsilon(1e-6));
  // o=7: taps (2,3,4,5) -> (2,3,0,1): -0.10546875*4 + 0.87890625*8 + 0.26171875*1 - 0.03515625*2
  CHECK(y[7] == doctest::Approx(-0.421875 + 7.03125 + 0.26171875 - 0.0703125).epsilon(1e-6));
  // PyTorch's pad(2, circular) -> interpolate -> crop(4), as in the reference, gives this row.
  const double torch_row[8] = {2.62109375, 0.41796875, 1.31640625, 2.41796875,
                               3.16015625, 5.36328125, 7.90234375, 6.80078125};
  for (int j = 0; j < 8; ++j) CHECK(y[j] == doctest::Approx(torch_row[j]).epsilon(1e-6));
}

TEST_CASE("bicubic x2 in 2D equals the tensor-product formula") {
  const double even[4] = {-0.03515625, 0.26171875, 0.87890625, -0.10546875};
  const double odd[4] = {-0.10546875, 0.87890625, 0.26171875, -0.03515625};
  const int h = 3, w = 11;  // wide enough for the W pass's interior loop (2 <= m <= w - 3)
  auto x = fieldlab::nn::testing::random_tensor({1, 1, h, w}, 99);
  for (Padding p : {Padding::zeros, Padding::circular}) {
    Graph g;
    const Tensor y = upsample_bicubic2x(g.constant(x), p).value();
    auto index = [p](int i, int n) {
      return p == Padding::circular ? ((i % n) + n) % n : std::clamp(i, 0, n - 1);
    };
    for (int oy = 0; oy < 2 * h; ++oy)
      for (int ox = 0; ox < 2 * w; ++ox) {
        const int fy = oy % 2 == 0 ? oy / 2 - 2 : oy / 2 - 1;
        const int fx = ox % 2 == 0 ? ox / 2 - 2 : ox / 2 - 1;
        const double* wy = oy % 2 == 0 ? even : odd;
        const double* wx = ox % 2 == 0 ? even : odd;
        double s = 0;
        for (int a = 0; a < 4; ++a)
          for (int b = 0; b < 4; ++b)
            s += wy[a] * wx[b] * x[index(fy + a, h) * w + index(fx + b, w)];
        CHECK(y[oy * 2 * w + ox] == doctest::Approx(s).epsilon(1e-5));
      }
  }
}
