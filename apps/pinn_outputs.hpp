#pragma once
// eval, predict and render for LPINN/PINN checkpoints (`fieldlab train lpinn|pinn`): the
// commands keep their options and call these when nn::is_pinn_checkpoint(CKPT). One file for the
// three because they share the loading and the evaluation grid (nx points linspace(0, 2 pi), nt
// points linspace(0, t_end), end points included).
//
//   eval:    relative L2, max error, loss terms at the problem speed, reference method, grid
//            (text, or one JSON object with --json).
//   predict: HDF5 with x [nx], t [nt], u [nt, nx], reference [nt, nx] and, for the LPINN, the
//            characteristics X [nt, nx] (unwrapped) at labels x0 = x; written to a temporary name
//            and renamed (datasets/io/replace_file.hpp); the task's YAML in the `config` attribute.
//   render:  a PNG of reference, prediction (one colour range) and error as (x, t) images side
//            by side, and for the LPINN a panel of 16 learned characteristics X(x0, t) mod 2 pi.

#include <string>

namespace fieldlab::apps {

struct PinnGrid {
  int nx = 256, nt = 100;
};

// Whether `path` is an LPINN/PINN checkpoint; false for anything else, a missing or non-HDF5 file
// included (the commands' own paths then say what is wrong with it).
bool is_pinn_file(const std::string& path);

void run_eval_pinn(const std::string& checkpoint, PinnGrid grid, bool json);
void run_predict_pinn(const std::string& checkpoint, const std::string& out, PinnGrid grid,
                      bool overwrite, bool quiet);
void run_render_pinn(const std::string& checkpoint, const std::string& out, PinnGrid grid,
                     bool overwrite);

}  // namespace fieldlab::apps
