// fieldlab render FILE.h5 --out FILE.png: a colour-mapped strip of frames with a colour bar.

#include <fmt/format.h>

#include <algorithm>

#include "apps/commands.hpp"
#include "core/error.hpp"
#include "datasets/render.hpp"
#include "datasets/trajectory_reader.hpp"

namespace fieldlab::apps {
namespace {

struct RenderOptions {
  std::string path, out, field, colormap;
  long long trajectory = 0;
  int panels = 6;
  double vmin = 0, vmax = 0;
};

void run_render(const RenderOptions& o) {
  auto reader = datasets::open_trajectories(o.path);
  const auto shape = reader->shape();
  const std::string field = o.field.empty() ? reader->fields().front() : o.field;
  require(o.trajectory >= 0 && o.trajectory < shape.trajectories,
          "--trajectory {} out of range: '{}' has {} trajectories", o.trajectory, o.path,
          shape.trajectories);
  if (!reader->completed()[o.trajectory])
    fail(ErrorKind::usage, "trajectory {} of '{}' is not finished yet", o.trajectory, o.path);
  const auto t = reader->t();
  const int count = static_cast<int>(std::min<long long>(o.panels, shape.frames));
  std::vector<datasets::FramePanel> panels(count);
  bool has_negative = false, has_positive = false;
  for (int k = 0; k < count; ++k) {
    // Evenly spaced frames including the first and the last.
    const long long frame = count == 1 ? 0 : k * (shape.frames - 1) / (count - 1);
    auto& p = panels[k];
    p.nx = shape.nx;
    p.ny = shape.ny;
    p.time = frame < static_cast<long long>(t.size()) ? t[frame] : static_cast<double>(frame);
    p.values.resize(static_cast<size_t>(shape.nx) * shape.ny);
    reader->read_frame(field, o.trajectory, frame, p.values.data());
    for (double v : p.values) {
      has_negative |= v < 0;
      has_positive |= v > 0;
    }
  }
  const auto map = o.colormap.empty()
                       ? (has_negative && has_positive ? datasets::Colormap::diverging
                                                       : datasets::Colormap::viridis)
                       : datasets::parse_colormap(o.colormap);
  datasets::write_png(o.out, datasets::render_strip(panels, map, o.vmin, o.vmax));
  fmt::print("wrote {}: field '{}' of trajectory {}, {} frames\n", o.out, field, o.trajectory,
             count);
}

}  // namespace

void register_render(CLI::App& app) {
  static RenderOptions o;
  auto* cmd = app.add_subcommand("render", "draw frames of one trajectory as a PNG strip");
  cmd->add_option("file", o.path, "trajectory HDF5 file")->required();
  cmd->add_option("--out", o.out, "PNG file to write")->required();
  cmd->add_option("--field", o.field, "field to draw (default: the first)");
  cmd->add_option("--trajectory", o.trajectory, "trajectory index");
  cmd->add_option("--panels", o.panels, "number of frames shown, evenly spaced")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--colormap", o.colormap, "viridis | diverging (default: by sign of data)");
  cmd->add_option("--vmin", o.vmin, "colour range minimum (default: from data)");
  cmd->add_option("--vmax", o.vmax, "colour range maximum (default: from data)");
  cmd->callback([] { run_render(o); });
}

}  // namespace fieldlab::apps
