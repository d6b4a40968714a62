// fieldlab qrc: quantum reservoir computing benchmarks (being written).

#include "apps/commands.hpp"
#include "core/error.hpp"

namespace fieldlab::apps {

void register_qrc(CLI::App& app) {
  auto* cmd = app.add_subcommand("qrc", "reservoir computing tasks (not yet available)");
  cmd->callback([] { fail(ErrorKind::usage, "qrc is not implemented yet"); });
}

}  // namespace fieldlab::apps
