#include "hook/commands/install.hpp"

#include "hook/install.hpp"

#include <fmt/format.h>

#include <array>
#include <memory>
#include <unistd.h>

namespace tg {
namespace {

// The absolute path of the running binary: what the hook scripts will run.
Result<std::string> own_path() {
  std::array<char, 4096> buffer{};
  const ssize_t length = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (length <= 0) return fail(ErrorKind::runtime, "cannot find the path of the twilio-guard binary");
  return std::string(buffer.data(), static_cast<std::size_t>(length));
}

CLI::App* declare(CLI::App& parent, const char* name, const char* description, InstallRequest& request) {
  CLI::App* command = parent.add_subcommand(name, description);
  command->add_option("hooks", request.hooks, "pre-commit, pre-push, pre-receive (default: see above)");
  auto* repo = command->add_option("--repo", request.repository, "The repository (default: the current one)");
  command->add_flag("--global", request.global,
                    "Every repository of the user, through the global core.hooksPath")
      ->excludes(repo);
  return command;
}

Result<int> report(const Result<std::vector<InstallAction>>& actions) {
  if (!actions) return std::unexpected(actions.error());
  for (const InstallAction& action : *actions) fmt::print("{}: {}\n", action.path, action.what);
  return 0;
}

}  // namespace

Command add_install_command(CLI::App& parent) {
  auto request = std::make_shared<InstallRequest>();
  CLI::App* install = declare(
      parent, "install",
      "Install the hooks: pre-commit and pre-push in a working repository, pre-receive in a bare one. "
      "Existing hooks are kept and run first; core.hooksPath is respected; running it again is harmless.",
      *request);
  return Command{install, [request]() -> Result<int> {
                   auto binary = own_path();
                   if (!binary) return std::unexpected(binary.error());
                   request->binary = *binary;
                   return report(install_hooks(*request));
                 }};
}

Command add_uninstall_command(CLI::App& parent) {
  auto request = std::make_shared<InstallRequest>();
  CLI::App* uninstall = declare(
      parent, "uninstall",
      "Remove the hooks twilio-guard installed (default: all of them) and put back, byte for byte, "
      "the hooks they chained to.",
      *request);
  return Command{uninstall, [request]() -> Result<int> { return report(uninstall_hooks(*request)); }};
}

}  // namespace tg
