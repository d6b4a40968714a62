// Models are checked before any weight is allocated (nn/models/model_guard.hpp and the
// ParameterStore's own check): channel counts that would overflow, grids the downsampling does not
// divide, and parameter buffers larger than the memory available.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <string>

#include "core/error.hpp"
#include "nn/models/model_guard.hpp"
#include "nn/models/registry.hpp"
#include "nn/parameter_store.hpp"
#include "nn/tensor.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

namespace {

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("a channel count beyond the limit is refused at declaration, not wrapped") {
  const std::string m = error_of([] {
    make_model("sinenet1", {{"hidden", "65536"}, {"mult", "8"}, {"levels", "16"}});
  });
  CHECK(m.find("more than 1048576: reduce hidden, mult or levels") != std::string::npos);
  // Just inside the limit the exact count is positive (int64 all the way).
  auto big = make_model("sinenet1", {{"hidden", "4096"}, {"levels", "2"}, {"mult", "2"}});
  CHECK(big->parameters().size() > 1000000000);
  CHECK(!big->parameters().allocated());
}

TEST_CASE("the grid must suit the model's downsampling") {
  auto model = make_model("sinenet1", {{"levels", "4"}});
  const FrameModel& frames = as_frame_model(*model);
  CHECK_NOTHROW(require_grid_fits(frames, 32, 64, "d.h5"));
  const std::string m = error_of([&] { require_grid_fits(frames, 16, 24, "d.h5"); });
  CHECK(m.find("d.h5: grid 16x24 is not divisible by 16") != std::string::npos);
}

TEST_CASE("parameters larger than the memory available are refused before allocation") {
  setenv("FIELDLAB_MEMORY_LIMIT_BYTES", "1000000", 1);  // 1 MB
  auto model = make_model("sinenet1", {{"hidden", "64"}, {"levels", "2"}});
  const std::string m = error_of([&] { check_parameter_memory(*model, 4); });
  CHECK(m.find("sinenet1 with ") != std::string::npos);
  CHECK(m.find("needs about") != std::string::npos);
  CHECK(m.find("are available (FIELDLAB_MEMORY_LIMIT_BYTES)") != std::string::npos);
  // The store checks itself too (eval and predict allocate through it).
  CHECK(error_of([&] { model->parameters().allocate(); }).find("needs about") != std::string::npos);
  CHECK(!model->parameters().allocated());
  unsetenv("FIELDLAB_MEMORY_LIMIT_BYTES");
  CHECK_NOTHROW(model->parameters().allocate());
}

TEST_CASE("tensor sizes are checked products") {
  CHECK(numel(Shape{1 << 20, 1 << 20}) == std::int64_t{1} << 40);
  CHECK(error_of([] {
          numel(Shape{1 << 30, 1 << 30, 1 << 30});
        }).find("too large") != std::string::npos);
}
