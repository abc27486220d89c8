//===--- Rules.cpp - the rule table ---------------------------------------===//
//
// The records of each kind live in a deque of their own (stable addresses);
// the table maps a function name to its one Rule, which points at the
// record.  The built-in rules are C++ generated from rules/*.yaml at build
// time (BuiltinRules.inc, by mapsafe-rules-compile with toCpp()): no file
// is read and no YAML parsed when the module starts.
//
//===----------------------------------------------------------------------===//
#include "rules/Rules.h"

#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace mapsafe {

/// Stores a record in its deque and enters the table entry that points at
/// it, keyed by the stored record's name.
template <typename Record>
void Rules::store(std::deque<Record> &Records, Record R, Rule::Kind Kind,
                  const Record *Rule::*Slot) {
  Records.push_back(std::move(R));
  Rule E{Kind};
  if (Slot)
    E.*Slot = &Records.back();
  E.Index = Records.size() - 1;
  bool Macro = false;
  if constexpr (std::is_same_v<Record, MapOpRule> || std::is_same_v<Record, LockRule>)
    Macro = Records.back().Macro;
  (Macro ? MacroTable : Table)[Records.back().Function] = E;
}

void Rules::add(MapOpRule R) { store(MapOps, std::move(R), Rule::MapOp, &Rule::mapOp); }
void Rules::add(LockRule R) { store(Locks, std::move(R), Rule::Lock, &Rule::lock); }
void Rules::add(SpawnRule R) { store(Spawns, std::move(R), Rule::Spawn, &Rule::spawn); }
void Rules::add(JoinRule R) { store(Joins, std::move(R), Rule::Join, &Rule::join); }
void Rules::add(AllocatorRule R) {
  store(Allocators, std::move(R), Rule::Allocator, &Rule::allocator);
}
void Rules::add(AliasRule R) { store(Aliases, std::move(R), Rule::Alias, &Rule::alias); }
void Rules::add(CallbackRule R) {
  store(CallsBack, std::move(R), Rule::CallsBack, &Rule::callsBack);
}

void Rules::add(ParamRule R) { store(Params, std::move(R), Rule::Params, &Rule::params); }

void Rules::add(KeyTypeRule R) { KeyTypes[R.Hash] = R.Type; }

Rules &Rules::operator=(const Rules &O) {
  if (this == &O)
    return *this;
  MapOps = O.MapOps;
  Locks = O.Locks;
  Spawns = O.Spawns;
  Joins = O.Joins;
  Allocators = O.Allocators;
  Aliases = O.Aliases;
  CallsBack = O.CallsBack;
  Params = O.Params;
  KeyTypes = O.KeyTypes;
  CallbackTables = O.CallbackTables;
  Table.clear();
  MacroTable.clear();
  // The same entries, pointing at this object's records.
  auto Copy = [&](const llvm::StringMap<Rule> &From, llvm::StringMap<Rule> &To) {
    for (const auto &KV : From) {
      Rule E = KV.second;
      E.mapOp = E.mapOp ? &MapOps[E.Index] : nullptr;
      E.lock = E.lock ? &Locks[E.Index] : nullptr;
      E.spawn = E.spawn ? &Spawns[E.Index] : nullptr;
      E.join = E.join ? &Joins[E.Index] : nullptr;
      E.alias = E.alias ? &Aliases[E.Index] : nullptr;
      E.allocator = E.allocator ? &Allocators[E.Index] : nullptr;
      E.callsBack = E.callsBack ? &CallsBack[E.Index] : nullptr;
      E.params = E.params ? &Params[E.Index] : nullptr;
      To[KV.first()] = E;
    }
  };
  Copy(O.Table, Table);
  Copy(O.MacroTable, MacroTable);
  return *this;
}

// ---- C++ for the built-in table -------------------------------------------

namespace {
std::string quoted(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

std::string arg(ArgRef A) {
  return A.isReturn() ? "ArgRef::result()" : "ArgRef::at(" + std::to_string(A.Index) + ")";
}

/// "R.X = value;" statements for the fields that are set.
struct Fields {
  std::string Text;
  void set(const char *Name, ArgRef A) {
    if (A.isSet())
      Text += std::string(" R.") + Name + " = " + arg(A) + ";";
  }
  void raw(const char *Name, const std::string &Value) {
    Text += std::string(" R.") + Name + " = " + Value + ";";
  }
};

const char *accessKind(ms_access_kind K) {
  switch (K) {
  case MS_ACC_READ: return "MS_ACC_READ";
  case MS_ACC_WRITE: return "MS_ACC_WRITE";
  case MS_ACC_ITERATE: return "MS_ACC_ITERATE";
  case MS_ACC_CREATE: return "MS_ACC_CREATE";
  default: return "MS_ACC_DESTROY";
  }
}

const char *lockOp(LockRule::Operation O) {
  switch (O) {
  case LockRule::Acquire: return "LockRule::Acquire";
  case LockRule::TryAcquire: return "LockRule::TryAcquire";
  case LockRule::Init: return "LockRule::Init";
  case LockRule::Destroy: return "LockRule::Destroy";
  default: return "LockRule::Release";
  }
}
} // namespace

std::string Rules::toCpp(llvm::StringRef Name) const {
  std::vector<std::string> Lines;
  auto Entry = [&](const llvm::StringMapEntry<Rule> &KV, bool Macro) {
    const Rule &E = KV.second;
    Fields F;
    F.raw("Function", quoted(KV.first()));
    if (Macro)
      F.raw("Macro", "true");
    const char *Type = "";
    switch (E.What) {
    case Rule::MapOp: {
      const MapOpRule &R = *E.mapOp;
      Type = "MapOpRule";
      F.raw("Library", quoted(R.Library));
      F.raw("Access", accessKind(R.Access));
      if (R.ElementHandle)
        F.raw("ElementHandle", "true");
      if (!R.KeyType.empty())
        F.raw("KeyType", quoted(R.KeyType));
      if (R.Implicit)
        F.raw("Implicit", "true");
      if (R.Synchronized)
        F.raw("Synchronized", "true");
      if (!R.ReadWhen.empty()) {
        F.set("ReadWhenArg", R.ReadWhenArg);
        F.raw("ReadWhen", quoted(R.ReadWhen));
      }
      F.set("Map", R.Map);
      F.set("Key", R.Key);
      F.set("Value", R.Value);
      F.set("Hash", R.Hash);
      F.set("Iterator", R.Iterator);
      F.set("Callback", R.Callback);
      F.set("CallbackData", R.CallbackData);
      if (R.CallbackParam)
        F.raw("CallbackParam", std::to_string(R.CallbackParam));
      break;
    }
    case Rule::Lock: {
      const LockRule &R = *E.lock;
      Type = "LockRule";
      F.raw("What", lockOp(R.What));
      F.set("Lock", R.Lock);
      if (R.Mode == MS_LOCK_SHARED)
        F.raw("Mode", "MS_LOCK_SHARED");
      if (!R.SuccessIsZero)
        F.raw("SuccessIsZero", "false");
      F.set("Returns", R.Returns);
      if (!R.Field.empty())
        F.raw("Field", quoted(R.Field));
      break;
    }
    case Rule::Spawn: {
      const SpawnRule &R = *E.spawn;
      Type = "SpawnRule";
      F.set("Entry", R.Entry);
      F.set("Arg", R.Arg);
      F.set("Handle", R.Handle);
      if (R.EntryParam)
        F.raw("EntryParam", std::to_string(R.EntryParam));
      if (R.Pool)
        F.raw("Pool", "true");
      if (R.SuccessIsZero)
        F.raw("SuccessIsZero", *R.SuccessIsZero ? "true" : "false");
      for (const std::string &Field : R.EntryFields)
        F.Text += " R.EntryFields.push_back(" + quoted(Field) + ");";
      auto Test = [&](const char *Name, const std::optional<FlagTest> &T) {
        if (!T)
          return;
        std::string Names;
        for (const std::string &N : T->AnyOf)
          Names += (Names.empty() ? "" : ", ") + quoted(N);
        F.Text += std::string(" R.") + Name + " = FlagTest{" + arg(T->Arg) + ", {" + Names + "}};";
      };
      Test("When", R.When);
      Test("ManyWhen", R.ManyWhen);
      if (!R.ManyWith.empty())
        F.raw("ManyWith", quoted(R.ManyWith));
      if (!R.WhenPrefix.empty()) {
        F.set("WhenPrefixArg", R.WhenPrefixArg);
        F.raw("WhenPrefix", quoted(R.WhenPrefix));
      }
      if (!R.WhenCalled.empty())
        F.raw("WhenCalled", quoted(R.WhenCalled));
      Test("WhenCalledTest", R.WhenCalledTest);
      if (R.EntryParamLast)
        F.raw("EntryParamLast", "true");
      F.set("After", R.After);
      if (R.AfterParam)
        F.raw("AfterParam", std::to_string(R.AfterParam));
      if (!R.StartedBy.Function.empty()) {
        F.raw("StartedBy.Function", quoted(R.StartedBy.Function));
        F.set("StartedBy.Handle", R.StartedBy.Handle);
      }
      break;
    }
    case Rule::Join:
      Type = "JoinRule";
      F.set("Handle", E.join->Handle);
      if (E.join->HandleAddress)
        F.raw("HandleAddress", "true");
      break;
    case Rule::Allocator:
      Type = "AllocatorRule";
      if (E.allocator->What == AllocatorRule::Free)
        F.raw("What", "AllocatorRule::Free");
      else if (E.allocator->What == AllocatorRule::LastReference)
        F.raw("What", "AllocatorRule::LastReference");
      if (E.allocator->SuccessIsZero)
        F.raw("SuccessIsZero", "true");
      break;
    case Rule::Alias:
      Type = "AliasRule";
      F.set("Returns", E.alias->Returns);
      break;
    case Rule::CallsBack:
      Type = "CallbackRule";
      F.set("Callback", E.callsBack->Callback);
      F.set("CallbackData", E.callsBack->CallbackData);
      if (E.callsBack->CallbackParam)
        F.raw("CallbackParam", std::to_string(E.callsBack->CallbackParam));
      break;
    case Rule::Params:
      Type = "ParamRule";
      F.raw("Keeps", std::to_string(E.params->Keeps));
      break;
    }
    Lines.push_back(std::string("  { ") + Type + " R;" + F.Text + " Rules.add(std::move(R)); }");
  };
  for (const auto &KV : Table)
    Entry(KV, false);
  for (const auto &KV : MacroTable)
    Entry(KV, true);
  for (const auto &KV : KeyTypes)
    Lines.push_back("  Rules.add(KeyTypeRule{" + quoted(KV.first()) + ", " + quoted(KV.second) +
                    "});");
  for (const std::string &T : CallbackTables)
    Lines.push_back("  Rules.addCallbackTable(" + quoted(T) + ");");
  std::sort(Lines.begin(), Lines.end()); // deterministic output
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "// Generated from rules/*.yaml by mapsafe-rules-compile; do not edit.\n"
     << "static constexpr unsigned BuiltinRuleCount = " << size() << ";\n"
     << "static void " << Name << "(mapsafe::Rules &Rules) {\n"
     << "  using namespace mapsafe;\n";
  for (const std::string &L : Lines)
    OS << L << "\n";
  OS << "}\n";
  return Out;
}

// ---- the built-in rules ------------------------------------------------------

#ifndef MAPSAFE_NO_BUILTIN_RULES
#include "BuiltinRules.inc"

namespace {
struct Builtin {
  Rules Table;
  std::string Error;
  Builtin() {
    addBuiltinRules(Table);
    if (Table.size() != BuiltinRuleCount || Table.size() == 0)
      Error = "the built-in rules did not load (" + std::to_string(Table.size()) + " of " +
              std::to_string(BuiltinRuleCount) + " rules); mapsafe does not analyse without them";
  }
};
const Builtin &builtinRules() {
  static const Builtin B;
  return B;
}
} // namespace

const Rules &Rules::builtin() { return builtinRules().Table; }
const std::string &Rules::builtinError() { return builtinRules().Error; }
#endif

bool Rule::namesArgument(int I) const {
  auto Any = [I](std::initializer_list<ArgRef> Refs) {
    for (const ArgRef &A : Refs)
      if (A.Index == I)
        return true;
    return false;
  };
  if (mapOp)
    return Any({mapOp->Map, mapOp->Key, mapOp->Value, mapOp->Hash, mapOp->Iterator,
                mapOp->Callback, mapOp->CallbackData, mapOp->ReadWhenArg});
  if (lock)
    return Any({lock->Lock, lock->Returns});
  if (spawn)
    return Any({spawn->Entry, spawn->Arg, spawn->Handle, spawn->WhenPrefixArg, spawn->After,
                spawn->StartedBy.Handle, spawn->When ? spawn->When->Arg : ArgRef(),
                spawn->ManyWhen ? spawn->ManyWhen->Arg : ArgRef()});
  if (join)
    return Any({join->Handle});
  if (alias)
    return Any({alias->Returns});
  if (callsBack)
    return Any({callsBack->Callback, callsBack->CallbackData});
  return false;
}

} // namespace mapsafe
