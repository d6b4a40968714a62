#include "datasets/generate/generate_files.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "core/error.hpp"
#include "datasets/generate/ensemble_memory.hpp"
#include "datasets/generate/generation_identity.hpp"
#include "datasets/pdearena_writer.hpp"

namespace fieldlab::datasets {
namespace {

std::vector<io::Attribute> joined(std::vector<io::Attribute> attributes,
                                  std::vector<io::Attribute> provenance) {
  for (auto& a : provenance) attributes.push_back(std::move(a));
  return attributes;
}

// Reports the opened writer, then solves and finishes it.
template <typename Writer, typename Solve>
GeneratedFile solve_opened(Writer& writer, const GenerationRun& run, const char* unit,
                           const std::string& label, const Solve& solve_one, const StopToken& stop,
                           ProgressSink* progress, const GenerationOpened& opened) {
  GeneratedFile file;
  file.unit = unit;
  if (opened) {
    file.outcome.completed = writer.completed_count();
    file.outcome.total = writer.completed_count() + static_cast<long long>(writer.pending().size());
    file.outcome.path = writer.path();
    file.outcome.working_path = writer.working_path();
    opened(file);
  }
  file.outcome = solve_pending_units(writer, run, label, solve_one, stop, progress);
  return file;
}

GeneratedFile native_file(const GenerationRun& run, const TrajectoryLayout& layout,
                          std::vector<io::Attribute> attributes, const std::string& identity,
                          const std::string& label, const SolveTrajectory& solve_one,
                          const StopToken& stop, ProgressSink* progress,
                          const GenerationOpened& opened) {
  auto writer = open_generation_output(run, layout, attributes, identity);
  auto file = solve_opened(writer, run, "trajectories", label, solve_one, stop, progress, opened);
  file.summary = fmt::format("wrote {}: {} trajectories x {} frames of {}x{} ({})", run.out,
                             layout.trajectories, layout.frames, layout.nx, layout.ny,
                             fmt::join(layout.fields, ", "));
  return file;
}

GeneratedFile pdebench_file(const GenerationRun& run, const PdeBenchLayout& layout,
                            std::vector<io::Attribute> attributes,
                            const std::function<std::string(long long)>& sample_config,
                            const std::string& identity, const std::string& label,
                            const SolvePdeBenchSample& solve_one, const StopToken& stop,
                            ProgressSink* progress, const GenerationOpened& opened) {
  auto writer = open_generation_output(run, layout, attributes, sample_config, identity);
  auto file = solve_opened(writer, run, "samples", label, solve_one, stop, progress, opened);
  file.summary = fmt::format("wrote {} (PDEBench layout): {} samples x {} frames of {}x{} ({})",
                             run.out, layout.samples, layout.frames, layout.nx, layout.ny,
                             fmt::join(layout.channels, ", "));
  return file;
}

GeneratedFile pdearena_file(const GenerationRun& run, const PdeArenaLayout& layout,
                            std::vector<io::Attribute> attributes, const std::string& identity,
                            const std::string& label, const SolvePdeArenaTrajectory& solve_one,
                            const StopToken& stop, ProgressSink* progress,
                            const GenerationOpened& opened) {
  auto writer = open_generation_output(run, layout, attributes, identity);
  auto file = solve_opened(writer, run, "trajectories", label, solve_one, stop, progress, opened);
  file.summary =
      fmt::format("wrote {} (PDEArena layout, group /{}): {} trajectories x {} frames of {}x{}",
                  run.out, layout.split, layout.trajectories, layout.frames, layout.nx, layout.ny);
  return file;
}

// The layouts a generator writes (the CLI's --layout choices); another is a usage error.
FileLayout layout_of(const std::string& name, FileLayout other, const char* pde) {
  const FileLayout layout = parse_file_layout(name);
  require(layout == FileLayout::native || layout == other,
          "--layout must be native or {} for {} (got '{}')", to_string(other), pde, name);
  return layout;
}

}  // namespace

Ns2dEnsembleConfig resolve_ns2d(const Ns2dGenerateOptions& o) {
  Ns2dEnsembleConfig c = o.config;
  c.solver.resolution = o.solve_resolution > 0 ? o.solve_resolution : o.resolution;
  c.output_resolution = o.resolution;
  c.solver.stepper = solvers::parse_stepper(o.stepper);
  c.solver.forcing = solvers::parse_forcing(o.forcing);
  c.solver.initial_condition = solvers::parse_initial_condition(o.initial_condition);
  require(o.diffusion_order == 2 || o.diffusion_order == 4,
          "--diffusion-order must be 2 or 4 (got {})", o.diffusion_order);
  c.solver.diffusion_order = static_cast<solvers::DifferenceOrder>(o.diffusion_order);
  c.validate();
  return c;
}

Smoke2dConfig resolve_smoke2d(const Smoke2dGenerateOptions& o) {
  Smoke2dConfig c = o.config;
  c.scheme = solvers::parse_advection_scheme(o.advection);
  if (!o.buoyancy_range.empty()) {
    require(o.buoyancy_range.size() == 2, "--buoyancy-range takes MIN,MAX (got {} values)",
            o.buoyancy_range.size());
    require(o.buoyancy_range[1] > o.buoyancy_range[0],
            "--buoyancy-range needs MIN < MAX (got {},{})", o.buoyancy_range[0],
            o.buoyancy_range[1]);
    c.buoyancy_min = o.buoyancy_range[0];
    c.buoyancy_max = o.buoyancy_range[1];
  }
  c.validate();
  return c;
}

DamBreak2dConfig resolve_dambreak2d(const DamBreak2dGenerateOptions& o) {
  DamBreak2dConfig c = o.config;
  require(o.resolution >= 2, "--resolution must be at least 2 (got {})", o.resolution);
  require(std::isfinite(o.half_width) && o.half_width > 0, "--half-width must be positive");
  c.solver.nx = c.solver.ny = o.resolution;
  c.solver.x_min = c.solver.y_min = -o.half_width;
  c.solver.x_max = c.solver.y_max = o.half_width;
  c.solver.riemann = solvers::parse_riemann_solver(o.riemann);
  c.solver.limiter = solvers::parse_slope_limiter(o.limiter);
  c.solver.stepper = solvers::parse_ssp_stepper(o.stepper);
  c.solver.boundary = solvers::parse_swe_boundary(o.boundary);
  c.validate();
  return c;
}

Swe2dConfig resolve_swe2d(const Swe2dGenerateOptions& o) {
  Swe2dConfig c = o.config;
  c.solver.nx = c.solver.ny = o.resolution;
  c.solver.lx = c.solver.ly = o.length;
  c.solver.stepper = solvers::parse_swe_cgrid_stepper(o.stepper);
  c.solver.scheme = solvers::parse_swe_cgrid_scheme(o.scheme);
  c.initial = solvers::parse_swe_cgrid_initial(o.initial);
  c.validate();
  return c;
}

GeneratedFile generate_ns2d_file(const Ns2dGenerateOptions& options, const GenerationRun& run,
                                 const std::string& dtype_name,
                                 std::vector<io::Attribute> provenance, const StopToken& stop,
                                 ProgressSink* progress, const GenerationOpened& opened) {
  const Ns2dEnsembleConfig c = resolve_ns2d(options);
  check_ns2d_memory(c, run.threads);  // before the output file is created
  const auto dtype = io::parse_storage_type(dtype_name);
  return native_file(
      run, ns2d_layout(c, dtype), joined(ns2d_attributes(c), std::move(provenance)),
      ns2d_identity(c, dtype), "ns2d trajectories",
      [&c](long long index, TrajectoryWriter& writer, const StopToken& s) {
        return solve_ns2d_trajectory(c, index, writer, s);
      },
      stop, progress, opened);
}

GeneratedFile generate_smoke2d_file(const Smoke2dGenerateOptions& options, const GenerationRun& run,
                                    const std::optional<std::string>& dtype,
                                    std::vector<io::Attribute> provenance, const StopToken& stop,
                                    ProgressSink* progress, const GenerationOpened& opened) {
  const Smoke2dConfig c = resolve_smoke2d(options);
  Smoke2dOutput output;
  output.layout = layout_of(options.layout, FileLayout::pdearena, "smoke2d");
  require(options.split == "train" || options.split == "valid" || options.split == "test",
          "--split must be train, valid or test (got '{}')", options.split);
  check_smoke2d_memory(c, run.threads);  // before the output file is created
  auto attributes = joined(smoke2d_attributes(c), std::move(provenance));
  output.split = options.split;
  // PDEArena stores float64; an explicit dtype float32 halves the file and still loads.
  if (output.layout == FileLayout::native || dtype)
    output.dtype = io::parse_storage_type(dtype.value_or("float32"));
  const std::string identity = smoke2d_identity(c, output);

  if (output.layout == FileLayout::native)
    return native_file(
        run, smoke2d_layout(c, output.storage_type()), std::move(attributes), identity,
        "smoke2d trajectories",
        [&c](long long index, TrajectoryWriter& writer, const StopToken& s) {
          return solve_smoke2d_trajectory(c, index, writer, s);
        },
        stop, progress, opened);
  require(!c.staggered, "--staggered is only available with --layout native");
  check_pdearena_split(run.out, options.split);
  return pdearena_file(
      run, smoke2d_pdearena_layout(c, output), std::move(attributes), identity,
      "smoke2d trajectories",
      [&c](long long index, PdeArenaWriter& writer, const StopToken& s) {
        return solve_smoke2d_pdearena(c, index, writer, s);
      },
      stop, progress, opened);
}

GeneratedFile generate_dambreak2d_file(const DamBreak2dGenerateOptions& options,
                                       const GenerationRun& run, const std::string& dtype_name,
                                       std::vector<io::Attribute> provenance, const StopToken& stop,
                                       ProgressSink* progress, const GenerationOpened& opened) {
  const DamBreak2dConfig c = resolve_dambreak2d(options);
  const auto layout = layout_of(options.layout, FileLayout::pdebench, "dambreak2d");
  check_dambreak2d_memory(c, run.threads);  // before the output file is created
  const auto dtype = io::parse_storage_type(dtype_name);
  const std::string identity = dambreak2d_identity(c, layout, dtype);
  auto attributes = joined(dambreak2d_attributes(c), std::move(provenance));
  if (layout == FileLayout::pdebench)
    return pdebench_file(
        run, dambreak2d_pdebench_layout(c, dtype), std::move(attributes),
        [&c](long long index) { return dambreak2d_sample_config(c, index); }, identity,
        "dambreak2d samples",
        [&c](long long index, PdeBenchWriter& writer, const StopToken& s) {
          return solve_dambreak2d_pdebench(c, index, writer, s);
        },
        stop, progress, opened);
  return native_file(
      run, dambreak2d_layout(c, dtype), std::move(attributes), identity, "dambreak2d samples",
      [&c](long long index, TrajectoryWriter& writer, const StopToken& s) {
        return solve_dambreak2d_trajectory(c, index, writer, s);
      },
      stop, progress, opened);
}

GeneratedFile generate_swe2d_file(const Swe2dGenerateOptions& options, const GenerationRun& run,
                                  const std::string& dtype_name,
                                  std::vector<io::Attribute> provenance, const StopToken& stop,
                                  ProgressSink* progress, const GenerationOpened& opened) {
  const Swe2dConfig c = resolve_swe2d(options);
  const auto layout = layout_of(options.layout, FileLayout::pdebench, "swe2d");
  check_swe2d_memory(c, run.threads);  // before the output file is created
  const auto dtype = io::parse_storage_type(dtype_name);
  const std::string identity = swe2d_identity(c, layout, dtype);
  auto attributes = joined(swe2d_attributes(c), std::move(provenance));
  if (layout == FileLayout::pdebench)
    return pdebench_file(
        run, swe2d_pdebench_layout(c, dtype), std::move(attributes),
        [&c](long long index) { return swe2d_sample_config(c, index); }, identity,
        "swe2d trajectories",
        [&c](long long index, PdeBenchWriter& writer, const StopToken& s) {
          return solve_swe2d_pdebench(c, index, writer, s);
        },
        stop, progress, opened);
  return native_file(
      run, swe2d_layout(c, dtype), std::move(attributes), identity, "swe2d trajectories",
      [&c](long long index, TrajectoryWriter& writer, const StopToken& s) {
        return solve_swe2d_trajectory(c, index, writer, s);
      },
      stop, progress, opened);
}

}  // namespace fieldlab::datasets
