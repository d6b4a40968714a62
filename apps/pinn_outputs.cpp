#include "apps/pinn_outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/json_writer.hpp"
#include "core/error.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/io/replace_file.hpp"
#include "datasets/render.hpp"
#include "nn/train/tasks/convection_pinn.hpp"
#include "nn/train/tasks/convection_pinn_training.hpp"
#include "solvers/convection1d_reference.hpp"

namespace fieldlab::apps {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

void check_grid(PinnGrid g) {
  require(g.nx >= 2 && g.nt >= 2, "--grid needs at least 2 x 2 points (got {} {})", g.nx, g.nt);
}

// What every output needs: the network, its task and the grid with the reference on it.
struct Loaded {
  nn::TrainedPinn trained;
  std::unique_ptr<nn::ConvectionPinn> task;
  std::vector<double> x, t, u, reference;
  bool lagrangian() const { return trained.config.method == nn::PinnMethod::lagrangian; }
};

Loaded load(const std::string& checkpoint, PinnGrid g, bool with_values) {
  check_grid(g);
  Loaded l;
  l.trained = nn::load_trained_pinn(checkpoint);
  l.task = std::make_unique<nn::ConvectionPinn>(*l.trained.model, l.trained.config);
  if (with_values) {
    const auto& p = l.trained.config.problem;
    l.x = solvers::linspace(0, kTwoPi, g.nx);
    l.t = solvers::linspace(0, p.t_end, g.nt);
    l.u = l.task->predict(l.x, l.t);
    l.reference = solvers::reference_solution(p, l.x, l.t);
  }
  return l;
}

const char* loss_form(const nn::ConvectionPinnConfig& c) { return nn::to_string(c.loss); }

}  // namespace

bool is_pinn_file(const std::string& path) {
  return io::is_hdf5_file(path) && nn::is_pinn_checkpoint(path);
}

void run_eval_pinn(const std::string& checkpoint, PinnGrid g, bool json) {
  const Loaded l = load(checkpoint, g, false);
  const auto e = nn::evaluate_convection_pinn(*l.task, g.nx, g.nt);
  const auto& c = l.trained.config;
  if (json) {
    JsonWriter j;
    j.begin_object();
    j.key("checkpoint").value(checkpoint).key("method").value(nn::to_string(c.method));
    j.key("model").value(l.trained.model->name());
    j.key("problem").value(c.problem.describe());
    j.key("pde").value(solvers::to_string(c.problem.pde));
    j.key("relative_l2").value(e.relative_l2).key("max_error").value(e.max_error);
    j.key("reference").value(e.reference);
    j.key("grid").begin_array().value(e.nx).value(e.nt).end_array();
    j.key("loss").begin_object();
    j.key("form").value(loss_form(c)).key("total").value(e.loss.total);
    j.key("residual_x").value(e.loss.residual_x).key("residual_u").value(e.loss.residual_u);
    j.key("initial").value(e.loss.initial).key("boundary").value(e.loss.boundary);
    j.end_object();
    j.key("steps").value(l.trained.position.total_steps);
    j.end_object();
    fmt::print("{}\n", j.str());
    return;
  }
  fmt::print("{} ({}, {}) on {}\n", checkpoint, nn::to_string(c.method), l.trained.model->name(),
             c.problem.describe());
  fmt::print("  relative L2 {:.6g}, max error {:.4g} against {} on {} x {} points\n", e.relative_l2,
             e.max_error, e.reference, e.nx, e.nt);
  fmt::print(
      "  loss ({}) {:.6g}: residual_x {:.4g}, residual_u {:.4g}, initial {:.4g}, "
      "boundary {:.4g}\n",
      loss_form(c), e.loss.total, e.loss.residual_x, e.loss.residual_u, e.loss.initial,
      e.loss.boundary);
}

void run_predict_pinn(const std::string& checkpoint, const std::string& out, PinnGrid g,
                      bool overwrite, bool quiet) {
  check_grid(g);
  // Refused or contested outputs fail before the work; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(out, overwrite);
  const Loaded l = load(checkpoint, g, true);
  std::vector<double> X;
  if (l.lagrangian()) X = l.task->characteristics(l.x, l.t);
  const auto nx = static_cast<hsize_t>(g.nx), nt = static_cast<hsize_t>(g.nt);
  io::write_replacing(out, overwrite, [&](hid_t file) {
    io::write_dataset(file, "x", l.x, {nx}, H5T_IEEE_F64LE);
    io::write_dataset(file, "t", l.t, {nt}, H5T_IEEE_F64LE);
    io::write_dataset(file, "u", l.u, {nt, nx}, H5T_IEEE_F64LE);
    io::write_dataset(file, "reference", l.reference, {nt, nx}, H5T_IEEE_F64LE);
    if (!X.empty()) io::write_dataset(file, "X", X, {nt, nx}, H5T_IEEE_F64LE);
    using io::write_attribute;
    write_attribute(file, "checkpoint", checkpoint);
    write_attribute(file, "method", nn::to_string(l.trained.config.method));
    write_attribute(file, "problem", l.trained.config.problem.describe());
    write_attribute(file, "reference_method",
                    solvers::to_string(solvers::reference_kind(l.trained.config.problem)));
    write_attribute(file, "layout", "u[j, i] = u(x[i], t[j]); X[j, i] = X(x0 = x[i], t[j])");
    write_attribute(file, "config", l.trained.config.to_yaml());
    write_attribute(file, "command_line", command_line());
  });
  if (!quiet)
    fmt::print("wrote {}: u, reference{} on {} x {} points\n", out, X.empty() ? "" : ", X", g.nx,
               g.nt);
}

namespace {

// [t, x] (t-major) values as a render panel ([x, y] with y = t, drawn upwards).
datasets::FramePanel panel_of(const std::vector<double>& v, int nx, int nt, double time) {
  datasets::FramePanel p;
  p.nx = nx;
  p.ny = nt;
  p.time = time;
  p.values.resize(v.size());
  for (int j = 0; j < nt; ++j)
    for (int i = 0; i < nx; ++i)
      p.values[static_cast<std::size_t>(i) * nt + j] = v[static_cast<std::size_t>(j) * nx + i];
  return p;
}

// Images left to right, top-aligned on white.
datasets::Image side_by_side(const std::vector<datasets::Image>& images) {
  int width = 0, height = 0;
  for (const auto& im : images) {
    width += im.width;
    height = std::max(height, im.height);
  }
  datasets::Image out(width, height);
  int x0 = 0;
  for (const auto& im : images) {
    for (int y = 0; y < im.height; ++y)
      std::copy_n(&im.rgb[static_cast<std::size_t>(y) * im.width * 3], im.width * 3,
                  &out.rgb[(static_cast<std::size_t>(y) * width + x0) * 3]);
    x0 += im.width;
  }
  return out;
}

// Characteristics X(x0_k, t) mod 2 pi for `lines` labels as polylines on a 2 pi x t_end frame
// (x to the right, t up); a segment that wraps around the period is not drawn across.
datasets::Image draw_characteristics(const nn::ConvectionPinn& task, double t_end, int size) {
  const int lines = 16, samples = 200, margin = 8, top = 24;
  std::vector<double> x0(lines);
  for (int k = 0; k < lines; ++k) x0[k] = kTwoPi * k / lines;
  const auto t = solvers::linspace(0, t_end, samples);
  const auto X = task.characteristics(x0, t);
  datasets::Image im(size + 2 * margin, size + top + margin);
  for (int i = 0; i <= size; ++i)  // frame
    for (int y : {top, top + size}) im.set(margin + i, y, {0, 0, 0});
  for (int i = 0; i <= size; ++i)
    for (int x : {margin, margin + size}) im.set(x, top + i, {0, 0, 0});
  const auto pixel = [&](double x, double tt) {
    const double w = std::fmod(std::fmod(x, kTwoPi) + kTwoPi, kTwoPi);
    return std::pair<int, int>{margin + static_cast<int>(w / kTwoPi * size),
                               top + size - static_cast<int>(tt / t_end * size)};
  };
  for (int k = 0; k < lines; ++k) {
    const auto color = datasets::map_color(datasets::Colormap::viridis, double(k) / (lines - 1));
    for (int j = 0; j + 1 < samples; ++j) {
      const auto [xa, ya] = pixel(X[static_cast<std::size_t>(j) * lines + k], t[j]);
      const auto [xb, yb] = pixel(X[static_cast<std::size_t>(j + 1) * lines + k], t[j + 1]);
      if (std::abs(xb - xa) > size / 2) continue;  // wrapped: no line across the frame
      const int n = std::max({std::abs(xb - xa), std::abs(yb - ya), 1});
      for (int s = 0; s <= n; ++s) {
        const int px = xa + (xb - xa) * s / n, py = ya + (yb - ya) * s / n;
        if (px >= 0 && px < im.width && py >= 0 && py < im.height) im.set(px, py, color);
      }
    }
  }
  datasets::draw_text(im, margin, 4, fmt::format("t={:g}", t_end));
  return im;
}

}  // namespace

void run_render_pinn(const std::string& checkpoint, const std::string& out, PinnGrid g,
                     bool overwrite) {
  check_grid(g);
  const io::OutputLock lock = io::claim_output(out, overwrite);
  const Loaded l = load(checkpoint, g, true);
  const double t_end = l.trained.config.problem.t_end;
  std::vector<double> error(l.u.size());
  for (std::size_t i = 0; i < error.size(); ++i) error[i] = l.u[i] - l.reference[i];
  double lo = l.reference.front(), hi = lo;
  for (const auto* v : {&l.u, &l.reference})
    for (double a : *v)
      if (std::isfinite(a)) lo = std::min(lo, a), hi = std::max(hi, a);
  const auto map = lo < 0 && hi > 0 ? datasets::Colormap::diverging : datasets::Colormap::viridis;
  std::vector<datasets::Image> images = {
      datasets::render_strip(
          {panel_of(l.reference, g.nx, g.nt, t_end), panel_of(l.u, g.nx, g.nt, t_end)}, map, lo,
          hi),
      datasets::render_strip({panel_of(error, g.nx, g.nt, t_end)}, datasets::Colormap::diverging)};
  // The characteristics on a square frame as tall as the images (at least 160 px).
  if (l.lagrangian())
    images.push_back(draw_characteristics(*l.task, t_end, std::max(160, images[0].height - 32)));
  datasets::write_png(out, side_by_side(images), overwrite);
  fmt::print("wrote {}: reference, prediction, error{} on {} x {} points\n", out,
             l.lagrangian() ? ", characteristics" : "", g.nx, g.nt);
}

}  // namespace fieldlab::apps
