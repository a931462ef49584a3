#include "hook/cli.hpp"
#include "util/short_run_heap.hpp"

int main(int argc, char** argv) {
  tg::use_short_run_heap();
  return tg::run_cli(argc, argv);
}
