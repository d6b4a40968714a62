// fieldlab predict CKPT.h5 --data FILE.h5 --trajectory I --steps K --out PRED.h5: autoregressive
// prediction of one trajectory from its first `history` frames, written in the native layout
// (crash-safe TrajectoryWriter) with provenance. Frames 0 .. history-1 of PRED.h5 are the true
// initial frames, frame history + k is prediction step k + 1, so frame f of PRED.h5 lines up with
// frame f of the source trajectory.
// For an LPINN/PINN checkpoint: u, the reference and the characteristics on --grid
// (apps/pinn_outputs.hpp).

#include <fmt/format.h>

#include <string>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/generate_support.hpp"
#include "apps/model_options.hpp"
#include "apps/option_checks.hpp"
#include "apps/pinn_outputs.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/trajectory_writer.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trained_model.hpp"

namespace fieldlab::apps {
namespace {

struct PredictOptions {
  std::string checkpoint, data, out;
  long long trajectory = 0;
  int steps = 0;
  std::vector<int> grid = {256, 100};  // LPINN/PINN checkpoints
  int threads = 0;
  bool overwrite = false, quiet = false;
};

void run_predict(const CLI::App* command, const PredictOptions& o) {
  set_threads(o.threads);
  if (is_pinn_file(o.checkpoint))
    return run_predict_pinn(o.checkpoint, o.out, {o.grid[0], o.grid[1]}, o.overwrite, o.quiet);
  require(!o.data.empty(),
          "predict: '{}' is not an LPINN/PINN checkpoint; a surrogate checkpoint needs --data",
          o.checkpoint);
  auto trained = nn::load_trained_model(o.checkpoint, app_models());
  auto reader = datasets::open_trajectories(o.data);
  const auto s = reader->shape();
  const nn::FrameModel& frames = nn::as_frame_model(*trained.model);
  const int H = frames.history(), C = frames.fields();
  const int steps = o.steps > 0 ? o.steps : static_cast<int>(s.frames - H);
  require(steps >= 1, "--steps must be at least 1 ({} has {} frames, history {})", o.data, s.frames,
          H);
  const auto pred =
      nn::rollout_trajectory(*trained.model, *reader, trained.norm, o.trajectory, steps);

  datasets::TrajectoryLayout layout;
  layout.fields = trained.norm.fields;
  layout.trajectories = 1;
  layout.frames = H + steps;
  layout.nx = s.nx;
  layout.ny = s.ny;
  layout.x = reader->x();
  layout.y = reader->y();
  // Frame times: the source's where it has them, continued with its last spacing.
  auto t = reader->t();
  if (t.size() < 2) {
    t.clear();
    for (long long f = 0; f < s.frames; ++f) t.push_back(static_cast<double>(f));
  }
  const double dt = t[t.size() - 1] - t[t.size() - 2];
  while (static_cast<long long>(t.size()) < layout.frames) t.push_back(t.back() + dt);
  t.resize(layout.frames);
  layout.t = t;
  std::vector<io::Attribute> attributes = {
      {"source", o.data},
      {"source_trajectory", o.trajectory},
      {"checkpoint", o.checkpoint},
      {"model", trained.model->name()},
      {"history", static_cast<long long>(H)},
      {"prediction_steps", static_cast<long long>(steps)},
      {"frames_note", std::string("frames 0..history-1 are the source's; later frames predicted")}};
  auto writer = datasets::TrajectoryWriter::create(
      o.out, layout, with_provenance(command, attributes), "", o.overwrite);
  try {
    const std::size_t n = static_cast<std::size_t>(s.nx) * s.ny;
    std::vector<double> frame(n);
    for (int f = 0; f < H; ++f)
      for (int c = 0; c < C; ++c) {
        reader->read_frame(layout.fields[c], o.trajectory, f, frame.data());
        writer.write_frame(0, f, c, frame.data());
      }
    for (int k = 0; k < steps; ++k)
      for (int c = 0; c < C; ++c) {
        const float* p = &pred[(static_cast<std::size_t>(k) * C + c) * n];
        for (std::size_t i = 0; i < n; ++i)
          frame[i] = p[i] * trained.norm.std[c] + trained.norm.mean[c];
        writer.write_frame(0, H + k, c, frame.data());
      }
    writer.mark_complete(0);
    writer.finish();
  } catch (...) {
    writer.abandon();
    throw;
  }
  if (!o.quiet)
    fmt::print("wrote {}: trajectory {} of {}, {} true + {} predicted frames\n", o.out,
               o.trajectory, o.data, H, steps);
}

}  // namespace

void register_predict(CLI::App& app) {
  static PredictOptions o;
  auto* cmd = app.add_subcommand("predict", "autoregressive prediction of one trajectory");
  cmd->add_option("checkpoint", o.checkpoint, "checkpoint written by fieldlab train")->required();
  cmd->add_option("--data", o.data,
                  "trajectory file holding the initial frames (not for LPINN/PINN checkpoints)");
  add_number(cmd, "--grid", o.grid, "LPINN/PINN: output grid NX NT", at_least(2))
      ->expected(2)
      ->capture_default_str();
  add_number(cmd, "--trajectory", o.trajectory, "trajectory index", non_negative())
      ->capture_default_str();
  add_number(cmd, "--steps", o.steps, "predicted frames (0: to the end of the source)",
             non_negative())
      ->capture_default_str();
  cmd->add_option("--out", o.out, "prediction file (native layout)")->required();
  cmd->add_flag("--overwrite", o.overwrite, "replace an existing --out");
  add_threads_option(cmd, o.threads);
  add_quiet_flag(cmd, o.quiet);
  add_config_option(cmd);
  set_command(cmd, [cmd] { run_predict(cmd, o); });
}

}  // namespace fieldlab::apps
