// Running the built twilio-guard binary from a test: arguments as given (no
// shell), standard input from a string, standard output and error captured
// separately, and a time limit after which the child is killed (a hang is a
// failure, not a stuck test run).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tg::testing {

struct ProcessResult {
  int exit_code = -1;        // -1 when killed by a signal
  int signal = 0;            // the signal that ended it, 0 if none
  bool timed_out = false;    // killed by us after the time limit
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::string cwd;                      // empty: the test's own
  std::optional<std::string> input;     // standard input; nullopt: /dev/null
  std::chrono::seconds timeout{120};
  std::vector<std::string> env;         // extra NAME=VALUE entries
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The twilio-guard executable of this build.
std::string twilio_guard_binary();

// A fresh directory under the system temporary directory, removed (with
// everything in it) when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }
  // Writes `content` to `relative` (parent directories created) and returns the full path.
  std::string write(const std::string& relative, const std::string& content) const;

 private:
  std::string m_path;
};

}  // namespace tg::testing
