//===--- RulesYAML.cpp - reading rule files -------------------------------===//
//
// A rule file is read in one pass: LLVM's YAML I/O maps each entry onto the
// record of its kind (Rules.h) together with the entry's words as written
// (the *Entry structs below; unknown keys and wrong shapes are errors with a
// line and column), and each entry's validate() turns the words into the
// record's typed fields or says what is wrong.  Only a file whose every
// entry is valid adds its records to the table.
//
// The format is documented in docs/rules.md.
//
//===----------------------------------------------------------------------===//
#include "rules/Rules.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <vector>

namespace {

using mapsafe::ArgRef;
using Word = std::optional<std::string>;

/// Reads "return" (when allowed) or a non-negative index into Out; false
/// when the word is neither.  An absent word leaves Out unset.
bool parseArg(const Word &S, ArgRef &Out, bool AllowReturn) {
  if (!S)
    return true;
  if (AllowReturn && *S == "return") {
    Out = ArgRef::result();
    return true;
  }
  unsigned V;
  if (llvm::StringRef(*S).getAsInteger(10, V) || V > 64)
    return false;
  Out = ArgRef::at(static_cast<int>(V));
  return true;
}

std::string argError(const char *Key, const Word &Given, bool AllowReturn) {
  std::string Text = Given ? *Given : "";
  return std::string("'") + Key + "' must be an argument index (0, 1, ...)" +
         (AllowReturn ? " or 'return'" : "") +
         (Text.empty() ? std::string(", not an empty value") : ", not '" + Text + "'");
}

/// An argument word of an entry, for validation: its key, the word, where
/// the record keeps it, and whether 'return' is allowed.
struct ArgWord {
  const char *Key;
  const Word &Text;
  ArgRef &Out;
  bool AllowReturn;
};

std::string parseArgs(std::initializer_list<ArgWord> Words) {
  for (const ArgWord &W : Words)
    if (!parseArg(W.Text, W.Out, W.AllowReturn))
      return argError(W.Key, W.Text, W.AllowReturn);
  return "";
}

/// A write that reads when an argument names an enumerator: `read-when:
/// {arg: 1, is: FIND}`.
struct ReadWhenEntry {
  std::string Arg, Is;
};
struct MapOpEntry {
  mapsafe::MapOpRule Rule;
  std::string Kind;
  Word Function, Macro;
  std::optional<ReadWhenEntry> ReadWhen;
  std::optional<bool> Synchronized;
  Word Map, Key, Value, Hash, Iterator, Callback, CallbackData, CallbackParam, KeyType;
};
struct MapLibraryEntry {
  std::string Library;
  Word Handle;
  std::vector<mapsafe::KeyTypeRule> KeyTypes;
  std::vector<MapOpEntry> Operations;
};
struct LockEntry {
  mapsafe::LockRule Rule;
  std::string Kind;
  Word Function, Macro;
  Word Lock, Mode, Success, Returns, Field;
};

/// An entry names a function or a macro, one of them: its name goes into
/// Name, and Macro says which.  Returns an error, or "".
std::string nameOf(const Word &Function, const Word &Macro, const char *What, std::string &Name,
                   bool &IsMacro) {
  if (Function && Macro)
    return std::string(What) + " '" + *Function + "' names both a 'function' and a 'macro'";
  if (!Function && !Macro)
    return std::string(What) + " needs 'function' or 'macro': the name it is called by";
  const std::string &N = Function ? *Function : *Macro;
  if (N.empty() || llvm::StringRef(N).find_first_not_of(
                       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                       llvm::StringRef::npos ||
      (N[0] >= '0' && N[0] <= '9'))
    return std::string(What) + " name '" + N + "' is not a C identifier";
  Name = N;
  IsMacro = Macro.has_value();
  return "";
}
/// A spawn's `started-by: {function: F, handle: N}`.
struct StartedByEntry {
  std::string Function;
  std::string Handle;
};
/// `when: {arg: 0, any-of: [A, B]}`.
struct FlagTestEntry {
  std::string Arg;
  std::vector<std::string> AnyOf;
};
/// `when-prefix: {arg: 1, is: "handle-"}`.
struct PrefixEntry {
  std::string Arg, Is;
};
/// `when-called: {function: F, arg: 1, any-of: [...]}`.
struct CalledEntry {
  std::string Function, Arg;
  std::vector<std::string> AnyOf;
};
/// The threads section holds spawns and joins: one entry, two records.
struct ThreadEntry {
  std::string Function, Kind;
  Word Record;
  Word Entry, Arg, Handle, EntryParam, Instances, Success;
  std::optional<StartedByEntry> StartedBy;
  std::optional<bool> HandleAddress;
  std::optional<std::vector<std::string>> EntryFields;
  std::optional<FlagTestEntry> When, ManyWhen;
  Word ManyWith;
  std::optional<PrefixEntry> WhenPrefix;
  std::optional<CalledEntry> WhenCalled;
  Word After, AfterParam;
  mapsafe::SpawnRule Spawn;
  mapsafe::JoinRule Join;
};
struct AllocatorEntry {
  mapsafe::AllocatorRule Rule;
  std::optional<std::string> Kind, Success;
};
struct AliasEntry {
  mapsafe::AliasRule Rule;
  std::string Returns;
};
struct CallbackEntry {
  mapsafe::CallbackRule Rule;
  Word Callback, CallbackData, CallbackParam;
};
struct ParamEntry {
  mapsafe::ParamRule Rule;
  std::string Keeps;
};
struct RuleFile {
  std::vector<MapLibraryEntry> Maps;
  std::vector<LockEntry> Locks;
  std::vector<ThreadEntry> Threads;
  std::vector<AllocatorEntry> Allocators;
  std::vector<AliasEntry> Aliases;
  std::vector<CallbackEntry> Callbacks;
  std::vector<ParamEntry> Parameters;
};

} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(mapsafe::KeyTypeRule)
LLVM_YAML_IS_SEQUENCE_VECTOR(MapOpEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(MapLibraryEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(LockEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(ThreadEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(AllocatorEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(AliasEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(CallbackEntry)
LLVM_YAML_IS_SEQUENCE_VECTOR(ParamEntry)

namespace llvm::yaml {

template <> struct MappingTraits<mapsafe::KeyTypeRule> {
  static void mapping(IO &Io, mapsafe::KeyTypeRule &K) {
    Io.mapRequired("hash", K.Hash);
    Io.mapRequired("type", K.Type);
  }
};

template <> struct MappingTraits<ReadWhenEntry> {
  static void mapping(IO &Io, ReadWhenEntry &R) {
    Io.mapRequired("arg", R.Arg);
    Io.mapRequired("is", R.Is);
  }
};

template <> struct MappingTraits<MapOpEntry> {
  static void mapping(IO &Io, MapOpEntry &O) {
    Io.mapOptional("function", O.Function);
    Io.mapOptional("macro", O.Macro);
    Io.mapRequired("kind", O.Kind);
    Io.mapOptional("map", O.Map);
    Io.mapOptional("key", O.Key);
    Io.mapOptional("value", O.Value);
    Io.mapOptional("hash", O.Hash);
    Io.mapOptional("iterator", O.Iterator);
    Io.mapOptional("callback", O.Callback);
    Io.mapOptional("callback-data", O.CallbackData);
    Io.mapOptional("callback-param", O.CallbackParam);
    Io.mapOptional("key-type", O.KeyType);
    Io.mapOptional("read-when", O.ReadWhen);
    Io.mapOptional("synchronized", O.Synchronized);
  }
  static std::string validate(IO &, MapOpEntry &O) {
    mapsafe::MapOpRule &R = O.Rule;
    if (std::string E = nameOf(O.Function, O.Macro, "map operation", R.Function, R.Macro);
        !E.empty())
      return E;
    if (ms_access_kind_from_name(O.Kind.c_str(), &R.Access))
      return "unknown map operation kind '" + O.Kind +
             "' (expected read, write, iterate, create or destroy)";
    if (!O.Map && !O.Iterator)
      return "map operation '" + R.Function + "' needs 'map' or 'iterator'";
    // One map for the whole process: no argument names it.
    Word Map = O.Map;
    if (Map && *Map == "implicit") {
      R.Implicit = true;
      Map.reset();
    }
    ArgRef Param;
    std::string E = parseArgs({{"map", Map, R.Map, true},
                               {"key", O.Key, R.Key, false},
                               {"value", O.Value, R.Value, false},
                               {"hash", O.Hash, R.Hash, false},
                               {"iterator", O.Iterator, R.Iterator, false},
                               {"callback", O.Callback, R.Callback, false},
                               {"callback-data", O.CallbackData, R.CallbackData, false},
                               {"callback-param", O.CallbackParam, Param, false}});
    if (!E.empty())
      return E;
    if ((O.CallbackData || O.CallbackParam) && !O.Callback)
      return "'callback-data' and 'callback-param' need 'callback'";
    if (Param.isSet())
      R.CallbackParam = Param.Index;
    if (R.Macro && (O.Callback || O.Hash))
      return "macro '" + R.Function + "': 'callback' and 'hash' apply only to functions";
    if (O.KeyType)
      R.KeyType = *O.KeyType;
    R.Synchronized = O.Synchronized.value_or(false);
    if (O.ReadWhen) {
      Word Arg = O.ReadWhen->Arg;
      if (std::string E = parseArgs({{"arg", Arg, R.ReadWhenArg, false}}); !E.empty())
        return "'read-when': " + E;
      if (R.Access != MS_ACC_WRITE)
        return "'read-when' applies only to a write";
      if (O.ReadWhen->Is.empty())
        return "'read-when' needs 'is': the enumerator that makes the call a read";
      R.ReadWhen = O.ReadWhen->Is;
    }
    return "";
  }
};

template <> struct MappingTraits<MapLibraryEntry> {
  static void mapping(IO &Io, MapLibraryEntry &M) {
    Io.mapRequired("library", M.Library);
    Io.mapOptional("handle", M.Handle);
    Io.mapOptional("key-types", M.KeyTypes);
    Io.mapRequired("operations", M.Operations);
  }
  static std::string validate(IO &, MapLibraryEntry &M) {
    if (M.Handle && *M.Handle != "own" && *M.Handle != "element")
      return "unknown 'handle' value '" + *M.Handle + "' (expected own or element)";
    return "";
  }
};

template <> struct MappingTraits<LockEntry> {
  static void mapping(IO &Io, LockEntry &L) {
    Io.mapOptional("function", L.Function);
    Io.mapOptional("macro", L.Macro);
    Io.mapRequired("kind", L.Kind);
    Io.mapOptional("lock", L.Lock);
    Io.mapOptional("mode", L.Mode);
    Io.mapOptional("success", L.Success);
    Io.mapOptional("returns", L.Returns);
    Io.mapOptional("field", L.Field);
  }
  static std::string validate(IO &, LockEntry &L) {
    mapsafe::LockRule &R = L.Rule;
    if (std::string E = nameOf(L.Function, L.Macro, "lock rule", R.Function, R.Macro); !E.empty())
      return E;
    if (L.Kind == "acquire")
      R.What = mapsafe::LockRule::Acquire;
    else if (L.Kind == "try-acquire")
      R.What = mapsafe::LockRule::TryAcquire;
    else if (L.Kind == "release")
      R.What = mapsafe::LockRule::Release;
    else if (L.Kind == "init")
      R.What = mapsafe::LockRule::Init;
    else if (L.Kind == "destroy")
      R.What = mapsafe::LockRule::Destroy;
    else
      return "unknown lock kind '" + L.Kind +
             "' (expected acquire, try-acquire, release, init or destroy)";
    if (!L.Lock)
      return "lock rule '" + R.Function + "' needs 'lock': the index of the lock argument";
    std::string E = parseArgs({{"lock", L.Lock, R.Lock, true}, {"returns", L.Returns, R.Returns, false}});
    if (!E.empty())
      return E;
    if (R.Lock.isReturn() != L.Field.has_value())
      return "lock rule '" + R.Function + "': 'lock: return' and 'field' go together: the call "
             "returns an object with the lock in that field held";
    if (R.Lock.isReturn() && R.What != mapsafe::LockRule::Acquire)
      return "lock rule '" + R.Function + "': 'lock: return' applies only to acquire";
    if (L.Field)
      R.Field = *L.Field;
    if (L.Mode && ms_lock_mode_from_name(L.Mode->c_str(), &R.Mode))
      return "unknown lock mode '" + *L.Mode + "' (expected exclusive or shared)";
    if (L.Success && *L.Success != "zero" && *L.Success != "nonzero")
      return "unknown 'success' value '" + *L.Success + "' (expected zero or nonzero)";
    if (L.Success && R.What != mapsafe::LockRule::TryAcquire)
      return "'success' applies only to try-acquire";
    R.SuccessIsZero = !L.Success || *L.Success == "zero";
    if (R.Macro && (R.What == mapsafe::LockRule::TryAcquire || L.Returns))
      return "macro '" + R.Function + "': a macro can acquire, release, init or destroy a lock; "
             "'try-acquire' and 'returns' apply only to functions";
    return "";
  }
};

template <> struct MappingTraits<StartedByEntry> {
  static void mapping(IO &Io, StartedByEntry &S) {
    Io.mapRequired("function", S.Function);
    Io.mapRequired("handle", S.Handle);
  }
};

template <> struct MappingTraits<FlagTestEntry> {
  static void mapping(IO &Io, FlagTestEntry &F) {
    Io.mapRequired("arg", F.Arg);
    Io.mapRequired("any-of", F.AnyOf);
  }
};

template <> struct MappingTraits<PrefixEntry> {
  static void mapping(IO &Io, PrefixEntry &P) {
    Io.mapRequired("arg", P.Arg);
    Io.mapRequired("is", P.Is);
  }
};

template <> struct MappingTraits<CalledEntry> {
  static void mapping(IO &Io, CalledEntry &C) {
    Io.mapRequired("function", C.Function);
    Io.mapRequired("arg", C.Arg);
    Io.mapRequired("any-of", C.AnyOf);
  }
};

template <> struct MappingTraits<ThreadEntry> {
  static void mapping(IO &Io, ThreadEntry &T) {
    Io.mapOptional("function", T.Function);
    Io.mapOptional("record", T.Record);
    Io.mapRequired("kind", T.Kind);
    Io.mapOptional("entry", T.Entry);
    Io.mapOptional("arg", T.Arg);
    Io.mapOptional("handle", T.Handle);
    Io.mapOptional("entry-param", T.EntryParam);
    Io.mapOptional("instances", T.Instances);
    Io.mapOptional("success", T.Success);
    Io.mapOptional("started-by", T.StartedBy);
    Io.mapOptional("handle-address", T.HandleAddress);
    Io.mapOptional("entry-fields", T.EntryFields);
    Io.mapOptional("when", T.When);
    Io.mapOptional("many-when", T.ManyWhen);
    Io.mapOptional("many-with", T.ManyWith);
    Io.mapOptional("when-prefix", T.WhenPrefix);
    Io.mapOptional("when-called", T.WhenCalled);
    Io.mapOptional("after", T.After);
    Io.mapOptional("after-param", T.AfterParam);
  }
  static std::string validate(IO &, ThreadEntry &T) {
    if (T.Kind == "callbacks") {
      // {record: R, kind: callbacks}: a table of functions a library runs
      // on many threads.
      if (!T.Record || T.Record->empty() || !T.Function.empty() || T.Entry || T.Arg || T.Handle ||
          T.EntryParam || T.Instances || T.Success || T.StartedBy || T.HandleAddress ||
          T.EntryFields || T.When || T.ManyWhen || T.ManyWith || T.WhenPrefix || T.WhenCalled ||
          T.After || T.AfterParam)
        return "a 'callbacks' rule has 'record' (the struct type of the table) and no other key";
      return "";
    }
    if (T.Record)
      return "'record' applies only to kind 'callbacks'";
    if (T.Function.empty())
      return "thread rule needs 'function'";
    if (T.Kind == "spawn") {
      if (!T.Entry)
        return "spawn rule '" + T.Function + "' needs 'entry': the index of the thread function";
    } else if (T.Kind == "join") {
      if (!T.Handle)
        return "join rule '" + T.Function + "' needs 'handle'";
    } else {
      return "unknown thread kind '" + T.Kind + "' (expected spawn, join or callbacks)";
    }
    mapsafe::SpawnRule &S = T.Spawn;
    ArgRef Param, Handle;
    Word EntryParam = T.EntryParam;
    if (EntryParam && *EntryParam == "last") {
      S.EntryParamLast = true;
      EntryParam.reset();
    }
    std::string E = parseArgs({{"entry", T.Entry, S.Entry, false},
                               {"arg", T.Arg, S.Arg, false},
                               {"handle", T.Handle, Handle, true},
                               {"entry-param", EntryParam, Param, false}});
    if (!E.empty())
      return E;
    if (T.Instances && *T.Instances != "one" && *T.Instances != "many")
      return "unknown 'instances' value '" + *T.Instances + "' (expected one or many)";
    if (T.Success && *T.Success != "zero" && *T.Success != "nonzero")
      return "unknown 'success' value '" + *T.Success + "' (expected zero or nonzero)";
    if (T.Success && T.Kind != "spawn")
      return "'success' applies only to spawn";
    if (T.StartedBy) {
      if (T.Kind != "spawn")
        return "'started-by' applies only to spawn";
      if (T.StartedBy->Function.empty())
        return "'started-by' needs 'function': the call that starts the work";
      Word StartHandle = T.StartedBy->Handle;
      if (std::string E = parseArgs({{"handle", StartHandle, S.StartedBy.Handle, false}});
          !E.empty())
        return "'started-by': " + E;
      if (!Handle.isSet())
        return "'started-by' needs the spawn's 'handle': the work is started through it";
      S.StartedBy.Function = T.StartedBy->Function;
    }
    if (T.EntryFields && (T.Kind != "spawn" || T.EntryFields->empty()))
      return "'entry-fields' applies only to spawn, and names at least one field";
    if (T.EntryFields)
      S.EntryFields = *T.EntryFields;
    if ((T.When || T.ManyWhen || T.ManyWith) && T.Kind != "spawn")
      return "'when', 'many-when' and 'many-with' apply only to spawn";
    for (auto [From, To] : {std::pair{&T.When, &S.When}, std::pair{&T.ManyWhen, &S.ManyWhen}}) {
      if (!*From)
        continue;
      mapsafe::FlagTest F;
      Word Arg = (*From)->Arg;
      if (std::string E = parseArgs({{"arg", Arg, F.Arg, false}}); !E.empty())
        return "'when': " + E;
      if ((*From)->AnyOf.empty())
        return "'when' and 'many-when' need 'any-of': the enumerators whose bits are tested";
      F.AnyOf = (*From)->AnyOf;
      *To = std::move(F);
    }
    if (T.ManyWith)
      S.ManyWith = *T.ManyWith;
    if ((T.WhenPrefix || T.WhenCalled) && T.Kind != "spawn")
      return "'when-prefix' and 'when-called' apply only to spawn";
    if (T.WhenPrefix) {
      Word Arg = T.WhenPrefix->Arg;
      if (std::string E = parseArgs({{"arg", Arg, S.WhenPrefixArg, false}}); !E.empty())
        return "'when-prefix': " + E;
      if (T.WhenPrefix->Is.empty())
        return "'when-prefix' needs 'is': the text the argument begins with";
      S.WhenPrefix = T.WhenPrefix->Is;
    }
    if (T.WhenCalled) {
      mapsafe::FlagTest F;
      Word Arg = T.WhenCalled->Arg;
      if (std::string E = parseArgs({{"arg", Arg, F.Arg, false}}); !E.empty())
        return "'when-called': " + E;
      if (T.WhenCalled->Function.empty() || T.WhenCalled->AnyOf.empty())
        return "'when-called' needs 'function' and 'any-of'";
      F.AnyOf = T.WhenCalled->AnyOf;
      S.WhenCalled = T.WhenCalled->Function;
      S.WhenCalledTest = std::move(F);
    }
    if ((T.After || T.AfterParam) && T.Kind != "spawn")
      return "'after' and 'after-param' apply only to spawn";
    if (T.AfterParam && !T.After)
      return "'after-param' needs 'after': the function the caller's thread runs afterwards";
    if (T.After) {
      ArgRef AfterParam;
      if (std::string E = parseArgs({{"after", T.After, S.After, false},
                                     {"after-param", T.AfterParam, AfterParam, false}});
          !E.empty())
        return E;
      S.AfterParam = AfterParam.isSet() ? AfterParam.Index : 0;
    }
    if (T.HandleAddress && T.Kind != "join")
      return "'handle-address' applies only to join (a spawn is always given the handle's address)";
    T.Join.HandleAddress = T.HandleAddress.value_or(false);
    S.Function = T.Join.Function = T.Function;
    S.Handle = T.Join.Handle = Handle;
    if (Param.isSet())
      S.EntryParam = Param.Index;
    S.Pool = T.Instances && *T.Instances == "many";
    if (T.Success)
      S.SuccessIsZero = *T.Success == "zero";
    return "";
  }
};

template <> struct MappingTraits<AllocatorEntry> {
  static void mapping(IO &Io, AllocatorEntry &A) {
    Io.mapRequired("function", A.Rule.Function);
    Io.mapOptional("kind", A.Kind);
    Io.mapOptional("success", A.Success);
  }
  static std::string validate(IO &, AllocatorEntry &A) {
    mapsafe::AllocatorRule &R = A.Rule;
    if (!A.Kind || *A.Kind == "allocate")
      R.What = mapsafe::AllocatorRule::Allocate;
    else if (*A.Kind == "free")
      R.What = mapsafe::AllocatorRule::Free;
    else if (*A.Kind == "last-reference")
      R.What = mapsafe::AllocatorRule::LastReference;
    else
      return "unknown memory kind '" + *A.Kind + "' (expected allocate, free or last-reference)";
    if (A.Success && *A.Success != "zero" && *A.Success != "nonzero")
      return "unknown 'success' value '" + *A.Success + "' (expected zero or nonzero)";
    if (A.Success && R.What != mapsafe::AllocatorRule::LastReference)
      return "'success' applies only to last-reference";
    R.SuccessIsZero = A.Success && *A.Success == "zero";
    return "";
  }
};

template <> struct MappingTraits<AliasEntry> {
  static void mapping(IO &Io, AliasEntry &A) {
    Io.mapRequired("function", A.Rule.Function);
    Io.mapRequired("returns", A.Returns);
  }
  static std::string validate(IO &, AliasEntry &A) {
    Word Returns = A.Returns;
    return parseArgs({{"returns", Returns, A.Rule.Returns, false}});
  }
};

template <> struct MappingTraits<CallbackEntry> {
  static void mapping(IO &Io, CallbackEntry &C) {
    Io.mapRequired("function", C.Rule.Function);
    Io.mapOptional("callback", C.Callback);
    Io.mapOptional("callback-data", C.CallbackData);
    Io.mapOptional("callback-param", C.CallbackParam);
  }
  static std::string validate(IO &, CallbackEntry &C) {
    if (!C.Callback)
      return "callback rule '" + C.Rule.Function + "' needs 'callback': the index of the function it calls";
    ArgRef Param;
    std::string E = parseArgs({{"callback", C.Callback, C.Rule.Callback, false},
                               {"callback-data", C.CallbackData, C.Rule.CallbackData, false},
                               {"callback-param", C.CallbackParam, Param, false}});
    if (!E.empty())
      return E;
    if (Param.isSet())
      C.Rule.CallbackParam = Param.Index;
    return "";
  }
};

template <> struct MappingTraits<ParamEntry> {
  static void mapping(IO &Io, ParamEntry &P) {
    Io.mapRequired("function", P.Rule.Function);
    Io.mapRequired("keeps", P.Keeps);
  }
  static std::string validate(IO &, ParamEntry &P) {
    if (P.Keeps == "none") {
      P.Rule.Keeps = -1;
      return "";
    }
    Word Keeps = P.Keeps;
    ArgRef A;
    if (!parseArg(Keeps, A, false))
      return "'keeps' must be 'none' or the index of the one argument the function keeps (0, 1, ...), not '" +
             P.Keeps + "'";
    P.Rule.Keeps = A.Index;
    return "";
  }
};

template <> struct MappingTraits<RuleFile> {
  static void mapping(IO &Io, RuleFile &F) {
    Io.mapOptional("maps", F.Maps);
    Io.mapOptional("locks", F.Locks);
    Io.mapOptional("threads", F.Threads);
    Io.mapOptional("allocators", F.Allocators);
    Io.mapOptional("aliases", F.Aliases);
    Io.mapOptional("callbacks", F.Callbacks);
    Io.mapOptional("parameters", F.Parameters);
  }
};

} // namespace llvm::yaml

namespace mapsafe {

namespace {
struct DiagCapture {
  std::string Message;
};

void captureDiag(const llvm::SMDiagnostic &D, void *Ctx) {
  auto *C = static_cast<DiagCapture *>(Ctx);
  if (!C->Message.empty())
    return; // keep the first error
  // LLVM's YAML reader names what it found where it means what it expected.
  llvm::StringRef Text = D.getMessage();
  if (Text == "unexpected scalar")
    Text = "expected a single value here (a word or a number), not a list, a mapping or nothing";
  else if (Text == "not a sequence")
    Text = "expected a list here (lines starting with '- '), not a single value or a mapping";
  else if (Text == "not a mapping")
    Text = "expected a mapping here ('key: value' lines), not a single value or a list";
  llvm::raw_string_ostream OS(C->Message);
  OS << D.getFilename() << ":" << D.getLineNo() << ":" << (D.getColumnNo() + 1) << ": " << Text;
}
} // namespace

bool Rules::addFile(llvm::StringRef FileName, llvm::StringRef Text, std::string &Error) {
  DiagCapture Diag;
  RuleFile File;
  llvm::yaml::Input In(llvm::MemoryBufferRef(Text, FileName), nullptr, captureDiag, &Diag);
  In >> File;
  if (In.error() || !Diag.Message.empty()) {
    Error = Diag.Message.empty() ? (FileName + ": malformed rule file").str() : Diag.Message;
    return false;
  }
  // Every entry is valid: enter the records.
  for (MapLibraryEntry &M : File.Maps) {
    for (KeyTypeRule &K : M.KeyTypes)
      add(std::move(K));
    for (MapOpEntry &O : M.Operations) {
      O.Rule.Library = M.Library;
      O.Rule.ElementHandle = M.Handle && *M.Handle == "element";
      add(std::move(O.Rule));
    }
  }
  for (LockEntry &L : File.Locks)
    add(std::move(L.Rule));
  for (ThreadEntry &T : File.Threads) {
    if (T.Kind == "callbacks")
      addCallbackTable(*T.Record);
    else if (T.Kind == "spawn")
      add(std::move(T.Spawn));
    else
      add(std::move(T.Join));
  }
  for (AllocatorEntry &A : File.Allocators)
    add(std::move(A.Rule));
  for (AliasEntry &A : File.Aliases)
    add(std::move(A.Rule));
  for (CallbackEntry &C : File.Callbacks)
    add(std::move(C.Rule));
  for (ParamEntry &P : File.Parameters)
    add(std::move(P.Rule));
  return true;
}

bool Rules::loadFile(llvm::StringRef Path, std::string &Error) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = (Path + ": cannot read rule file: " + Buf.getError().message()).str();
    return false;
  }
  return addFile(Path, (*Buf)->getBuffer(), Error);
}

} // namespace mapsafe
