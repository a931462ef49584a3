// Git's wildmatch with gitignore semantics, for path allowlists. Written here
// because Debian ships no library with git's exact rules, and the rules are
// small: `*` and `?` never cross `/`, `**` does when it is a whole path
// component (`**/x`, `x/**`, `a/**/b`), `[...]` classes with `!`/`^`
// negation and ranges, `\` escapes.
#pragma once

#include <string_view>

namespace tg {

// True when `text` matches the glob `pattern` under git's WM_PATHNAME rules.
bool wildmatch(std::string_view pattern, std::string_view text);

// True when `path` (slash-separated, relative to the repository root, no
// leading slash) is covered by the .gitignore-style `pattern`:
//   - a pattern without a slash (a trailing one aside) matches the name of
//     the file or of any directory above it, at any depth;
//   - a pattern with a slash is anchored at the root (a leading `/` is
//     dropped);
//   - a trailing `/` matches directories only, hence everything beneath them;
//   - a pattern that matches a directory covers every path beneath it.
// Negation (`!`) has no meaning in an allowlist and never matches.
bool path_matches(std::string_view pattern, std::string_view path);

}  // namespace tg
