#pragma once
// Each subcommand lives in its own cmd_*.cpp and registers itself on the root app here.

#include <CLI/CLI.hpp>
#include <vector>

namespace fieldlab::apps {

// `generate` and `solve` are parents: each PDE or case adds itself under them.
CLI::App* register_generate(CLI::App& app);
CLI::App* register_solve(CLI::App& app);
void register_generate_ns2d(CLI::App* generate);
void register_solve_taylor_green(CLI::App* solve);
void register_generate_dambreak2d(CLI::App* generate);
void register_generate_swe2d(CLI::App* generate);
void register_solve_swe(CLI::App* solve);  // dam-break, lake-at-rest, geostrophic-jet
void register_generate_smoke2d(CLI::App* generate);
void register_solve_cavity(CLI::App* solve);

void register_info(CLI::App& app);
void register_describe(CLI::App& app);
void register_render(CLI::App& app);
void register_train(CLI::App& app);
CLI::App* register_train_qkan(CLI::App* train);  // `train qkan`, called by register_train
// `train lpinn` and `train pinn` (apps/cmd_train_pinn.cpp), called by register_train.
std::vector<CLI::App*> register_train_pinn(CLI::App* train);
void register_eval(CLI::App& app);
void register_predict(CLI::App& app);
void register_qsim(CLI::App& app);
void register_qrc(CLI::App& app);

}  // namespace fieldlab::apps
