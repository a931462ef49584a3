#pragma once

namespace tg {

// The whole command line: parses arguments, runs the command, and is the one
// place that turns an Error into `twilio-guard: error: ...` and an exit code
// (0 nothing blocking, 1 blocking findings, 2 usage or configuration error,
// 3 runtime error).
int run_cli(int argc, char** argv);

}  // namespace tg
