// Fuzzes the trajectory readers (native, PDEBench, PDEArena: open_trajectories picks by layout)
// with structure-aware mutations (h5_mutator.hpp) of small valid files written by the real
// writers (tests/datasets/loader_files.hpp), then every accessor a command uses. Reading or a
// fieldlab::Error are fine; a crash, sanitizer report, other exception or huge allocation is a
// bug. The first byte picks the layout.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "datasets/loader_files.hpp"
#include "datasets/trajectory_reader.hpp"
#include "fuzz/h5_mutator.hpp"

namespace {

using namespace fieldlab::fuzz;

const std::vector<Object>& seed(int layout) {
  static const std::vector<std::vector<Object>> seeds = [] {
    std::vector<std::vector<Object>> s;
    for (const char* l : {"native", "pdebench", "pdearena"}) {
      const std::string path = loader_files::write_file(l).first;
      s.push_back(read_structure(path));
      std::filesystem::remove(path);
    }
    return s;
  }();
  return seeds[layout % seeds.size()];
}

// Names of the three layouts, so a mutation can move an object or attribute to one the
// readers look for.
const std::vector<std::string> kNames = {
    "/t",       "/x",           "/y",         "/a",           "/b",
    "/u",       "/vx",          "/vy",        "/completed",   "/diagnostics/buoyancy_y",
    "/data",    "/grid/t",      "/grid/x",    "/grid/y",      "/train/u",
    "/valid/u", "/valid/buo_y", "/0000/data", "/0001/grid/t", "fields",
    "format",   "layout",       "complete",   "config",       "dt",
    "dx",       "dy",           "buo_y",      "channels",     "kind",
    "split",    "trajectories", "frames"};

// FIELDLAB_FUZZ_VERBOSE=1: names each step on stderr, so a crash says where it was.
void step(const char* what) {
  if (std::getenv("FIELDLAB_FUZZ_VERBOSE")) std::fprintf(stderr, "  %s\n", what);
}

void exercise(const std::string& path) {
  using namespace fieldlab::datasets;
  step("open");
  const auto reader = open_trajectories(path);
  step("shape");
  const TrajectoryShape shape = reader->shape();
  const auto fields = reader->fields();
  step("completed");
  (void)reader->completed();
  step("complete");
  (void)reader->complete();
  step("attributes");
  (void)reader->attributes();
  step("x");
  (void)reader->x();
  (void)reader->y();
  step("t");
  (void)reader->t();
  step("storage_type");
  for (const auto& f : fields) (void)reader->storage_type(f);
  // Frame reads need a buffer the harness sizes from the reported shape: only for small frames
  // (the reader's own checks of a large declared shape are exercised above and by open).
  const long long frame = static_cast<long long>(shape.nx) * shape.ny;
  if (shape.nx > 0 && shape.ny > 0 && frame <= (1 << 16) && shape.trajectories > 0 &&
      shape.frames > 0 && !fields.empty()) {
    std::vector<double> buffer(frame * 2);
    step("frames");
    reader->read_frame(fields.front(), 0, 0, buffer.data());
    reader->read_frame(fields.back(), shape.trajectories - 1, shape.frames - 1, buffer.data());
    if (shape.frames >= 2) reader->read_frames(fields.front(), 0, 0, 2, buffer.data());
  }
  step("times");
  if (shape.trajectories > 0) (void)reader->trajectory_times(0);
  step("parameters");
  for (const char* p : {"buoyancy_y", "buo_y", "dam_radius"}) {
    try {
      (void)reader->trajectory_parameter(p);
    } catch (const fieldlab::Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  std::vector<Object> objects = seed(in.u8());
  mutate(objects, in, kNames);
  static const std::string path = scratch_path("trajectories");
  write_structure(objects, path);
  if (std::getenv("FIELDLAB_FUZZ_VERBOSE")) std::fprintf(stderr, "written %s\n", path.c_str());
  try {
    exercise(path);
    if (std::getenv("FIELDLAB_FUZZ_VERBOSE")) std::fprintf(stderr, "read\n");
  } catch (const fieldlab::Error& e) {
    // FIELDLAB_FUZZ_VERBOSE=1: what each input was refused for (to see what the mutations reach).
    if (std::getenv("FIELDLAB_FUZZ_VERBOSE")) std::fprintf(stderr, "refused: %s\n", e.what());
  }
  std::filesystem::remove(path);
  return 0;
}
