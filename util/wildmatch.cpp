#include "util/wildmatch.hpp"

#include <cctype>

namespace tg {
namespace {

enum class Match { yes, no, abort_all, abort_to_starstar };

// Matches a bracket expression starting after '['. On success sets `end` to
// the index after ']' and `matched` to whether `c` is in the class.
bool match_class(std::string_view p, std::size_t start, unsigned char c, std::size_t& end,
                 bool& matched) {
  std::size_t i = start;
  bool negated = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    negated = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < p.size() && (p[i] != ']' || first)) {
    first = false;
    unsigned char low = static_cast<unsigned char>(p[i]);
    if (low == '\\' && i + 1 < p.size()) low = static_cast<unsigned char>(p[++i]);
    if (low == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      const std::size_t close = p.find(":]", i + 2);
      if (close != std::string_view::npos) {
        const std::string_view name = p.substr(i + 2, close - i - 2);
        const bool in = (name == "alnum" && std::isalnum(c)) || (name == "alpha" && std::isalpha(c)) ||
                        (name == "digit" && std::isdigit(c)) || (name == "lower" && std::islower(c)) ||
                        (name == "upper" && std::isupper(c)) || (name == "space" && std::isspace(c)) ||
                        (name == "xdigit" && std::isxdigit(c)) || (name == "punct" && std::ispunct(c)) ||
                        (name == "blank" && (c == ' ' || c == '\t')) ||
                        (name == "cntrl" && std::iscntrl(c)) || (name == "graph" && std::isgraph(c)) ||
                        (name == "print" && std::isprint(c));
        found = found || in;
        i = close + 2;
        continue;
      }
    }
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      unsigned char high = static_cast<unsigned char>(p[i + 2]);
      i += 2;
      if (high == '\\' && i + 1 < p.size()) high = static_cast<unsigned char>(p[++i]);
      if (low <= c && c <= high) found = true;
    } else if (low == c) {
      found = true;
    }
    ++i;
  }
  if (i >= p.size()) return false;  // no closing bracket: the pattern is malformed
  end = i + 1;
  matched = found != negated;
  return true;
}

// A transcription of git's dowild() (wildmatch.c) with WM_PATHNAME.
Match dowild(std::string_view p, std::string_view t) {
  std::size_t pi = 0;
  std::size_t ti = 0;
  for (; pi < p.size(); ++pi, ++ti) {
    const unsigned char pc = static_cast<unsigned char>(p[pi]);
    if (ti >= t.size() && pc != '*') return Match::abort_all;
    switch (pc) {
      case '\\':
        if (++pi >= p.size()) return Match::no;
        if (t[ti] != p[pi]) return Match::no;
        break;
      case '?':
        if (t[ti] == '/') return Match::no;
        break;
      case '*': {
        bool match_slash = false;
        if (pi + 1 < p.size() && p[pi + 1] == '*') {
          const std::size_t before = pi;
          while (pi + 1 < p.size() && p[pi + 1] == '*') ++pi;
          // `**` counts only as a whole component: at the start or after '/',
          // and at the end or before '/'.
          const bool starts = before == 0 || p[before - 1] == '/';
          const bool ends = pi + 1 >= p.size() || p[pi + 1] == '/';
          if (starts && ends) {
            // "**/" may match nothing, so "a/**/b" matches "a/b".
            if (pi + 1 < p.size() && p[pi + 1] == '/' &&
                dowild(p.substr(pi + 2), t.substr(ti)) == Match::yes) {
              return Match::yes;
            }
            match_slash = true;
          }
        }
        if (pi + 1 >= p.size()) {
          // Trailing star: matches the rest unless it must stop at '/'.
          if (!match_slash && t.substr(ti).find('/') != std::string_view::npos) return Match::no;
          return Match::yes;
        }
        if (!match_slash && p[pi + 1] == '/') {
          const std::size_t slash = t.find('/', ti);
          if (slash == std::string_view::npos) return Match::no;
          ++pi;
          ti = slash;
          break;  // the loop steps over the '/' in both
        }
        for (; ti < t.size(); ++ti) {
          const Match result = dowild(p.substr(pi + 1), t.substr(ti));
          if (result != Match::no) {
            if (!match_slash || result != Match::abort_to_starstar) return result;
          } else if (!match_slash && t[ti] == '/') {
            return Match::abort_to_starstar;
          }
        }
        return Match::abort_all;
      }
      case '[': {
        std::size_t end = 0;
        bool matched = false;
        if (!match_class(p, pi + 1, static_cast<unsigned char>(t[ti]), end, matched)) {
          return Match::abort_all;
        }
        if (!matched || t[ti] == '/') return Match::no;
        pi = end - 1;
        break;
      }
      default:
        if (static_cast<unsigned char>(t[ti]) != pc) return Match::no;
        break;
    }
  }
  return ti >= t.size() ? Match::yes : Match::no;
}

}  // namespace

bool wildmatch(std::string_view pattern, std::string_view text) {
  return dowild(pattern, text) == Match::yes;
}

bool path_matches(std::string_view pattern, std::string_view path) {
  if (pattern.empty() || pattern.front() == '!') return false;
  bool directory_only = false;
  while (pattern.size() > 1 && pattern.back() == '/') {
    directory_only = true;
    pattern.remove_suffix(1);
  }
  const bool anchored = pattern.find('/') != std::string_view::npos;
  if (pattern.front() == '/') pattern.remove_prefix(1);
  if (path.starts_with("./")) path.remove_prefix(2);
  // Try the path itself (files and directories alike) and every directory
  // above it, shortest first.
  std::size_t end = 0;
  while (true) {
    const std::size_t slash = path.find('/', end);
    const bool is_directory = slash != std::string_view::npos;
    const std::string_view prefix = is_directory ? path.substr(0, slash) : path;
    if (!directory_only || is_directory) {
      if (anchored) {
        if (wildmatch(pattern, prefix)) return true;
      } else {
        const std::size_t name_start = prefix.rfind('/');
        const std::string_view name =
            name_start == std::string_view::npos ? prefix : prefix.substr(name_start + 1);
        if (wildmatch(pattern, name)) return true;
      }
    }
    if (!is_directory) return false;
    end = slash + 1;
  }
}

}  // namespace tg
