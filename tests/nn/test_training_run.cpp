// nn::run_training (nn/train/training_run.hpp), the whole run `fieldlab train` and
// fieldlab.train() make: the messages it hands over instead of printing, the loss log, a stop at
// max_steps continued by a resume with the losses of an uninterrupted run, and the checks before
// any training (existing output, resume of another run, option ranges, unwritable output).

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/training_run.hpp"
#include "tests/nn/ns2d_files.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

namespace {

std::string temp_path(const std::string& name) {
  const std::string p = test::fresh_temp_path("fieldlab_tests_training_run", name);
  std::filesystem::remove(best_path(p));
  return p;
}

TrainingRequest tiny_request(const std::string& data, const std::string& out) {
  TrainingRequest r;
  r.model = "sinenet1";
  r.model_keys = {{"hidden", "4"}, {"levels", "2"}};
  r.data = data;
  r.out = out;
  r.setup.epochs = 3;
  r.setup.batch = 2;
  return r;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("run_training: messages, loss log, max_steps and an exact resume") {
  const std::string data = test::write_ns2d_file(temp_path("data.h5"), 16, 4, 6, 1.0, 0);
  std::vector<std::string> messages;
  TrainingRunCallbacks callbacks;
  callbacks.on_message = [&](const std::string& line) { messages.push_back(line); };
  int epochs_seen = 0;
  callbacks.on_epoch = [&](const EpochRecord&, const Evaluation&, bool) { ++epochs_seen; };

  TrainingRequest full = tiny_request(data, temp_path("full.h5"));
  full.loss_log = temp_path("full.log");
  const TrainingRun run = run_training(full, builtin_models(), {}, nullptr, callbacks);
  CHECK(run.result.stop == TrainingStop::finished);
  CHECK(run.result.state.step == 6);
  REQUIRE(run.result.losses.size() == 6);
  CHECK(run.parameters == 8533);
  CHECK(run.history == 4);
  CHECK(run.best == best_path(full.out));
  CHECK(std::filesystem::exists(run.best));
  REQUIRE(run.best_index >= 0);
  for (const auto& e : run.result.state.history)
    CHECK(run.result.state.history[run.best_index].valid_rollout <= e.valid_rollout);
  CHECK(epochs_seen == 3);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].rfind("normalisation vorticity: mean ", 0) == 0);
  CHECK(messages[1] == "sinenet1 (8533 parameters), fields [vorticity], history 4");
  const auto log = lines_of(full.loss_log);
  REQUIRE(log.size() == 6);
  CHECK(log[0].rfind("1 ", 0) == 0);

  // max_steps, then resume: the two calls' losses are the uninterrupted run's.
  TrainingRequest part = tiny_request(data, temp_path("part.h5"));
  part.loss_log = temp_path("part.log");
  part.setup.max_steps = 4;
  const TrainingRun first = run_training(part, builtin_models());
  CHECK(first.result.stop == TrainingStop::max_steps);
  CHECK(first.result.state.step == 4);
  CHECK_THROWS_WITH_AS(run_training(part, builtin_models()),
                       doctest::Contains("exists: pass --resume"), Error);
  part.resume = true;
  part.setup.max_steps = 0;  // run control, not part of the identity
  messages.clear();
  const TrainingRun second = run_training(part, builtin_models(), {}, nullptr, callbacks);
  CHECK(second.result.stop == TrainingStop::finished);
  REQUIRE(second.result.losses.size() == 2);
  std::vector<float> joined = first.result.losses;
  joined.insert(joined.end(), second.result.losses.begin(), second.result.losses.end());
  CHECK(joined == run.result.losses);
  CHECK(lines_of(part.loss_log) == log);
  REQUIRE(!messages.empty());
  CHECK(messages[0].rfind("resuming ", 0) == 0);

  // A resume with other training settings is refused.
  part.setup.batch = 4;
  CHECK_THROWS_WITH_AS(run_training(part, builtin_models()), doctest::Contains("other options"),
                       Error);
}

TEST_CASE("run_training: the checks before any training") {
  const std::string data = test::write_ns2d_file(temp_path("checks.h5"), 16, 2, 6, 1.0, 0);
  TrainingRequest r = tiny_request(data, temp_path("checks_out.h5"));
  r.setup.epochs = 0;
  CHECK_THROWS_WITH_AS(run_training(r, builtin_models()), doctest::Contains("epochs must be >= 1"),
                       Error);
  r = tiny_request(data, temp_path("checks_out.h5"));
  r.setup.lr = -1;
  CHECK_THROWS_WITH_AS(run_training(r, builtin_models()), doctest::Contains("lr must be > 0"),
                       Error);
  r = tiny_request(data, temp_path("checks_out.h5"));
  r.model = "";
  CHECK_THROWS_WITH_AS(run_training(r, builtin_models()), doctest::Contains("name a MODEL"), Error);
  r = tiny_request(data, temp_path("checks_out.h5"));
  r.resume = true;
  CHECK_THROWS_WITH_AS(run_training(r, builtin_models()), doctest::Contains("no checkpoint"),
                       Error);
  r = tiny_request(data, temp_path("checks_out.h5"));
  r.out = (std::filesystem::temp_directory_path() / "fieldlab_no_such_dir" / "x.h5").string();
  try {
    run_training(r, builtin_models());
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()).find("not writable") != std::string::npos);
  }
  CHECK(!std::filesystem::exists(temp_path("checks_out.h5")));
}
