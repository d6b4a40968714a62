// fieldlab render FILE.h5 --out FILE.png: a colour-mapped strip of frames with a colour bar.
// An LPINN/PINN checkpoint: reference, prediction and error in (x, t), and the learned
// characteristics (apps/pinn_outputs.hpp).

#include <fmt/format.h>

#include <algorithm>

#include "apps/commands.hpp"
#include "apps/option_checks.hpp"
#include "apps/pinn_outputs.hpp"
#include "core/error.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/render.hpp"
#include "datasets/trajectory_reader.hpp"

namespace fieldlab::apps {
namespace {

struct RenderOptions {
  std::string path, out, field, colormap, truth;
  long long trajectory = 0;
  int panels = 6;
  std::vector<int> grid = {256, 100};  // LPINN/PINN checkpoints
  double vmin = 0, vmax = 0;
  bool overwrite = false;
};

// Stacks strips vertically (prediction over truth over error), left-aligned on white.
datasets::Image stack(const std::vector<datasets::Image>& rows) {
  int width = 0, height = 0;
  for (const auto& r : rows) {
    width = std::max(width, r.width);
    height += r.height;
  }
  datasets::Image out(width, height);
  int y0 = 0;
  for (const auto& r : rows) {
    for (int y = 0; y < r.height; ++y)
      std::copy_n(&r.rgb[static_cast<std::size_t>(y) * r.width * 3], r.width * 3,
                  &out.rgb[static_cast<std::size_t>(y0 + y) * width * 3]);
    y0 += r.height;
  }
  return out;
}

// PRED.h5 (fieldlab predict, trajectory 0) against trajectory --trajectory of --truth: rows
// prediction, truth (one shared colour range) and prediction - truth (diverging, own range).
void run_render_comparison(const RenderOptions& o) {
  auto pred = datasets::open_trajectories(o.path);
  auto truth = datasets::open_trajectories(o.truth);
  const auto ps = pred->shape(), ts = truth->shape();
  const std::string field = o.field.empty() ? pred->fields().front() : o.field;
  require(ps.nx == ts.nx && ps.ny == ts.ny, "'{}' is {}x{} but --truth '{}' is {}x{}", o.path,
          ps.nx, ps.ny, o.truth, ts.nx, ts.ny);
  require(o.trajectory >= 0 && o.trajectory < ts.trajectories,
          "--trajectory {} out of range: '{}' has {} trajectories", o.trajectory, o.truth,
          ts.trajectories);
  const long long frames = std::min(ps.frames, ts.frames);
  const auto t = pred->t();
  const int count = static_cast<int>(std::min<long long>(o.panels, frames));
  std::vector<datasets::FramePanel> p(count), q(count), e(count);
  double lo = 0, hi = 0;
  bool first = true;
  for (int k = 0; k < count; ++k) {
    const long long frame = count == 1 ? 0 : k * (frames - 1) / (count - 1);
    for (auto* panel : {&p[k], &q[k], &e[k]}) {
      panel->nx = ps.nx;
      panel->ny = ps.ny;
      panel->time = frame < static_cast<long long>(t.size()) ? t[frame] : double(frame);
      panel->values.resize(static_cast<std::size_t>(ps.nx) * ps.ny);
    }
    pred->read_frame(field, 0, frame, p[k].values.data());
    truth->read_frame(field, o.trajectory, frame, q[k].values.data());
    for (std::size_t i = 0; i < p[k].values.size(); ++i) {
      e[k].values[i] = p[k].values[i] - q[k].values[i];
      for (double v : {p[k].values[i], q[k].values[i]}) {
        lo = first ? v : std::min(lo, v);
        hi = first ? v : std::max(hi, v);
        first = false;
      }
    }
  }
  const auto map = o.colormap.empty() ? (lo < 0 && hi > 0 ? datasets::Colormap::diverging
                                                          : datasets::Colormap::viridis)
                                      : datasets::parse_colormap(o.colormap);
  const double vmin = o.vmin != o.vmax ? o.vmin : lo, vmax = o.vmin != o.vmax ? o.vmax : hi;
  datasets::write_png(
      o.out,
      stack({datasets::render_strip(p, map, vmin, vmax), datasets::render_strip(q, map, vmin, vmax),
             datasets::render_strip(e, datasets::Colormap::diverging)}),
      o.overwrite);
  fmt::print(
      "wrote {}: field '{}', rows prediction ({}), truth ({} trajectory {}), error; {} "
      "frames\n",
      o.out, field, o.path, o.truth, o.trajectory, count);
}

// --vmin/--vmax are finite (option_checks.hpp); equal (both unset) means "from the data".
void check_colour_range(const RenderOptions& o) {
  require(o.vmin <= o.vmax,
          "--vmin {} must be below --vmax {} (give both, or neither for the data's range)", o.vmin,
          o.vmax);
}

void run_render(const RenderOptions& o) {
  check_colour_range(o);
  if (is_pinn_file(o.path))
    return run_render_pinn(o.path, o.out, {o.grid[0], o.grid[1]}, o.overwrite);
  // Refused or contested outputs fail before any reading; the lock is held until the PNG is in.
  const io::OutputLock lock = io::claim_output(o.out, o.overwrite);
  if (!o.truth.empty()) return run_render_comparison(o);
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
  datasets::write_png(o.out, datasets::render_strip(panels, map, o.vmin, o.vmax), o.overwrite);
  fmt::print("wrote {}: field '{}' of trajectory {}, {} frames\n", o.out, field, o.trajectory,
             count);
}

}  // namespace

void register_render(CLI::App& app) {
  static RenderOptions o;
  auto* cmd = app.add_subcommand("render", "draw frames of one trajectory as a PNG strip");
  cmd->add_option("file", o.path, "trajectory HDF5 file, or an LPINN/PINN checkpoint")->required();
  add_number(cmd, "--grid", o.grid, "LPINN/PINN: image grid NX NT", at_least(2))->expected(2);
  cmd->add_option("--out", o.out, "PNG file to write")->required();
  cmd->add_option("--field", o.field, "field to draw (default: the first)");
  add_number(cmd, "--trajectory", o.trajectory,
             "trajectory index (with --truth: the truth's trajectory)", non_negative());
  cmd->add_option("--truth", o.truth,
                  "draw FILE (a fieldlab predict output) over this file's trajectory and the "
                  "error below");
  add_number(cmd, "--panels", o.panels, "number of frames shown, evenly spaced", in_range(1, 64));
  cmd->add_option("--colormap", o.colormap, "viridis | diverging (default: by sign of data)");
  add_number(cmd, "--vmin", o.vmin, "colour range minimum (default: from data)", finite());
  add_number(cmd, "--vmax", o.vmax, "colour range maximum (default: from data)", finite());
  cmd->add_flag("--overwrite", o.overwrite, "replace an existing --out");
  cmd->callback([] { run_render(o); });
}

}  // namespace fieldlab::apps
