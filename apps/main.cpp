// The `fieldlab` command line: parses, dispatches to one subcommand, turns every failure into one
// line on stderr and an exit code (2: usage, 1: anything else).

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"fieldlab: PDE solvers, HDF5 trajectory datasets and neural surrogates", "fieldlab"};
  app.set_version_flag("--version", std::string("fieldlab ") + fieldlab::kVersion);
  app.require_subcommand(1);
  fieldlab::apps::record_command_line(argc, argv);
  CLI::App* generate = fieldlab::apps::register_generate(app);
  CLI::App* solve = fieldlab::apps::register_solve(app);
  fieldlab::apps::register_generate_ns2d(generate);
  fieldlab::apps::register_solve_taylor_green(solve);
  fieldlab::apps::register_generate_smoke2d(generate);
  fieldlab::apps::register_solve_cavity(solve);
  fieldlab::apps::register_generate_dambreak2d(generate);
  fieldlab::apps::register_generate_swe2d(generate);
  fieldlab::apps::register_solve_swe(solve);
  fieldlab::apps::register_info(app);
  fieldlab::apps::register_describe(app);
  fieldlab::apps::register_render(app);
  fieldlab::apps::register_qsim(app);
  fieldlab::apps::register_qrc(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    fmt::print(stderr, "fieldlab: error: {} (see --help)\n", e.what());
    return 2;
  } catch (const fieldlab::Error& e) {
    fmt::print(stderr, "fieldlab: error: {}\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    fmt::print(stderr, "fieldlab: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
