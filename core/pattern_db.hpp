// The compiled Hyperscan database of trigger patterns (core/patterns.hpp).
//
// Compiling costs tens of milliseconds, which every commit would pay, so the
// build serializes the database (core/dbgen) and links the bytes into the
// binary; `load()` deserializes them in microseconds. The bytes are built for
// any x86-64 CPU Hyperscan runs on, so the binary never compiles: `compile()`
// lives in its own object file (pattern_db_compile.cpp), and the executable,
// which never calls it, links Hyperscan's runtime without its compiler.
#pragma once

#include "core/error.hpp"

#include <hs/hs.h>

#include <memory>
#include <span>
#include <string>

namespace tg {

struct HsDatabaseDeleter {
  void operator()(hs_database_t* database) const { hs_free_database(database); }
};
struct HsScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
struct HsCompileErrorDeleter {
  void operator()(hs_compile_error_t* error) const { hs_free_compile_error(error); }
};
using HsDatabasePtr = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;
using HsScratchPtr = std::unique_ptr<hs_scratch_t, HsScratchDeleter>;
using HsCompileErrorPtr = std::unique_ptr<hs_compile_error_t, HsCompileErrorDeleter>;

enum class DatabaseOrigin { embedded, compiled };

class PatternDatabase {
 public:
  // The embedded database; an error when its bytes are missing or stale (a
  // broken build), never a silent compile.
  static Result<PatternDatabase> load();
  // For `platform`, or for the CPU this runs on when null.
  static Result<PatternDatabase> compile(const hs_platform_info_t* platform = nullptr);
  // `bytes` as produced by `serialize()`: an 8-byte pattern digest, then
  // Hyperscan's serialized form.
  static Result<PatternDatabase> deserialize(std::span<const unsigned char> bytes);

  Result<std::string> serialize() const;

  const hs_database_t* get() const { return m_database.get(); }
  DatabaseOrigin origin() const { return m_origin; }
  // A new scratch for one thread; scratch space is never shared between threads.
  Result<HsScratchPtr> make_scratch() const;

 private:
  PatternDatabase(HsDatabasePtr database, DatabaseOrigin origin)
      : m_database(std::move(database)), m_origin(origin) {}

  HsDatabasePtr m_database;
  DatabaseOrigin m_origin;
};

}  // namespace tg
