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

std::string hook_script(std::string_view hook, std::string_view binary, ScriptMode mode,
                        bool created_directory) {
  std::string script = "#!/bin/sh\n";
  script += fmt::format("{} ({})\n", k_hook_marker, hook);
  if (created_directory) script += fmt::format("{}\n", k_created_directory);
  script += fmt::format(
      "# Installed by `twilio-guard install`. It runs the hook that was here before\n"
      "# ({hook}{suffix}, if any), then twilio-guard; either can stop the {what}.\n"
      "# `twilio-guard uninstall` removes this file and puts that hook back as it was.\n"
      "twilio_guard={binary}\n"
      "case \"$0\" in */*) here=\"${{0%/*}}\" ;; *) here=. ;; esac\n"
      "chained=\"$here/{hook}{suffix}\"\n",
      fmt::arg("hook", hook), fmt::arg("suffix", k_chained_suffix),
      fmt::arg("what", hook == "pre-commit" ? "commit" : "push"), fmt::arg("binary", shell_quote(binary)));
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
    auto written = write_script(path, hook_script(name, request.binary, location->mode, keeps_created_flag));
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
