#include "util/wildmatch.hpp"

#include <gtest/gtest.h>

namespace tg {
namespace {

struct Case {
  const char* pattern;
  const char* text;
  bool expected;
};

// Cases from git's t3070-wildmatches.sh, the WM_PATHNAME column.
TEST(Wildmatch, AgreesWithGitPathnameMatching) {
  const Case cases[] = {
      {"foo", "foo", true},
      {"bar", "foo", false},
      {"", "", true},
      {"???", "foo", true},
      {"??", "foo", false},
      {"*", "foo", true},
      {"f*", "foo", true},
      {"*f", "foo", false},
      {"*foo*", "foo", true},
      {"*ob*a*r*", "foobar", true},
      {"*ab", "aaaaaaabababab", true},
      {"foo\\*", "foo*", true},
      {"foo\\*bar", "foobar", false},
      {"f\\\\oo", "f\\oo", true},
      {"*[al]?", "ball", true},
      {"[ten]", "ten", false},
      {"**[!te]", "ten", true},
      {"**[!ten]", "ten", false},
      {"t[a-g]n", "ten", true},
      {"t[!a-g]n", "ten", false},
      {"t[!a-g]n", "ton", true},
      {"t[^a-g]n", "ton", true},
      {"a[]]b", "a]b", true},
      {"a[]-]b", "a-b", true},
      {"a[]a-]b", "aab", true},
      {"]", "]", true},
      {"foo*bar", "foo/baz/bar", false},
      {"foo**bar", "foo/baz/bar", false},
      {"foo**bar", "foobazbar", true},
      {"foo/**/bar", "foo/baz/bar", true},
      {"foo/**/**/bar", "foo/baz/bar", true},
      {"foo/**/bar", "foo/b/a/z/bar", true},
      {"foo/**/bar", "foo/bar", true},
      {"foo/**/**/bar", "foo/b/a/z/bar", true},
      {"foo?bar", "foo/bar", false},
      {"foo[/]bar", "foo/bar", false},
      {"f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo/bar", false},
      {"f[^eiu][^eiu][^eiu][^eiu][^eiu]r", "foo-bar", true},
      {"**/foo", "foo", true},
      {"**/foo", "XXX/foo", true},
      {"**/foo", "bar/baz/foo", true},
      {"*/foo", "bar/baz/foo", false},
      {"**/bar*", "foo/bar/baz", false},
      {"**/bar/*", "deep/foo/bar/baz", true},
      {"**/bar/*", "deep/foo/bar/baz/", false},
      {"**/bar/**", "deep/foo/bar/baz/", true},
      {"**/bar/*", "deep/foo/bar", false},
      {"**/bar/**", "deep/foo/bar/", true},
      {"**/bar**", "foo/bar/baz", false},
      {"*/bar/**", "foo/bar/baz/x", true},
      {"*/bar/**", "deep/foo/bar/baz/x", false},
      {"**/bar/*/*", "deep/foo/bar/baz/x", true},
      {"a[c-c]st", "acrt", false},
      {"a[c-c]rt", "acrt", true},
      {"[!]-]", "]", false},
      {"[!]-]", "a", true},
      {"\\", "", false},
      {"*/\\\\", "XXX/\\", true},
      {"[[:alpha:]][[:digit:]][[:upper:]]", "a1B", true},
      {"[[:digit:][:upper:][:space:]]", "a", false},
      {"[a-c[:digit:]x-z]", "5", true},
      {"-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", true},
      {"-*-*-*-*-*-*-12-*-*-*-m-*-*-*", "-adobe-courier-bold-o-normal--12-120-75-75-X-70-iso8859-1", false},
      {"XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*", "XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1", true},
      {"**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", true},
      {"**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", false},
      {"*/*/*", "foo/bba/arr", true},
      {"*/*/*", "foo/bb/aa/rr", false},
      {"**/**/**", "foo/bb/aa/rr", true},
      {"*X*i", "abcXdefXghi", true},
      {"*/*X*/*/*i", "ab/cXd/efXg/hi", true},
      {"**/*X*/**/*i", "ab/cXd/efXg/hi", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(wildmatch(c.pattern, c.text), c.expected) << c.pattern << " vs " << c.text;
  }
}

TEST(PathMatches, FollowsGitignoreRules) {
  const Case cases[] = {
      // No slash: the name at any depth, file or directory.
      {"*.md", "README.md", true},
      {"*.md", "docs/guide/intro.md", true},
      {"fixtures", "tests/fixtures/a/b.json", true},
      {"fixtures", "tests/fixtures.json", false},
      // A slash anchors at the root.
      {"docs/*.md", "docs/intro.md", true},
      {"docs/*.md", "docs/sub/intro.md", false},
      {"docs/*.md", "other/docs/intro.md", false},
      {"/config.py", "config.py", true},
      {"/config.py", "app/config.py", false},
      // Trailing slash: directories only, so everything beneath.
      {"vendor/", "vendor/lib/x.go", true},
      {"vendor/", "vendor", false},
      {"vendor/", "src/vendor/x.go", true},
      // A matching directory covers its contents.
      {"tests/fixtures", "tests/fixtures/deep/x.txt", true},
      {"tests/**/samples", "tests/a/b/samples/c.txt", true},
      {"**/testdata/**", "pkg/testdata/key.txt", true},
      {"**/testdata/**", "pkg/testdata", false},
      {"**", "anything/at/all", true},
      // Negation is meaningless in an allowlist.
      {"!secret.txt", "secret.txt", false},
      {"", "x", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(path_matches(c.pattern, c.text), c.expected) << c.pattern << " vs " << c.text;
  }
}

}  // namespace
}  // namespace tg
