// The `fieldlab` command line: parses, dispatches to one subcommand, turns every failure into one
// line on stderr and an exit code (2: usage, 1: anything else).

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <new>
#include <string>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/interrupt.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/version.hpp"

namespace {

// CLI11 reports a mistyped subcommand as a missing one; name the typo and the choices instead.
void check_subcommand_names(const CLI::App& app, int argc, char** argv) {
  const CLI::App* current = &app;
  for (int i = 1; i < argc && !current->get_subcommands({}).empty(); ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') return;
    // A command that also takes positionals (`train MODEL` beside `train qkan`) accepts any word.
    if (!current->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty())
      return;
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : current->get_subcommands({}))
      if (sub->check_name(word)) next = sub;
    if (!next) {
      std::string choices;
      for (const CLI::App* sub : current->get_subcommands({}))
        choices += (choices.empty() ? "" : ", ") + sub->get_name();
      const std::string what =
          current == &app ? std::string("command") : current->get_name() + " target";
      throw fieldlab::Error(fieldlab::ErrorKind::usage,
                            fmt::format("unknown {} '{}' (choose from: {})", what, word, choices));
    }
    current = next;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fieldlab: PDE solvers, HDF5 trajectory datasets and neural surrogates", "fieldlab"};
  app.set_version_flag("--version", std::string("fieldlab ") + fieldlab::kVersion);
  app.require_subcommand(1);
  // Every option's default is recorded, so the `config` attribute of output files lists them.
  app.option_defaults()->always_capture_default();
  fieldlab::apps::record_command_line(argc, argv);
  CLI::App* generate = fieldlab::apps::register_generate(app);
  CLI::App* solve = fieldlab::apps::register_solve(app);
  fieldlab::apps::register_generate_ns2d(generate);
  fieldlab::apps::register_solve_taylor_green(solve);
  fieldlab::apps::register_generate_dambreak2d(generate);
  fieldlab::apps::register_generate_swe2d(generate);
  fieldlab::apps::register_solve_swe(solve);
  fieldlab::apps::register_generate_smoke2d(generate);
  fieldlab::apps::register_solve_cavity(solve);
  fieldlab::apps::register_info(app);
  fieldlab::apps::register_describe(app);
  fieldlab::apps::register_render(app);
  fieldlab::apps::register_train(app);
  fieldlab::apps::register_eval(app);
  fieldlab::apps::register_predict(app);
  fieldlab::apps::register_qsim(app);
  fieldlab::apps::register_qrc(app);
  // Every numeric option, whoever declared it, is parsed strictly and checked (option_checks.hpp).
  fieldlab::apps::check_numeric_options(app);
  fieldlab::apps::check_path_options(app);
  try {
    check_subcommand_names(app, argc, argv);
    app.parse(argc, argv);
  } catch (const fieldlab::apps::Interrupted&) {
    return 130;  // the command has said what it saved and how to resume
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    fmt::print(stderr, "fieldlab: error: {} (see --help)\n",
               fieldlab::apps::readable_parse_error(e.what()));
    return 2;
  } catch (const fieldlab::Error& e) {
    // A --config value that fails a number check arrives here, wrapped by apply_config_file.
    fmt::print(stderr, "fieldlab: error: {}\n", fieldlab::apps::readable_parse_error(e.what()));
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    // The last resort: sizes are checked against available memory before allocating
    // (core/resource_guard.hpp), so this means an estimate was short or memory went elsewhere.
    std::string command;
    for (int i = 1; i < argc && argv[i][0] != '-' && i < 3; ++i)
      command += (command.empty() ? "" : " ") + std::string(argv[i]);
    fmt::print(stderr,
               "fieldlab: error: out of memory while running '{}'; reduce the sizes (resolution, "
               "frames, batch, model width) or --threads\n",
               command.empty() ? "fieldlab" : command);
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "fieldlab: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
