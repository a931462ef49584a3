#include "hook/install.hpp"

#include "util/process.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tg {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_client_hooks[] = {"pre-commit", "pre-push"};
constexpr std::string_view k_known_hooks[] = {"pre-commit", "pre-push", "pre-receive"};
constexpr std::string_view k_created_directory = "# twilio-guard-created-directory";

bool takes_stdin(std::string_view hook) { return hook != "pre-commit"; }

// Whether a hook may be a direct file (ScriptMode::direct). Not pre-push:
// when git cannot start that hook (a binary gone) `git push` waits forever
// (git 2.39), where the shell form reports the missing binary and fails.
bool can_run_direct(std::string_view hook) { return hook != "pre-push"; }

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

Result<std::string> git(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto output = run_process(argv);
  if (!output) return fail(ErrorKind::runtime, "cannot run git: is it installed and on PATH?");
  if (output->status != 0) {
    return fail(ErrorKind::runtime, fmt::format("git {} failed: {}", fmt::join(args, " "), trim(output->err)));
  }
  return output->out;
}

struct HooksLocation {
  fs::path directory;
  bool bare = false;
  ScriptMode mode = ScriptMode::repository;
  bool own_global_directory = false;  // $XDG_CONFIG_HOME/twilio-guard/hooks, set by us
};

fs::path own_global_directory() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
    return fs::path(xdg) / "twilio-guard/hooks";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "") / ".config/twilio-guard/hooks";
}

fs::path expand_home(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (path.starts_with("~/") && home != nullptr) return fs::path(home) / path.substr(2);
  return path;
}

Result<HooksLocation> locate_global() {
  HooksLocation location;
  location.mode = ScriptMode::global;
  auto output = run_process({"git", "config", "--global", "--get", "core.hooksPath"});
  if (!output) return fail(ErrorKind::runtime, "cannot run git: is it installed and on PATH?");
  const std::string configured = trim(output->out);
  const fs::path own = own_global_directory();
  if (output->status == 0 && !configured.empty() && expand_home(configured) != own) {
    location.directory = expand_home(configured);
    // A global hooks path the user already had: its hooks already replace
    // each repository's own, so the scripts chain only to what is there.
    location.mode = ScriptMode::repository;
  } else {
    location.directory = own;
    location.own_global_directory = true;
  }
  return location;
}

Result<HooksLocation> locate_repository(const std::string& start) {
  auto probe = git({"-C", start, "rev-parse", "--is-bare-repository", "--absolute-git-dir"});
  if (!probe) {
    return fail(ErrorKind::usage, fmt::format("{} is not in a git repository (use --repo DIR)", start));
  }
  std::istringstream lines(*probe);
  std::string bare;
  std::string git_dir;
  std::getline(lines, bare);
  std::getline(lines, git_dir);
  HooksLocation location;
  location.bare = bare == "true";
  // Relative core.hooksPath values are relative to where hooks run: the top
  // of the working tree, or the git directory of a bare repository.
  std::string base = git_dir;
  if (!location.bare) {
    auto top = git({"-C", start, "rev-parse", "--show-toplevel"});
    if (!top) return std::unexpected(top.error());
    base = trim(*top);
  }
  auto hooks = git({"-C", base, "rev-parse", "--git-path", "hooks"});
  if (!hooks) return std::unexpected(hooks.error());
  const fs::path path = expand_home(trim(*hooks));
  location.directory = (path.is_absolute() ? path : fs::path(base) / path).lexically_normal();
  return location;
}

Result<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::runtime, fmt::format("{}: cannot be read", path.string()));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A hook file we wrote: the marker on its second line.
bool is_ours(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(fs::symlink_status(path, error))) return false;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  return line.starts_with(k_hook_marker);
}

bool exists_or_dangling(const fs::path& path) {
  std::error_code error;
  return fs::symlink_status(path, error).type() != fs::file_type::not_found;
}

// Writes `content` to `path` with mode 0755 by renaming a complete temporary
// file over it, so that git never runs half a script.
Result<void> write_script(const fs::path& path, const std::string& content) {
  const fs::path temporary = path.string() + ".twilio-guard-new";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return fail(ErrorKind::runtime, fmt::format("{}: cannot be written", temporary.string()));
  }
  if (::chmod(temporary.c_str(), 0755) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return fail(ErrorKind::runtime, fmt::format("{}: {}", path.string(), reason));
  }
  return {};
}

Result<std::vector<std::string>> hook_names(const InstallRequest& request, const HooksLocation& location,
                                            bool installing) {
  std::vector<std::string> names = request.hooks;
  for (const std::string& name : names) {
    if (std::find(std::begin(k_known_hooks), std::end(k_known_hooks), name) == std::end(k_known_hooks)) {
      return fail(ErrorKind::usage,
                  fmt::format("unknown hook \"{}\": twilio-guard provides pre-commit, pre-push and pre-receive", name));
    }
  }
  if (!names.empty()) return names;
  if (!installing) return std::vector<std::string>(std::begin(k_known_hooks), std::end(k_known_hooks));
  if (location.bare) return std::vector<std::string>{"pre-receive"};
  return std::vector<std::string>(std::begin(k_client_hooks), std::end(k_client_hooks));
}

Result<HooksLocation> locate(const InstallRequest& request) {
  if (request.global) {
    if (request.repository) return fail(ErrorKind::usage, "--global and --repo exclude each other");
    return locate_global();
  }
  return locate_repository(request.repository.value_or("."));
}

}  // namespace

bool fits_interpreter_line(std::string_view binary) {
  constexpr std::size_t k_longest_line = 127;  // BINPRM_BUF_SIZE was 128 before Linux 5.1
  const bool blank = std::any_of(binary.begin(), binary.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  return binary.starts_with('/') && !blank &&
         std::string_view("#!").size() + binary.size() + 1 + k_run_hook_command.size() <= k_longest_line;
}

Result<std::string_view> hook_named_by_file(std::string_view hook_file) {
  const std::size_t slash = hook_file.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? hook_file : hook_file.substr(slash + 1);
  for (const std::string_view known : k_known_hooks) {
    if (name == known) return known;
  }
  return fail(ErrorKind::usage, fmt::format("{} {}: the hook file must be named pre-commit, pre-push or pre-receive",
                                            k_run_hook_command, hook_file));
}

std::string hook_script(std::string_view hook, std::string_view binary, ScriptMode mode,
                        bool created_directory) {
  const std::string marker_lines = fmt::format("{} ({})\n{}", k_hook_marker, hook,
                                               created_directory ? fmt::format("{}\n", k_created_directory) : "");
  const std::string_view what = hook == "pre-commit" ? "commit" : "push";
  if (mode == ScriptMode::direct) {
    // One process start instead of two (a shell, then twilio-guard): 1.7 ms
    // less per hook run on the benchmark machine. A missing binary still
    // stops the commit or push: git reports that it cannot run the hook.
    return fmt::format(
        "#!{binary} {command}\n{markers}"
        "# Installed by `twilio-guard install`. git executes this file and the line\n"
        "# above starts twilio-guard, which checks the {what}. Should that binary be\n"
        "# gone, git cannot run the hook and stops every {what}: reinstall twilio-guard,\n"
        "# or remove this file (`twilio-guard uninstall` does).\n",
        fmt::arg("binary", binary), fmt::arg("command", k_run_hook_command), fmt::arg("markers", marker_lines),
        fmt::arg("what", what));
  }
  std::string script = "#!/bin/sh\n" + marker_lines;
  script += fmt::format(
      "# Installed by `twilio-guard install`. It runs the hook that was here before\n"
      "# ({hook}{suffix}, if any), then twilio-guard; either can stop the {what}.\n"
      "# `twilio-guard uninstall` removes this file and puts that hook back as it was.\n"
      "twilio_guard={binary}\n"
      "case \"$0\" in */*) here=\"${{0%/*}}\" ;; *) here=. ;; esac\n"
      "chained=\"$here/{hook}{suffix}\"\n",
      fmt::arg("hook", hook), fmt::arg("suffix", k_chained_suffix),
      fmt::arg("what", what), fmt::arg("binary", shell_quote(binary)));
  if (mode != ScriptMode::global) {
    // The common case costs one shell and no other process. Copying the
    // input (mktemp, cat), dirname and a shell left waiting cost 13 ms a push.
    script += fmt::format(
        "# Nothing to run first: twilio-guard takes over this process.\n"
        "if [ ! -x \"$chained\" ] && [ -x \"$twilio_guard\" ]; then\n"
        "  exec \"$twilio_guard\" {hook} \"$@\"\n"
        "fi\n",
        fmt::arg("hook", hook));
  }
  const bool with_input = takes_stdin(hook);
  if (with_input) {
    script +=
        "# Both hooks read the same standard input (the refs being pushed).\n"
        "input=$(mktemp \"${TMPDIR:-/tmp}/twilio-guard.XXXXXX\") || exit 1\n"
        "trap 'rm -f \"$input\"' EXIT\n"
        "cat >\"$input\"\n";
  }
  const std::string redirect = with_input ? " <\"$input\"" : "";
  script += "status=0\n";
  script += fmt::format("if [ -x \"$chained\" ]; then\n  \"$chained\" \"$@\"{} || status=$?\nfi\n", redirect);
  if (mode == ScriptMode::global) {
    // A global core.hooksPath hides each repository's own hooks; run them.
    script += fmt::format(
        "own=\"$(git rev-parse --git-common-dir 2>/dev/null)/hooks/{hook}\"\n"
        "if [ -x \"$own\" ] && [ ! \"$own\" -ef \"$0\" ]; then\n"
        "  \"$own\" \"$@\"{redirect} || {{ code=$?; [ \"$status\" -ne 0 ] || status=$code; }}\n"
        "fi\n",
        fmt::arg("hook", hook), fmt::arg("redirect", redirect));
  }
  script += fmt::format(
      "if [ -x \"$twilio_guard\" ]; then\n"
      "  \"$twilio_guard\" {hook} \"$@\"{redirect} || {{ code=$?; [ \"$status\" -ne 0 ] || status=$code; }}\n"
      "else\n"
      "  echo \"twilio-guard: $twilio_guard is missing; reinstall it, or run 'twilio-guard uninstall'\" >&2\n"
      "  [ \"$status\" -ne 0 ] || status=1\n"
      "fi\n"
      "exit \"$status\"\n",
      fmt::arg("hook", hook), fmt::arg("redirect", redirect));
  return script;
}

Result<std::vector<InstallAction>> install_hooks(const InstallRequest& request) {
  auto location = locate(request);
  if (!location) return std::unexpected(location.error());
  auto names = hook_names(request, *location, true);
  if (!names) return std::unexpected(names.error());

  std::error_code error;
  const bool created_directory = !fs::exists(location->directory, error);
  if (created_directory && !fs::create_directories(location->directory, error) && error) {
    return fail(ErrorKind::runtime, fmt::format("{}: {}", location->directory.string(), error.message()));
  }
  std::vector<InstallAction> actions;
  for (const std::string& name : *names) {
    const fs::path path = location->directory / name;
    const fs::path chained = path.string() + std::string(k_chained_suffix);
    std::string what;
    bool keeps_created_flag = created_directory;
    if (is_ours(path)) {
      auto old = read_text(path);
      if (!old) return std::unexpected(old.error());
      keeps_created_flag = old->find(k_created_directory) != std::string::npos;
      what = "already installed, refreshed";
    } else if (exists_or_dangling(path)) {
      if (exists_or_dangling(chained)) {
        return fail(ErrorKind::runtime,
                    fmt::format("{} exists and so does {}: resolve by hand", path.string(), chained.string()));
      }
      if (::rename(path.c_str(), chained.c_str()) != 0) {
        return fail(ErrorKind::runtime, fmt::format("{}: {}", path.string(), std::strerror(errno)));
      }
      what = fmt::format("installed; the existing hook runs first (kept as {})", chained.filename().string());
    } else {
      what = "installed";
    }
    ScriptMode mode = location->mode;
    if (mode == ScriptMode::repository && can_run_direct(name) && !exists_or_dangling(chained) &&
        fits_interpreter_line(request.binary)) {
      mode = ScriptMode::direct;
    }
    auto written = write_script(path, hook_script(name, request.binary, mode, keeps_created_flag));
    if (!written) return std::unexpected(written.error());
    actions.push_back({path.string(), std::move(what)});
  }
  if (location->own_global_directory) {
    auto set = git({"config", "--global", "core.hooksPath", location->directory.string()});
    if (!set) return std::unexpected(set.error());
    actions.push_back({"git config --global core.hooksPath", location->directory.string()});
  }
  return actions;
}

Result<std::vector<InstallAction>> uninstall_hooks(const InstallRequest& request) {
  auto location = locate(request);
  if (!location) return std::unexpected(location.error());
  auto names = hook_names(request, *location, false);
  if (!names) return std::unexpected(names.error());

  std::vector<InstallAction> actions;
  bool created_directory = false;
  for (const std::string& name : *names) {
    const fs::path path = location->directory / name;
    const fs::path chained = path.string() + std::string(k_chained_suffix);
    if (!is_ours(path)) {
      if (exists_or_dangling(path) && !request.hooks.empty()) {
        actions.push_back({path.string(), "not installed by twilio-guard, left alone"});
      }
      continue;
    }
    auto old = read_text(path);
    if (!old) return std::unexpected(old.error());
    created_directory = created_directory || old->find(k_created_directory) != std::string::npos;
    if (::unlink(path.c_str()) != 0) {
      return fail(ErrorKind::runtime, fmt::format("{}: {}", path.string(), std::strerror(errno)));
    }
    if (exists_or_dangling(chained)) {
      if (::rename(chained.c_str(), path.c_str()) != 0) {
        return fail(ErrorKind::runtime, fmt::format("{}: {}", chained.string(), std::strerror(errno)));
      }
      actions.push_back({path.string(), "removed; the previous hook is back"});
    } else {
      actions.push_back({path.string(), "removed"});
    }
  }
  std::error_code error;
  const bool empty = fs::is_directory(location->directory, error) && fs::is_empty(location->directory, error);
  if ((created_directory || location->own_global_directory) && empty) {
    fs::remove(location->directory, error);
  }
  if (location->own_global_directory && !fs::exists(location->directory, error)) {
    auto configured = run_process({"git", "config", "--global", "--get", "core.hooksPath"});
    if (configured && configured->status == 0 && expand_home(trim(configured->out)) == location->directory) {
      auto unset = git({"config", "--global", "--unset", "core.hooksPath"});
      if (!unset) return std::unexpected(unset.error());
      actions.push_back({"git config --global core.hooksPath", "unset"});
    }
  }
  return actions;
}

}  // namespace tg
