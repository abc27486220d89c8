//===--- Rules.h - API models read from rules/*.yaml ----------------------===//
//
// What mapsafe knows about library functions is data, not code: the rule
// files in rules/ (built in) and any the user names in the
// `mapsafe.RulesFiles` option.  This file reads them (LLVM's YAML I/O) into
// one table from function name to what a call of it does.  A malformed file
// is an error naming the file and line; it never stops the host.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_RULES_H
#define MAPSAFE_FRONTEND_RULES_H

#include "mapsafe/facts.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <vector>

namespace mapsafe {

/// An argument position: 0-based index, or the returned value.
struct ArgRef {
  static constexpr int Return = -1;
  static constexpr int None = -2;
  int Index = None;
  bool isSet() const { return Index != None; }
  bool isReturn() const { return Index == Return; }
};

/// What one library function does when called.
struct FunctionRule {
  enum Kind { MapOp, Acquire, TryAcquire, Release, Spawn, Join, Allocator, Alias };
  explicit FunctionRule(Kind K = MapOp) : What(K) {}
  Kind What;
  // Map operations.
  ms_access_kind Access = MS_ACC_READ;
  std::string Library;
  ArgRef Map, Key, Value, Hash, Iterator;
  // Locks.
  ArgRef Lock;
  ms_lock_mode Mode = MS_LOCK_EXCLUSIVE;
  // Try-acquire, and spawns whose result says whether the thread started:
  // which result means success.
  bool HasSuccess = false;
  bool SuccessIsZero = true;
  // Threads.
  ArgRef Entry, Arg, Handle;
  int EntryParam = 0; // entry parameter receiving Arg
  bool Many = false;  // always many instances (a pool)
  // Any kind: the result is the object argument Returns points to.
  ArgRef Returns;
  // Map operations: the call runs the function passed as argument Callback
  // here, in this thread, giving it argument CallbackData as its parameter
  // CallbackParam (g_hash_table_foreach's user_data).
  ArgRef Callback, CallbackData;
  int CallbackParam = 0;
};

class Rules {
public:
  /// The rules built into mapsafe: rules/*.yaml, checked and compiled to a
  /// table at build time (mapsafe-rules-compile); read once.
  static const Rules &builtin();

  /// The rules as compact text, one rule a line, and back (for builtin()).
  std::string serialize() const;
  bool deserialize(llvm::StringRef Text);

  /// Parses one rule file's text and adds its rules (later ones override
  /// earlier ones of the same function).  On error returns false with
  /// "FILE:LINE:COL: message" in Error, and adds nothing.
  bool addFile(llvm::StringRef FileName, llvm::StringRef Text, std::string &Error);

  /// Reads a file from disk and adds it; false with Error on failure.
  bool loadFile(llvm::StringRef Path, std::string &Error);

  const FunctionRule *lookup(llvm::StringRef Function) const {
    auto It = Table.find(Function);
    return It == Table.end() ? nullptr : &It->second;
  }
  /// The key type implied by a hash function (g_str_hash -> "string").
  llvm::StringRef keyTypeForHash(llvm::StringRef HashFunction) const {
    auto It = KeyTypes.find(HashFunction);
    return It == KeyTypes.end() ? llvm::StringRef() : llvm::StringRef(It->second);
  }
  size_t size() const { return Table.size(); }

private:
  llvm::StringMap<FunctionRule> Table;
  llvm::StringMap<std::string> KeyTypes;
};

} // namespace mapsafe

#endif
