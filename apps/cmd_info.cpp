// fieldlab info FILE.h5: what a trajectory file holds, with per-field statistics.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "apps/commands.hpp"
#include "apps/json_writer.hpp"
#include "core/error.hpp"
#include "datasets/field_statistics.hpp"
#include "datasets/trajectory_reader.hpp"

namespace fieldlab::apps {
namespace {

// A statistic of a field with no finished values is honestly missing: null, not a failure.
void statistic(JsonWriter& j, const char* name, double v, const datasets::FieldStatistics& s) {
  j.key(name);
  if (s.count == 0)
    j.null();
  else
    j.value(v);
}

void run_info(const std::string& path, bool json) {
  auto reader = datasets::open_trajectories(path);
  const auto shape = reader->shape();
  const auto completed = reader->completed();
  const long long done = std::count(completed.begin(), completed.end(), 1);
  const auto t = reader->t();
  std::vector<std::pair<std::string, datasets::FieldStatistics>> stats;
  for (const auto& f : reader->fields())
    stats.emplace_back(f, datasets::field_statistics(*reader, f));

  if (json) {
    JsonWriter j;
    j.begin_object();
    j.key("path").value(path).key("layout").value(reader->layout());
    j.key("trajectories").value(shape.trajectories).key("frames").value(shape.frames);
    j.key("nx").value(shape.nx).key("ny").value(shape.ny).key("completed").value(done);
    j.key("complete").value(reader->complete());
    j.key("t").begin_array();
    if (t.empty())
      j.null().null();
    else
      j.value(t.front()).value(t.back());
    j.end_array();
    j.key("fields").begin_object();
    for (const auto& [name, s] : stats) {
      j.key(name).begin_object();
      j.key("dtype").value(reader->storage_type(name));
      j.key("shape").begin_array();
      j.value(shape.trajectories).value(shape.frames).value(shape.nx).value(shape.ny);
      j.end_array();
      statistic(j, "min", s.min, s);
      statistic(j, "max", s.max, s);
      statistic(j, "mean", s.mean, s);
      statistic(j, "std", s.std, s);
      j.key("non_finite").value(s.non_finite).end_object();
    }
    j.end_object().key("attributes").begin_object();
    for (const auto& [name, value] : reader->attributes()) j.key(name).value(value);
    j.end_object().end_object();
    fmt::print("{}\n", j.str());
    if (j.nulls_for_non_finite() > 0)
      fail(ErrorKind::numerical, "'{}': {} value(s) are not finite and are shown as null", path,
           j.nulls_for_non_finite());
    return;
  }

  fmt::print("file:          {}\n", path);
  fmt::print("layout:        {}\n", reader->layout());
  fmt::print("trajectories:  {} ({} complete{})\n", shape.trajectories, done,
             reader->complete() ? "" : "; file is UNFINISHED, finish it with --resume");
  fmt::print("frames:        {}", shape.frames);
  if (!t.empty()) fmt::print(" (t = {:.6g} .. {:.6g})", t.front(), t.back());
  fmt::print("\ngrid:          {} x {}\n", shape.nx, shape.ny);
  fmt::print("fields:\n");
  fmt::print("  {:<16} {:<8} {:>12} {:>12} {:>12} {:>12}\n", "name", "dtype", "min", "max", "mean",
             "std");
  for (const auto& [name, s] : stats) {
    fmt::print("  {:<16} {:<8} {:>12.5g} {:>12.5g} {:>12.5g} {:>12.5g}{}\n", name,
               reader->storage_type(name), s.min, s.max, s.mean, s.std,
               s.non_finite ? fmt::format("  ({} non-finite!)", s.non_finite) : "");
  }
  fmt::print("attributes:\n");
  for (const auto& [name, value] : reader->attributes()) {
    std::string shown = value;
    if (shown.find('\n') != std::string::npos) {
      // Multi-line values (the effective configuration) are indented under their name.
      std::string indented;
      for (char c : shown) indented += c == '\n' ? std::string("\n      ") : std::string(1, c);
      shown = "\n      " + indented;
    }
    fmt::print("  {}: {}\n", name, shown);
  }
}

}  // namespace

void register_info(CLI::App& app) {
  static std::string path;
  static bool json = false;
  auto* cmd = app.add_subcommand("info", "describe a trajectory file: fields, shapes, statistics");
  cmd->add_option("file", path, "HDF5 file")->required();
  cmd->add_flag("--json", json, "machine-readable output");
  cmd->callback([] { run_info(path, json); });
}

}  // namespace fieldlab::apps
