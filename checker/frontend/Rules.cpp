//===--- Rules.cpp - reading rule files -----------------------------------===//
//
// Rule files are read in two steps: LLVM's YAML I/O maps the text onto the
// Raw* structs below (unknown keys and wrong shapes are errors with a line
// and column), then validate() checks the values (kinds, modes, argument
// positions) and the rules are entered into the table.
//
//===----------------------------------------------------------------------===//
#include "Rules.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <optional>

namespace {

struct RawKeyType {
  std::string Hash, Type;
};
struct RawOp {
  std::string Function, Kind;
  std::optional<std::string> Map, Key, Value, Hash, Iterator, Callback, CallbackData,
      CallbackParam;
};
struct RawMapLib {
  std::string Library;
  std::vector<RawKeyType> KeyTypes;
  std::vector<RawOp> Operations;
};
struct RawLock {
  std::string Function, Kind;
  std::optional<std::string> Lock, Mode, Success, Returns;
};
struct RawThread {
  std::string Function, Kind;
  std::optional<std::string> Entry, Arg, Handle, EntryParam, Instances, Success;
};
struct RawAlloc {
  std::string Function;
};
struct RawAlias {
  std::string Function, Returns;
};
struct RawFile {
  std::vector<RawMapLib> Maps;
  std::vector<RawLock> Locks;
  std::vector<RawThread> Threads;
  std::vector<RawAlloc> Allocators;
  std::vector<RawAlias> Aliases;
};

/// Parses "return" or a non-negative index; false if it is neither.
bool parseArg(const std::optional<std::string> &S, mapsafe::ArgRef &Out, bool AllowReturn) {
  if (!S)
    return true;
  if (AllowReturn && *S == "return") {
    Out.Index = mapsafe::ArgRef::Return;
    return true;
  }
  unsigned V;
  if (llvm::StringRef(*S).getAsInteger(10, V) || V > 64)
    return false;
  Out.Index = static_cast<int>(V);
  return true;
}

std::string argError(const char *Key) {
  return std::string("'") + Key + "' must be an argument index (0, 1, ...) or 'return'";
}

} // namespace

LLVM_YAML_IS_SEQUENCE_VECTOR(RawKeyType)
LLVM_YAML_IS_SEQUENCE_VECTOR(RawOp)
LLVM_YAML_IS_SEQUENCE_VECTOR(RawMapLib)
LLVM_YAML_IS_SEQUENCE_VECTOR(RawLock)
LLVM_YAML_IS_SEQUENCE_VECTOR(RawThread)
LLVM_YAML_IS_SEQUENCE_VECTOR(RawAlloc)
LLVM_YAML_IS_SEQUENCE_VECTOR(RawAlias)

namespace llvm::yaml {

template <> struct MappingTraits<RawKeyType> {
  static void mapping(IO &Io, RawKeyType &K) {
    Io.mapRequired("hash", K.Hash);
    Io.mapRequired("type", K.Type);
  }
};

template <> struct MappingTraits<RawOp> {
  static void mapping(IO &Io, RawOp &O) {
    Io.mapRequired("function", O.Function);
    Io.mapRequired("kind", O.Kind);
    Io.mapOptional("map", O.Map);
    Io.mapOptional("key", O.Key);
    Io.mapOptional("value", O.Value);
    Io.mapOptional("hash", O.Hash);
    Io.mapOptional("iterator", O.Iterator);
    Io.mapOptional("callback", O.Callback);
    Io.mapOptional("callback-data", O.CallbackData);
    Io.mapOptional("callback-param", O.CallbackParam);
  }
  static std::string validate(IO &, RawOp &O) {
    ms_access_kind K;
    if (ms_access_kind_from_name(O.Kind.c_str(), &K))
      return "unknown map operation kind '" + O.Kind +
             "' (expected read, write, iterate, create or destroy)";
    if (!O.Map && !O.Iterator)
      return "map operation '" + O.Function + "' needs 'map' or 'iterator'";
    mapsafe::ArgRef A;
    if (!parseArg(O.Map, A, true)) return argError("map");
    if (!parseArg(O.Key, A, false)) return argError("key");
    if (!parseArg(O.Value, A, false)) return argError("value");
    if (!parseArg(O.Hash, A, false)) return argError("hash");
    if (!parseArg(O.Iterator, A, false)) return argError("iterator");
    if (!parseArg(O.Callback, A, false)) return argError("callback");
    if (!parseArg(O.CallbackData, A, false)) return argError("callback-data");
    if (!parseArg(O.CallbackParam, A, false)) return argError("callback-param");
    if ((O.CallbackData || O.CallbackParam) && !O.Callback)
      return "'callback-data' and 'callback-param' need 'callback'";
    return "";
  }
};

template <> struct MappingTraits<RawMapLib> {
  static void mapping(IO &Io, RawMapLib &M) {
    Io.mapRequired("library", M.Library);
    Io.mapOptional("key-types", M.KeyTypes);
    Io.mapRequired("operations", M.Operations);
  }
};

template <> struct MappingTraits<RawLock> {
  static void mapping(IO &Io, RawLock &L) {
    Io.mapRequired("function", L.Function);
    Io.mapRequired("kind", L.Kind);
    Io.mapOptional("lock", L.Lock);
    Io.mapOptional("mode", L.Mode);
    Io.mapOptional("success", L.Success);
    Io.mapOptional("returns", L.Returns);
  }
  static std::string validate(IO &, RawLock &L) {
    if (L.Kind != "acquire" && L.Kind != "try-acquire" && L.Kind != "release")
      return "unknown lock kind '" + L.Kind + "' (expected acquire, try-acquire or release)";
    mapsafe::ArgRef A;
    if (!L.Lock)
      return "lock rule '" + L.Function + "' needs 'lock': the index of the lock argument";
    if (!parseArg(L.Lock, A, false))
      return "'lock' must be an argument index (0, 1, ...)";
    if (L.Mode && *L.Mode != "exclusive" && *L.Mode != "shared")
      return "unknown lock mode '" + *L.Mode + "' (expected exclusive or shared)";
    if (L.Success && *L.Success != "zero" && *L.Success != "nonzero")
      return "unknown 'success' value '" + *L.Success + "' (expected zero or nonzero)";
    if (L.Success && L.Kind != "try-acquire")
      return "'success' applies only to try-acquire";
    if (!parseArg(L.Returns, A, false))
      return argError("returns");
    return "";
  }
};

template <> struct MappingTraits<RawThread> {
  static void mapping(IO &Io, RawThread &T) {
    Io.mapRequired("function", T.Function);
    Io.mapRequired("kind", T.Kind);
    Io.mapOptional("entry", T.Entry);
    Io.mapOptional("arg", T.Arg);
    Io.mapOptional("handle", T.Handle);
    Io.mapOptional("entry-param", T.EntryParam);
    Io.mapOptional("instances", T.Instances);
    Io.mapOptional("success", T.Success);
  }
  static std::string validate(IO &, RawThread &T) {
    mapsafe::ArgRef A;
    if (T.Kind == "spawn") {
      if (!T.Entry || !parseArg(T.Entry, A, false))
        return "spawn rule '" + T.Function + "' needs 'entry': the index of the thread function";
    } else if (T.Kind == "join") {
      if (!T.Handle)
        return "join rule '" + T.Function + "' needs 'handle'";
    } else {
      return "unknown thread kind '" + T.Kind + "' (expected spawn or join)";
    }
    if (!parseArg(T.Arg, A, false)) return argError("arg");
    if (!parseArg(T.Handle, A, true)) return argError("handle");
    if (!parseArg(T.EntryParam, A, false)) return argError("entry-param");
    if (T.Instances && *T.Instances != "one" && *T.Instances != "many")
      return "unknown 'instances' value '" + *T.Instances + "' (expected one or many)";
    if (T.Success && *T.Success != "zero" && *T.Success != "nonzero")
      return "unknown 'success' value '" + *T.Success + "' (expected zero or nonzero)";
    if (T.Success && T.Kind != "spawn")
      return "'success' applies only to spawn";
    return "";
  }
};

template <> struct MappingTraits<RawAlloc> {
  static void mapping(IO &Io, RawAlloc &A) { Io.mapRequired("function", A.Function); }
};

template <> struct MappingTraits<RawAlias> {
  static void mapping(IO &Io, RawAlias &A) {
    Io.mapRequired("function", A.Function);
    Io.mapRequired("returns", A.Returns);
  }
  static std::string validate(IO &, RawAlias &A) {
    mapsafe::ArgRef R;
    std::optional<std::string> Ret = A.Returns;
    return parseArg(Ret, R, false) ? "" : argError("returns");
  }
};

template <> struct MappingTraits<RawFile> {
  static void mapping(IO &Io, RawFile &F) {
    Io.mapOptional("maps", F.Maps);
    Io.mapOptional("locks", F.Locks);
    Io.mapOptional("threads", F.Threads);
    Io.mapOptional("allocators", F.Allocators);
    Io.mapOptional("aliases", F.Aliases);
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
  llvm::raw_string_ostream OS(C->Message);
  OS << D.getFilename() << ":" << D.getLineNo() << ":" << (D.getColumnNo() + 1) << ": "
     << D.getMessage();
}
} // namespace

bool Rules::addFile(llvm::StringRef FileName, llvm::StringRef Text, std::string &Error) {
  DiagCapture Diag;
  RawFile Raw;
  llvm::yaml::Input In(llvm::MemoryBufferRef(Text, FileName), nullptr, captureDiag, &Diag);
  In >> Raw;
  if (In.error() || !Diag.Message.empty()) {
    Error = Diag.Message.empty() ? (FileName + ": malformed rule file").str() : Diag.Message;
    return false;
  }
  // All checked: enter the rules.
  for (const RawMapLib &M : Raw.Maps) {
    for (const RawKeyType &K : M.KeyTypes)
      KeyTypes[K.Hash] = K.Type;
    for (const RawOp &O : M.Operations) {
      FunctionRule R(FunctionRule::MapOp);
      ms_access_kind_from_name(O.Kind.c_str(), &R.Access);
      R.Library = M.Library;
      parseArg(O.Map, R.Map, true);
      parseArg(O.Key, R.Key, false);
      parseArg(O.Value, R.Value, false);
      parseArg(O.Hash, R.Hash, false);
      parseArg(O.Iterator, R.Iterator, false);
      parseArg(O.Callback, R.Callback, false);
      parseArg(O.CallbackData, R.CallbackData, false);
      ArgRef CP;
      if (parseArg(O.CallbackParam, CP, false) && CP.isSet())
        R.CallbackParam = CP.Index;
      Table[O.Function] = R;
    }
  }
  for (const RawLock &L : Raw.Locks) {
    FunctionRule R(L.Kind == "acquire"       ? FunctionRule::Acquire
                   : L.Kind == "try-acquire" ? FunctionRule::TryAcquire
                                             : FunctionRule::Release);
    parseArg(L.Lock, R.Lock, false);
    R.Mode = L.Mode && *L.Mode == "shared" ? MS_LOCK_SHARED : MS_LOCK_EXCLUSIVE;
    R.HasSuccess = R.What == FunctionRule::TryAcquire;
    R.SuccessIsZero = !L.Success || *L.Success == "zero";
    parseArg(L.Returns, R.Returns, false);
    Table[L.Function] = R;
  }
  for (const RawThread &T : Raw.Threads) {
    FunctionRule R(T.Kind == "spawn" ? FunctionRule::Spawn : FunctionRule::Join);
    parseArg(T.Entry, R.Entry, false);
    parseArg(T.Arg, R.Arg, false);
    parseArg(T.Handle, R.Handle, true);
    ArgRef EP;
    if (parseArg(T.EntryParam, EP, false) && EP.isSet())
      R.EntryParam = EP.Index;
    R.Many = T.Instances && *T.Instances == "many";
    R.HasSuccess = T.Success.has_value();
    R.SuccessIsZero = !T.Success || *T.Success == "zero";
    Table[T.Function] = R;
  }
  for (const RawAlloc &A : Raw.Allocators)
    Table[A.Function] = FunctionRule(FunctionRule::Allocator);
  for (const RawAlias &A : Raw.Aliases) {
    FunctionRule R(FunctionRule::Alias);
    parseArg(std::optional<std::string>(A.Returns), R.Returns, false);
    Table[A.Function] = R;
  }
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

// The compact form: one line a rule, fields separated by '|'.
//   R|name|kind|access|library|map|key|value|hash|iterator|lock|mode|
//     success-is-zero|entry|arg|handle|entry-param|many|returns|callback|
//     callback-data|callback-param|has-success
//   K|hash-function|key-type
std::string Rules::serialize() const {
  std::vector<std::string> Lines;
  for (const auto &E : Table) {
    const FunctionRule &R = E.second;
    std::string L;
    llvm::raw_string_ostream OS(L);
    OS << "R|" << E.first() << "|" << int(R.What) << "|" << int(R.Access) << "|" << R.Library
       << "|" << R.Map.Index << "|" << R.Key.Index << "|" << R.Value.Index << "|"
       << R.Hash.Index << "|" << R.Iterator.Index << "|" << R.Lock.Index << "|" << int(R.Mode)
       << "|" << int(R.SuccessIsZero) << "|" << R.Entry.Index << "|" << R.Arg.Index << "|"
       << R.Handle.Index << "|" << R.EntryParam << "|" << int(R.Many) << "|"
       << R.Returns.Index << "|" << R.Callback.Index << "|" << R.CallbackData.Index << "|"
       << R.CallbackParam << "|" << int(R.HasSuccess);
    Lines.push_back(OS.str());
  }
  for (const auto &E : KeyTypes)
    Lines.push_back(("K|" + E.first() + "|" + E.second).str());
  std::sort(Lines.begin(), Lines.end()); // deterministic output
  std::string Out;
  for (const std::string &L : Lines)
    Out += L + "\n";
  return Out;
}

bool Rules::deserialize(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 24> F;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    F.clear();
    Line.split(F, '|');
    if (F.size() == 3 && F[0] == "K") {
      KeyTypes[F[1]] = F[2].str();
      continue;
    }
    if (F.size() != 23 || F[0] != "R")
      return false;
    int V[23] = {};
    for (unsigned I = 2; I < 23; ++I)
      if (I != 4 && F[I].getAsInteger(10, V[I]))
        return false;
    FunctionRule R(static_cast<FunctionRule::Kind>(V[2]));
    R.Access = static_cast<ms_access_kind>(V[3]);
    R.Library = F[4].str();
    R.Map.Index = V[5];
    R.Key.Index = V[6];
    R.Value.Index = V[7];
    R.Hash.Index = V[8];
    R.Iterator.Index = V[9];
    R.Lock.Index = V[10];
    R.Mode = static_cast<ms_lock_mode>(V[11]);
    R.SuccessIsZero = V[12];
    R.Entry.Index = V[13];
    R.Arg.Index = V[14];
    R.Handle.Index = V[15];
    R.EntryParam = V[16];
    R.Many = V[17];
    R.Returns.Index = V[18];
    R.Callback.Index = V[19];
    R.CallbackData.Index = V[20];
    R.CallbackParam = V[21];
    R.HasSuccess = V[22];
    Table[F[1]] = R;
  }
  return true;
}

#ifndef MAPSAFE_NO_BUILTIN_RULES
namespace {
const char BuiltinRules[] =
#include "BuiltinRules.inc"
    ;
} // namespace

const Rules &Rules::builtin() {
  static const Rules R = [] {
    Rules B;
    // Checked when the module was built; a mismatch would be a build bug.
    if (!B.deserialize(BuiltinRules))
      B = Rules();
    return B;
  }();
  return R;
}
#endif

} // namespace mapsafe
