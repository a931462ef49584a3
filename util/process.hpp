// Running a helper program (git) and capturing what it prints. For set-up
// commands only: the hot path never spawns processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tg {

struct ProcessOutput {
  int status = -1;  // exit status; -1 when killed by a signal
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `argv` (looked up in PATH) with no standard input and waits for it.
// nullopt when it could not be started.
std::optional<ProcessOutput> run_process(const std::vector<std::string>& argv);

}  // namespace tg
