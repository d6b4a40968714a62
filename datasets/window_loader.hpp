#pragma once
// Training windows over any TrajectoryReader: `history` consecutive frames of the selected fields
// (the input) and the `future` frames after them (the target), z-scored per field, assembled into
// float32 batches [B, history * C, H, W] (history-major: all fields of the oldest frame first, as
// the SineNet reference stacks them) and [B, future * C, H, W], with H = nx and W = ny; for a
// conditioned model also each window's dt and PDE parameter (window_conditioning.hpp).
//
// One epoch visits every finished trajectory `windows_per_trajectory` times, each time with a
// random start time (distinct within the epoch), in a shuffled order; or (windows_per_trajectory
// 0, "all") every start time of every trajectory once, shuffled. Both are drawn from a generator
// seeded by (seed, epoch) alone, so epoch e is the same whatever happened before it and a resumed
// run can skip to any batch of it. A window reads its history + future frames of a field in one
// HDF5 hyperslab (memory: the batch buffers), so files larger than memory train. With
// `background`, a thread assembles the next batches into a small ring of reused buffers while the
// caller trains.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "datasets/trajectory_reader.hpp"
#include "datasets/window_conditioning.hpp"

namespace fieldlab::datasets {

// Per-field z-score statistics (in the model's field order).
struct Normalisation {
  std::vector<std::string> fields;
  std::vector<double> mean, std;
};

// Throws a usage error naming the first of `fields` that the file lacks (and what it has).
void require_fields(const TrajectoryReader& reader, const std::vector<std::string>& fields);

// Mean and standard deviation of each field over every finished trajectory, streamed one frame
// at a time in double. A NaN or Inf value is a numerical error naming trajectory, frame and field;
// a constant field gets std 1 (so normalising it cannot divide by zero).
Normalisation compute_normalisation(const TrajectoryReader& reader,
                                    const std::vector<std::string>& fields);

// One (trajectory, start frame) window.
struct Window {
  long long trajectory = 0;
  long long start = 0;
};

struct Batch {
  std::vector<float> inputs;   // size * history * C * H * W
  std::vector<float> targets;  // size * future * C * H * W
  std::vector<Window> windows;
  // Conditioning values (empty unless the loader was asked for them): dt of every target frame,
  // step-major ([future][size]: dt[j * size + s] leads to target frame j of sample s, so one
  // step's values are contiguous), and one PDE parameter per sample.
  std::vector<float> dt, parameter;
  int size = 0;
  long long index = 0;  // batch number within the epoch
};

struct WindowLoaderConfig {
  std::vector<std::string> fields;  // in the model's channel order
  int history = 4;
  int future = 1;
  int batch = 8;
  unsigned long long seed = 0;
  bool background = true;
  int queue_depth = 2;  // batches assembled ahead of the consumer
  // Random windows per trajectory and epoch; 0 ("all"): every start time once per epoch.
  int windows_per_trajectory = 1;
  ConditioningRequest conditioning;
};

// "all" -> 0, "N" -> N >= 1; anything else is a usage error (for --windows-per-trajectory).
int parse_windows_per_trajectory(const std::string& text);

// Reads window `w` normalised into `inputs` / `targets` (one sample's slices), each field's
// history + future frames in one read_frames call. `scratch` holds them (grown as needed). A
// non-finite value is a numerical error naming trajectory/frame/field.
void read_window(const TrajectoryReader& reader, const Normalisation& norm, int history, int future,
                 const Window& w, float* inputs, float* targets, std::vector<double>& scratch);

class WindowLoader {
 public:
  // `reader` must outlive the loader. Checks fields, frames (history + future) and that the
  // normalisation matches the field list.
  WindowLoader(const TrajectoryReader& reader, WindowLoaderConfig config, Normalisation norm);
  ~WindowLoader();
  WindowLoader(const WindowLoader&) = delete;
  WindowLoader& operator=(const WindowLoader&) = delete;

  // Full batches per epoch (a last incomplete batch is dropped, so every step has the same shape;
  // with fewer windows than --batch the batch shrinks to the window count).
  long long batches_per_epoch() const { return batches_; }
  long long windows_per_epoch() const { return windows_; }
  // Possible start times per trajectory: frames - history - future + 1.
  long long start_times() const { return starts_; }
  const WindowConditioning& conditioning() const { return conditioning_; }
  int batch_size() const { return batch_; }
  const std::vector<long long>& trajectories() const { return trajectories_; }
  int height() const { return nx_; }
  int width() const { return ny_; }
  int channels() const { return static_cast<int>(config_.fields.size()); }

  // The epoch's windows in visiting order (see the top of this file).
  std::vector<Window> epoch_plan(long long epoch) const;

  // Starts epoch `epoch` at batch `first_batch` (a resumed run skips the batches it has done).
  void start_epoch(long long epoch, long long first_batch = 0);
  // The next batch of the epoch, or nullptr at its end. The batch stays valid until the next call.
  const Batch* next();

 private:
  void fill(Batch& batch, long long index, std::vector<double>& scratch) const;
  // Usage error (core/resource_guard.hpp) when `buffers` batches would not fit in memory.
  void check_buffer_memory(std::int64_t buffers) const;
  void stop_worker();
  void worker_loop();

  const TrajectoryReader& reader_;
  WindowLoaderConfig config_;
  Normalisation norm_;
  std::vector<long long> trajectories_;  // finished ones
  WindowConditioning conditioning_;
  long long frames_ = 0, starts_ = 0, windows_ = 0;
  int nx_ = 0, ny_ = 0;
  int batch_ = 0;
  long long batches_ = 0;

  // Epoch state.
  std::vector<Window> plan_;
  long long next_index_ = 0;  // next batch to hand out (foreground) or to fill (worker)
  long long end_index_ = 0;
  std::vector<Batch> ring_;
  std::vector<double> scratch_;

  // Background assembly: ring_ slots cycle worker -> consumer -> worker.
  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable changed_;
  long long filled_ = 0;    // batches (since epoch start) the worker has finished
  long long consumed_ = 0;  // batches the consumer has taken
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace fieldlab::datasets
