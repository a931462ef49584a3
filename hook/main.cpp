#include "hook/cli.hpp"

int main(int argc, char** argv) { return tg::run_cli(argc, argv); }
