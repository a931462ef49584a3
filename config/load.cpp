#include "config/load.hpp"

namespace tg {

Result<Settings> load_settings(const ConfigSources& sources) {
  Settings settings;
  if (sources.explicit_file) {
    return fail(ErrorKind::config, *sources.explicit_file + ": configuration files are not supported yet");
  }
  return settings;
}

}  // namespace tg
