// The generic training loop (nn/train_loop.hpp): full-batch L-BFGS and Adam through it on a
// quadratic with a known minimiser, early stopping and max_steps at the positions they promise,
// and, with the frame-to-frame recipe on it, two training runs in one process, the first stopped
// by its StopToken from a progress callback, the second (a fresh token) running to its end with
// the same losses, while the library leaves every signal handler as it found it.

#include <doctest/doctest.h>

#include <csignal>
#include <cstring>
#include <string>
#include <vector>

#include "core/stop_token.hpp"
#include "core/threads.hpp"
#include "datasets/trajectory_reader.hpp"
#include "nn/models/registry.hpp"
#include "nn/ops.hpp"
#include "nn/train/train_loop.hpp"
#include "nn/train/trainer.hpp"
#include "tests/nn/ns2d_files.hpp"

using namespace fieldlab;
using namespace fieldlab::nn;

namespace {

// f(p) = mean((p - c)^2) over 3 parameters: minimiser c, minimum 0.
struct Quadratic {
  ParameterStore store;
  int p = store.add("p", {3});
  Tensor c = Tensor({3});
  Quadratic() {
    store.allocate();
    c[0] = 1.5f;
    c[1] = -2.0f;
    c[2] = 0.25f;
  }
  Var loss(Graph& g) {
    Var d = sub(g.parameter(store, p), g.constant(c));
    return mean(mul(d, d));
  }
};

// A sink that asks its StopSource to stop once `after` steps were reported, as a Python progress
// callback does on KeyboardInterrupt.
class StopAfter final : public ProgressSink {
 public:
  StopAfter(const StopSource& source, long long after) : source_(source), after_(after) {}
  void start(std::string_view label, long long total) override {
    label_ = label;
    total_ = total;
  }
  void advance(long long units, std::string_view) override {
    done_ += units;
    if (after_ > 0 && done_ >= after_) source_.request_stop();
  }
  void finish() override { ++finished_; }
  std::string label_;
  long long total_ = 0, done_ = 0;
  int finished_ = 0;

 private:
  const StopSource& source_;
  long long after_;
};

struct sigaction handler_of(int signal) {
  struct sigaction a;
  std::memset(&a, 0, sizeof a);
  sigaction(signal, nullptr, &a);
  return a;
}

bool same_handler(const struct sigaction& a, const struct sigaction& b) {
  return a.sa_handler == b.sa_handler && a.sa_flags == b.sa_flags;
}

}  // namespace

TEST_CASE("train loop: L-BFGS and Adam through it reach a quadratic's minimiser") {
  FullBatch batches;
  SUBCASE("full-batch L-BFGS") {
    Quadratic q;
    LbfgsParameterStore lbfgs(q.store);
    TrainLoopOptions lo;
    lo.epochs = 2;
    TrainLoop loop(q.store, lbfgs, lo);
    Graph g;
    const auto r = loop.run(batches, g, [&](Graph& graph) { return q.loss(graph); }, {});
    CHECK(r.stop == TrainingStop::finished);
    REQUIRE(r.losses.size() == 2);
    CHECK(r.losses[0] == doctest::Approx((1.5 * 1.5 + 4.0 + 0.0625) / 3));  // f at p = 0
    REQUIRE(loop.lbfgs_results().size() == 2);
    CHECK(loop.lbfgs_results()[0].loss < 1e-10);
    const Tensor p = q.store.value(q.p);
    for (int i = 0; i < 3; ++i) CHECK(p[i] == doctest::Approx(q.c[i]).epsilon(1e-5));
  }
  SUBCASE("Adam with a schedule, stopped by max_steps mid-epoch and resumed") {
    Quadratic q;
    OptimizerConfig oc;
    oc.kind = OptimizerKind::adam;
    Optimizer adam(oc, q.store.size());
    TrainLoopOptions lo;
    lo.epochs = 400;
    lo.max_steps = 150;
    std::vector<double> lrs;
    TrainLoopCallbacks cb;
    cb.after_step = [&](const StepRecord& r) { lrs.push_back(r.lr); };
    TrainLoop loop(
        q.store, adam, [](long long step) { return step < 100 ? 0.05 : 0.02; }, lo);
    Graph g;
    const StepLoss step = [&](Graph& graph) { return q.loss(graph); };
    auto head = loop.run(batches, g, step, {}, cb);
    CHECK(head.stop == TrainingStop::max_steps);
    CHECK(head.position.step == 150);
    CHECK(head.position.epoch == 150);  // one batch per epoch: stopped at the epoch boundary
    CHECK(lrs[99] == 0.05);
    CHECK(lrs[100] == 0.02);
    TrainLoop rest(
        q.store, adam, [](long long step) { return step < 100 ? 0.05 : 0.02; },
        [&] {
          TrainLoopOptions o = lo;
          o.max_steps = 0;
          return o;
        }());
    auto tail = rest.run(batches, g, step, head.position, cb);
    CHECK(tail.stop == TrainingStop::finished);
    CHECK(tail.losses.size() == 250);
    CHECK(tail.position.epoch == 400);
    CHECK(tail.losses.back() < 1e-8);
  }
}

TEST_CASE("train loop: early stopping stops after `patience` epochs without improvement") {
  EarlyStopping e(2);
  CHECK_FALSE(e.should_stop(1.0));
  CHECK_FALSE(e.should_stop(0.5));  // better
  CHECK_FALSE(e.should_stop(0.7));  // 1 stale
  CHECK(e.should_stop(0.6));        // 2 stale
  CHECK(e.epochs_without_improvement() == 2);
  CHECK_FALSE(EarlyStopping(0).should_stop(1.0));

  Quadratic q;
  Optimizer sgd({OptimizerKind::sgd}, q.store.size());
  TrainLoopOptions lo;
  lo.epochs = 10;
  TrainLoop loop(
      q.store, sgd, [](long long) { return 0.0; }, lo);  // lr 0: never improves
  FullBatch batches;
  Graph g;
  EarlyStopping stopper(3);
  TrainLoopCallbacks cb;
  cb.after_epoch = [&](const TrainingPosition& end, double) {
    CHECK(end.batch == 1);
    return stopper.should_stop(end.epoch_loss_sum);
  };
  const auto r = loop.run(
      batches, g, [&](Graph& graph) { return q.loss(graph); }, {}, cb);
  CHECK(r.stop == TrainingStop::early_stop);
  CHECK(r.losses.size() == 4);  // the first sets the best, three more without improvement
  CHECK(r.position.epoch == 4);
  CHECK(r.position.batch == 0);
}

TEST_CASE(
    "two training runs in one process: the first stopped by its token, the second to the end") {
  set_threads(1);
  const std::string path = test::write_ns2d_file(
      test::fresh_temp_path("fieldlab_tests_train_loop", "train.h5"), 16, 6, 6, 1.0, 4);
  auto train = datasets::open_trajectories(path);
  const ModelKeys keys = {{"fields", "1"},        {"history", "2"}, {"waves", "1"},
                          {"mult", "1.5"},        {"hidden", "4"},  {"levels", "1"},
                          {"padding", "circular"}};
  auto fresh_state = [&](const Model& model) {
    CheckpointInfo s;
    s.fields = {"vorticity"};
    const auto norm = datasets::compute_normalisation(*train, s.fields);
    s.mean = norm.mean;
    s.std = norm.std;
    s.seed = 3;
    s.model_config = model.config_yaml();
    return s;
  };
  TrainingSetup setup;
  setup.epochs = 3;
  setup.batch = 2;  // 6 trajectories, 1 window each: 3 steps per epoch
  setup.background = false;
  const struct sigaction int_before = handler_of(SIGINT), term_before = handler_of(SIGTERM);

  StopSource first_source;
  StopAfter first_sink(first_source, 4);
  setup.stop = first_source.token();
  setup.progress = &first_sink;
  auto a = make_model("sinenet", keys);
  a->initialise(1);
  Optimizer opt_a({}, a->parameters().size());
  const auto first = train_model(*a, opt_a, *train, *train, fresh_state(*a), setup);
  CHECK(first.stop == TrainingStop::interrupted);
  CHECK(first.losses.size() == 4);  // stopped at the step boundary after the 4th step
  CHECK(first.state.step == 4);
  CHECK(first.state.epoch == 1);
  CHECK(first.state.batch == 1);
  CHECK(first_sink.label_ == "train");
  CHECK(first_sink.total_ == 9);
  CHECK(first_sink.finished_ >= 1);
  CHECK(first_source.stop_requested());

  StopSource second_source;  // a fresh source: the first one's request does not carry over
  StopAfter second_sink(second_source, 0);
  setup.stop = second_source.token();
  setup.progress = &second_sink;
  auto b = make_model("sinenet", keys);
  b->initialise(1);
  Optimizer opt_b({}, b->parameters().size());
  const auto second = train_model(*b, opt_b, *train, *train, fresh_state(*b), setup);
  CHECK(second.stop == TrainingStop::finished);
  REQUIRE(second.losses.size() == 9);
  CHECK(second_sink.done_ == 9);
  for (std::size_t i = 0; i < first.losses.size(); ++i) CHECK(first.losses[i] == second.losses[i]);

  // Neither run installed or changed a handler.
  CHECK(same_handler(handler_of(SIGINT), int_before));
  CHECK(same_handler(handler_of(SIGTERM), term_before));
}
