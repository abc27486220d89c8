//===--- Rules.h - API models read from rules/*.yaml ----------------------===//
//
// What mapsafe knows about library functions is data, not code: the rule
// files in rules/ (built in) and any the user names in the
// `mapsafe.RulesFiles` option.  Each kind of rule has a record of its own
// with only its fields: a map operation, a lock operation, a spawn, a join,
// an allocator, an alias (and the key type a hash function implies).  A
// rule file is read into these records once (RulesYAML.cpp: LLVM's YAML I/O,
// then validation of each record), and the records are what the lookup
// table hands out.  A malformed file is an error naming the file and line;
// it never stops the host.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_RULES_RULES_H
#define MAPSAFE_FRONTEND_RULES_RULES_H

#include "mapsafe/facts.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace mapsafe {

/// An argument position: 0-based index, or the returned value.
struct ArgRef {
  static constexpr int Return = -1;
  static constexpr int None = -2;
  int Index = None;
  static ArgRef at(int I) { return ArgRef{I}; }
  static ArgRef result() { return ArgRef{Return}; }
  bool isSet() const { return Index != None; }
  bool isReturn() const { return Index == Return; }
};

/// A call (or a macro's expansion) that creates, reads, writes, iterates
/// or destroys a map.
struct MapOpRule {
  std::string Function;            // the function's name, or the macro's
  bool Macro = false;              // matched where the macro is expanded
  std::string Library;             // shown in diagnostics and the graph
  // The map is a pointer to its first element (uthash's head, stb_ds's
  // array): its type says nothing about maps, and storing NULL into it is
  // no destruction.
  bool ElementHandle = false;
  std::string KeyType;             // the keys' type, when the operation implies it
  // One map for the whole process, no argument (POSIX hsearch's table),
  // named by the library.
  bool Implicit = false;
  // A write that is a read when argument ReadWhenArg names the enumerator
  // ReadWhen (hsearch's FIND); unknown arguments stay writes.
  ArgRef ReadWhenArg;
  std::string ReadWhen;
  // The container locks inside its operations (a thread-safe container):
  // they are synchronized, never part of a race.
  bool Synchronized = false;
  ms_access_kind Access = MS_ACC_READ;
  ArgRef Map;                      // the map (an argument, or the result for a creation)
  ArgRef Key, Value, Hash;         // for the key and value types
  ArgRef Iterator;                 // an operation through an iterator set up on the map
  // The call runs the function passed as Callback here, in this thread,
  // giving it argument CallbackData as its parameter CallbackParam
  // (g_hash_table_foreach's user_data).
  ArgRef Callback, CallbackData;
  int CallbackParam = 0;
  /// A creation that returns the new map: a fresh object.
  bool createsFresh() const { return Access == MS_ACC_CREATE && Map.isReturn(); }
};

/// A call that takes, tries or releases a lock.
struct LockRule {
  // Init and Destroy set a lock up and tear it down (guard inference: the
  // owner's initialisation and teardown).
  enum Operation { Acquire, TryAcquire, Release, Init, Destroy };
  std::string Function; // the function's name, or the macro's
  bool Macro = false;   // matched where the macro is expanded
  Operation What = Acquire;
  ArgRef Lock;
  ms_lock_mode Mode = MS_LOCK_EXCLUSIVE;
  bool SuccessIsZero = true; // TryAcquire: which result means it was taken
  ArgRef Returns;            // the result is what this argument points to (a scoped locker)
  // With Lock the result: the lock is this field of the object returned
  // (`o = lookup_and_lock (...)` returns with `o->lock` held).
  std::string Field;
};

/// The call that hands a spawned pool its first work: its threads run the
/// entry only from then on (g_thread_pool_push for g_thread_pool_new).
struct StartRule {
  std::string Function; // empty: the threads run from the spawn
  ArgRef Handle;        // the argument that is the spawn's handle
};

/// A test of a flags argument: whether it has any of the named
/// enumerators' bits (libmicrohttpd's MHD_USE_THREAD_PER_CONNECTION).
struct FlagTest {
  ArgRef Arg;
  std::vector<std::string> AnyOf;
};

/// A call that starts threads running a function of the program.
struct SpawnRule {
  std::string Function;
  ArgRef Entry, Arg, Handle;
  int EntryParam = 0;  // entry parameter receiving Arg
  bool Pool = false;   // always many instances at once (a thread pool)
  std::optional<bool> SuccessIsZero; // the result says whether the thread started
  StartRule StartedBy; // the entry runs only from this call on ('started-by')
  // The entry argument points to a struct; the thread's function is the one
  // stored in a field of these names (sigaction's sa_handler, sa_sigaction).
  std::vector<std::string> EntryFields;
  // Threads start only when the flags argument has one of these bits
  // (a constant: otherwise none is assumed), and run many instances when
  // it has one of ManyWhen's or an argument is the enumerator ManyWith.
  std::optional<FlagTest> When, ManyWhen;
  std::string ManyWith;
  // Threads start only when argument WhenPrefixArg is a string literal that
  // begins with WhenPrefix (GDBus's "handle-" signals), and only when the
  // calling function also calls WhenCalled with WhenCalledTest's flags
  // (g_dbus_interface_skeleton_set_flags with ..._IN_THREAD).
  ArgRef WhenPrefixArg;
  std::string WhenPrefix;
  std::string WhenCalled;
  std::optional<FlagTest> WhenCalledTest;
  bool EntryParamLast = false; // Arg goes to the entry's last parameter
  // A function the calling thread runs afterwards, given Arg as parameter
  // AfterParam (uv_queue_work's after_work_cb, on the loop's thread).
  ArgRef After;
  int AfterParam = 0;
};

/// A call that waits for threads to end.
struct JoinRule {
  std::string Function;
  ArgRef Handle;
  bool HandleAddress = false; // the argument is the handle's address (uv_thread_join(&t))
};

/// A call that returns fresh memory.
struct AllocatorRule {
  // Allocate returns fresh memory; Free releases it; LastReference drops a
  // reference count and says (SuccessIsZero: by which result) whether it
  // was the last: the code it guards tears the object down.
  enum Operation { Allocate, Free, LastReference };
  std::string Function;
  Operation What = Allocate;
  bool SuccessIsZero = false;
};

/// A call that returns what one of its arguments points to (a ref function).
struct AliasRule {
  std::string Function;
  ArgRef Returns;
};

/// A call that runs a function it is given before it returns, in the same
/// thread (g_list_foreach, qsort, pcap_loop): the function is analysed as
/// called there.
struct CallbackRule {
  std::string Function;
  ArgRef Callback, CallbackData;
  int CallbackParam = 0;
};

/// What a function does with its pointer arguments: it keeps (stores
/// beyond the call) at most the one at Keeps (-1: none), and none other.
struct ParamRule {
  std::string Function;
  int Keeps = -1;
};

/// The key type a hash function implies (g_str_hash: string keys).
struct KeyTypeRule {
  std::string Hash;
  std::string Type;
};

/// What one function is: one rule of one kind.
struct Rule {
  enum Kind { MapOp, Lock, Spawn, Join, Allocator, Alias, CallsBack, Params };
  Kind What;
  const MapOpRule *mapOp = nullptr;
  const LockRule *lock = nullptr;
  const SpawnRule *spawn = nullptr;
  const JoinRule *join = nullptr;
  const AliasRule *alias = nullptr;
  const AllocatorRule *allocator = nullptr;
  const CallbackRule *callsBack = nullptr;
  const ParamRule *params = nullptr;
  unsigned Index = 0; // of the record among those of its kind

  /// The argument whose pointee the call returns (scoped lockers, aliases).
  ArgRef returns() const {
    return lock ? lock->Returns : alias ? alias->Returns : ArgRef();
  }
  /// Whether the call's result says if it did its job, and which result
  /// means success (trylocks; spawns that report failure).
  std::optional<bool> successIsZero() const {
    if (lock && lock->What == LockRule::TryAcquire)
      return lock->SuccessIsZero;
    if (allocator && allocator->What == AllocatorRule::LastReference)
      return allocator->SuccessIsZero;
    return spawn ? spawn->SuccessIsZero : std::nullopt;
  }
  /// Whether the rule names argument I (as the map, a key, a lock, ...).
  bool namesArgument(int I) const;
  /// A test that drops a reference and says whether it was the last.
  bool lastReference() const {
    return allocator && allocator->What == AllocatorRule::LastReference;
  }
  /// A call that returns a new object: a map creation or an allocation.
  bool returnsFresh() const {
    return (allocator && allocator->What == AllocatorRule::Allocate) ||
           (mapOp && mapOp->createsFresh());
  }
};

class Rules {
public:
  /// The rules built into mapsafe: rules/*.yaml, checked and compiled at
  /// build time (mapsafe-rules-compile).  When they could not be set up,
  /// builtinError() says why.
  static const Rules &builtin();
  static const std::string &builtinError();

  /// Parses one rule file's text and adds its rules (a later rule for the
  /// same function replaces an earlier one).  On error returns false with
  /// "FILE:LINE:COL: message" in Error, and adds nothing.
  bool addFile(llvm::StringRef FileName, llvm::StringRef Text, std::string &Error);

  /// Reads a file from disk and adds it; false with Error on failure.
  bool loadFile(llvm::StringRef Path, std::string &Error);

  /// Adders, one per kind (used by the YAML reader and the built-in table).
  void add(MapOpRule R);
  void add(LockRule R);
  void add(SpawnRule R);
  void add(JoinRule R);
  void add(AllocatorRule R);
  void add(AliasRule R);
  void add(CallbackRule R);
  void add(ParamRule R);
  void add(KeyTypeRule R);

  const Rule *lookup(llvm::StringRef Function) const {
    auto It = Table.find(Function);
    return It == Table.end() ? nullptr : &It->second;
  }
  /// The rule of a macro (matched at its expansions), if any.
  const Rule *lookupMacro(llvm::StringRef Macro) const {
    auto It = MacroTable.find(Macro);
    return It == MacroTable.end() ? nullptr : &It->second;
  }
  bool hasMacros() const { return !MacroTable.empty(); }
  template <typename Fn> void forEachMacro(Fn F) const {
    for (const auto &KV : MacroTable)
      F(KV.first());
  }
  /// The key type implied by a hash function (g_str_hash -> "string").
  llvm::StringRef keyTypeForHash(llvm::StringRef HashFunction) const {
    auto It = KeyTypes.find(HashFunction);
    return It == KeyTypes.end() ? llvm::StringRef() : llvm::StringRef(It->second);
  }
  size_t size() const { return Table.size() + MacroTable.size(); }
  /// The map operations, in the order they were added.
  const std::deque<MapOpRule> &mapOps() const { return MapOps; }
  /// Struct types whose function pointer fields a library calls on many
  /// threads at once (FUSE's struct fuse_operations): every function stored
  /// in such a field, in a variable's initialiser, is concurrent.
  void addCallbackTable(std::string Record) {
    if (!llvm::is_contained(CallbackTables, Record))
      CallbackTables.push_back(std::move(Record));
  }
  const std::vector<std::string> &callbackTables() const { return CallbackTables; }

  /// Writes C++ that rebuilds these rules (for mapsafe-rules-compile): a
  /// function `void NAME(mapsafe::Rules &R)`, one statement a rule, and the
  /// number of function rules.
  std::string toCpp(llvm::StringRef Name) const;

  Rules() = default;
  Rules(const Rules &O) { *this = O; }
  Rules &operator=(const Rules &O);

private:
  template <typename Record>
  void store(std::deque<Record> &Records, Record R, Rule::Kind Kind, const Record *Rule::*Slot);
  std::deque<MapOpRule> MapOps;
  std::deque<LockRule> Locks;
  std::deque<SpawnRule> Spawns;
  std::deque<JoinRule> Joins;
  std::deque<AllocatorRule> Allocators;
  std::deque<AliasRule> Aliases;
  std::deque<CallbackRule> CallsBack;
  std::deque<ParamRule> Params;
  llvm::StringMap<Rule> Table;      // functions
  llvm::StringMap<Rule> MacroTable; // macros
  llvm::StringMap<std::string> KeyTypes;
  std::vector<std::string> CallbackTables;
};

} // namespace mapsafe

#endif
