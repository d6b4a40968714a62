// fieldlab info FILE.h5: what a trajectory file holds, with per-field statistics.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "apps/commands.hpp"
#include "datasets/field_statistics.hpp"
#include "datasets/trajectory_reader.hpp"

namespace fieldlab::apps {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += c;
    }
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

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
    std::string out = "{";
    out += fmt::format("\"path\": {}, \"layout\": {}, ", json_string(path),
                       json_string(reader->layout()));
    out += fmt::format(
        "\"trajectories\": {}, \"frames\": {}, \"nx\": {}, \"ny\": {}, \"completed\": {}, "
        "\"complete\": {}, ",
        shape.trajectories, shape.frames, shape.nx, shape.ny, done,
        reader->complete() ? "true" : "false");
    out += fmt::format("\"t\": [{}, {}], ", t.empty() ? "null" : json_number(t.front()),
                       t.empty() ? "null" : json_number(t.back()));
    out += "\"fields\": {";
    for (size_t i = 0; i < stats.size(); ++i) {
      const auto& [name, s] = stats[i];
      out += fmt::format(
          "{}{}: {{\"dtype\": {}, \"shape\": [{}, {}, {}, {}], \"min\": {}, \"max\": {}, "
          "\"mean\": {}, \"std\": {}, \"non_finite\": {}}}",
          i ? ", " : "", json_string(name), json_string(reader->storage_type(name)),
          shape.trajectories, shape.frames, shape.nx, shape.ny, json_number(s.min),
          json_number(s.max), json_number(s.mean), json_number(s.std), s.non_finite);
    }
    out += "}, \"attributes\": {";
    const auto attributes = reader->attributes();
    for (size_t i = 0; i < attributes.size(); ++i)
      out += fmt::format("{}{}: {}", i ? ", " : "", json_string(attributes[i].first),
                         json_string(attributes[i].second));
    out += "}}";
    fmt::print("{}\n", out);
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
