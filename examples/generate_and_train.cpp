// generate_and_train: a tiny periodic Navier-Stokes dataset and a SineNet trained on it, through
// the public library API only (what `fieldlab generate ns2d` and `fieldlab train` call):
// datasets::run_generation for the file, nn::run_training (nn/train/training_run.hpp) for the whole
// training run, nn::load_trained_model + nn::evaluate for the test error.
//
// Build: links fieldlab::generate, fieldlab::train and fieldlab::quantum_nn (which bring the rest);
//   cmake --build build --target example_generate_and_train; ctest runs it as
//   example_generate_and_train.
// Run: build/examples/example_generate_and_train [OUT_DIR]   (default: the current directory)
//
// Expected output (`generate_and_train gt` on the 2-core dev machine, 0.3 s; the losses are
// exact for a build and thread count, other BLAS builds or thread counts differ in the last
// digits):
//   1. wrote gt/gt_train.h5 (4 trajectories) and gt/gt_test.h5 (2 trajectories), 16x16, 8 frames
//   2. normalisation vorticity: mean 3.99733e-10, std 0.379284
//      sinenet1 (8533 parameters), fields [vorticity], history 4
//      epoch 1/3: train loss 1.292, valid rollout 1.080 (best)
//      epoch 2/3: train loss 1.165, valid rollout 0.965 (best)
//      epoch 3/3: train loss 1.019, valid rollout 0.937 (best)
//   3. finished after 6 steps; best epoch 3 in gt/gt.best.h5
//   4. test one-step error 0.959 (persistence 0.160), rollout 0.937 (persistence 0.383)
// (Three epochs of a 16x16 toy: the model is still far from persistence; the point is the API.)

#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "datasets/generate/generation_runner.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/trajectory_reader.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trained_model.hpp"
#include "nn/train/training_run.hpp"
#include "quantum/nn/hqkan.hpp"

using namespace fieldlab;

namespace {

// 1. One ns2d ensemble: the solver's configuration, the file layout and identity from it, and
//    run_generation solving every trajectory into a crash-safe file (PATH.partial until done).
void generate(const std::string& out, long long trajectories, unsigned long long seed) {
  datasets::Ns2dEnsembleConfig c;
  c.solver.resolution = 16;
  c.output_resolution = 16;
  c.trajectories = trajectories;
  c.frames = 8;
  c.dt_out = 1.0;
  c.seed = seed;
  c.validate();
  datasets::GenerationRun run;
  run.out = out;
  run.threads = 2;
  run.overwrite = true;
  const auto dtype = io::StorageType::float32;
  datasets::run_generation(
      run, datasets::ns2d_layout(c, dtype), datasets::ns2d_attributes(c),
      datasets::ns2d_identity(c, dtype), "ns2d trajectories",
      [&c](long long index, datasets::TrajectoryWriter& writer, const StopToken& stop) {
        return datasets::solve_ns2d_trajectory(c, index, writer, stop);
      },
      StopToken{}, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string dir = argc > 1 ? argv[1] : ".";
    std::filesystem::create_directories(dir);
    const std::string train = dir + "/gt_train.h5", test = dir + "/gt_test.h5",
                      ckpt = dir + "/gt.h5";
    generate(train, 4, 0);
    generate(test, 2, 1);
    fmt::print("1. wrote {} (4 trajectories) and {} (2 trajectories), 16x16, 8 frames\n", train,
               test);

    // 2. The training request: the model by registry name and its keys, the data, the
    //    checkpoint, and the training settings (TrainingSetup: the CLI's --epochs, --batch, ...).
    //    run_training does everything `fieldlab train` does (checks, locks, normalisation,
    //    AdamW, checkpoints every epoch and the best copy) and prints nothing: its lines come
    //    through the callbacks.
    nn::TrainingRequest request;
    request.model = "sinenet1";
    request.model_keys = {{"hidden", "4"}, {"levels", "2"}};
    request.data = train;
    request.valid = test;
    request.out = ckpt;
    request.overwrite = true;
    request.setup.epochs = 3;
    request.setup.batch = 2;
    nn::TrainingRunCallbacks callbacks;
    bool first = true;
    callbacks.on_message = [&first](const std::string& line) {
      fmt::print("{}{}\n", first ? "2. " : "   ", line);
      first = false;
    };
    callbacks.on_epoch = [](const nn::EpochRecord& r, const nn::Evaluation&, bool best) {
      fmt::print("   epoch {}/3: train loss {:.3f}, valid rollout {:.3f}{}\n", r.epoch + 1,
                 r.train_loss, r.valid_rollout, best ? " (best)" : "");
    };
    // The registry of every model family (nn's and HQKAN); a StopToken and a ProgressSink could
    // be passed to stop at a step boundary and to show progress.
    const nn::TrainingRun run =
        nn::run_training(request, quantum::qkan::all_models(), {}, nullptr, callbacks);

    // 3. The result: why it stopped, the steps taken, the best epoch's checkpoint.
    fmt::print("3. {} after {} steps; best epoch {} in {}\n", nn::to_string(run.result.stop),
               run.result.state.step, run.result.state.history[run.best_index].epoch + 1, run.best);

    // 4. Load the best checkpoint and evaluate it on the test file: relative L2 in normalised
    //    units, one step and a rollout, next to the persistence baseline (`fieldlab eval`).
    auto trained = nn::load_trained_model(run.best, quantum::qkan::all_models());
    auto reader = datasets::open_trajectories(test);
    const auto e = nn::evaluate(*trained.model, *reader, trained.norm, {});
    nn::require_finite(e, test, run.best);
    fmt::print(
        "4. test one-step error {:.3f} (persistence {:.3f}), rollout {:.3f} (persistence "
        "{:.3f})\n",
        e.one_step_model_mean(), e.one_step_persistence_mean(), e.rollout_model_mean(),
        e.rollout_persistence_mean());
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}
