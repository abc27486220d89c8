//===--- Classify.cpp - which functions need facts ------------------------===//
//
// Fact building is proportional to what can matter.  A first look at each
// body (scanCalls: calls only, no maps built) finds the calls the rules know
// and the calls of other functions of the file; plan() then decides over
// the call graph:
//
//   producer  reaches a map operation, a spawn or a join (through calls or
//             callbacks): it can take part in a race;
//   needed    a producer, or a function a needed one calls directly that
//             locks or unlocks (itself or further down): a lock wrapper
//             matters only to callers that have facts.
//
// The entries of spawns (`worker`, `&worker`, a cast of either, a local
// function pointer initialised with it once: entryFunction) are classified
// with the rest; when they are needed they are analysed even outside the
// scope (clangd: an entry defined in a header).
//
// When the facts are written for a whole program (FactsDir), calls of user
// functions defined in other files are recorded too: what they do is in
// their own file's facts, and the engine applies it once the fact files are
// merged.  Such a call may do anything to locks and threads.
//
// Only needed functions are analysed: a file's lock-only API functions and
// its ordinary code cost one look at their calls.
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"


using namespace clang;

namespace mapsafe {

using namespace facts;

FactBuilder::FunctionClass *FactBuilder::classOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody() || !isUserCode(Def->getLocation()) || Def->isInvalidDecl() ||
      Def->isDependentContext() || skipped(Def))
    return nullptr;
  Def = Def->getCanonicalDecl();
  auto It = Classes.find(Def);
  if (It != Classes.end())
    return It->second.get();
  auto *C = new FunctionClass();
  Classes[Def].reset(C);
  const Stmt *Body = Def->getDefinition()->getBody();
  // The rules' macros expanded in the body: operations of their own.
  if (Macros && Macros->anyWithin(Body->getBeginLoc(), Body->getEndLoc()))
    findMacroSites(Body, *Macros, Ctx.getSourceManager(), C->Macros);
  for (const MacroSite &Site : C->Macros.Sites) {
    const Rule *R = Site.Use->R;
    if (R->lock) {
      if (R->lock->What != LockRule::Init && R->lock->What != LockRule::Destroy)
        C->HasLocks = true;
      continue;
    }
    if (!R->mapOp)
      continue;
    C->HasMaps = true;
    const MapOpRule &Op = *R->mapOp;
    // A map handle of its own type (khash's kh_name_t *): the file's map type.
    const Expr *Map = Op.Map.isReturn() ? dyn_cast<Expr>(Site.Top)
                      : Op.Map.Index >= 0 && (size_t)Op.Map.Index < Site.Args.size()
                          ? Site.Args[Op.Map.Index]
                          : nullptr;
    if (Map && !Op.ElementHandle && Map->getType()->isPointerType() &&
        !Map->getType()->isVoidPointerType())
      MapTypes.insert(Map->getType().getCanonicalType().getUnqualifiedType().getTypePtr());
  }
  scanCalls(Body, [&](const CallExpr *CE) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee || C->Macros.siteOf(CE) >= 0)
      return;
    const Rule *R = Callee->getIdentifier() ? this->R.lookup(Callee->getName()) : nullptr;
    // What a function keeps of its arguments matters to ownership only
    // (Ownership.cpp): otherwise it is an ordinary call.
    if (R && R->params)
      R = nullptr;
    // A spawn only for some arguments (GDBus's "handle-" signals): the
    // others are ordinary library calls.
    if (R && R->spawn && !prefixHolds(CE, *R->spawn))
      return;
    // A lock function known by its capability attributes alone (declared,
    // not defined here).
    if (!R) {
      const FunctionDecl *Def = Callee->getDefinition();
      if (!(Def && Def->hasBody() && isUserCode(Def->getLocation())))
        R = attributeRule(Callee);
    }
    if (!R) {
      const FunctionDecl *CalleeDef = Callee->getDefinition();
      if (CalleeDef && CalleeDef->hasBody() && isUserCode(CalleeDef->getLocation())) {
        C->Calls.push_back({CE, nullptr, Callee, false});
      } else if (RecordExternal && !CalleeDef && !Callee->getBuiltinID() &&
                 isUserCode(Callee->getLocation())) {
        // Defined in another file: its facts come with that file's.
        C->Calls.push_back({CE, nullptr, Callee, true});
        C->CallsExternal = true;
      }
      return;
    }
    C->Calls.push_back({CE, R, nullptr, false});
    switch (R->What) {
    case Rule::MapOp: C->HasMaps = true; break;
    case Rule::Lock:
      // Setting a lock up or tearing it down holds nothing.
      if (R->lock->What != LockRule::Init && R->lock->What != LockRule::Destroy)
        C->HasLocks = true;
      break;
    case Rule::Spawn:
    case Rule::Join: C->HasThreads = true; break;
    case Rule::Allocator:
      C->HasTeardown |= R->lastReference();
      break;
    case Rule::Alias: break; // it only helps name objects
    case Rule::Params: return; // cleared above
    case Rule::CallsBack:
      if (const FunctionDecl *Cb = namedFunction(argOf(CE, R->callsBack->Callback)))
        if (const FunctionDecl *Def = Cb->getDefinition();
            Def && Def->hasBody() && isUserCode(Def->getLocation()))
          C->Callbacks.push_back(Cb);
      return;
    }
    auto Defined = [&](const FunctionDecl *F) {
      const FunctionDecl *Def = F ? F->getDefinition() : nullptr;
      return Def && Def->hasBody() && isUserCode(Def->getLocation());
    };
    if (R->spawn) {
      // The thread's entry is analysed as every function in scope is, even
      // when it is not in scope itself (clangd: defined in a header).
      if (const FunctionDecl *Entry = spawnEntry(CE, *R->spawn, Body, nullptr);
          Defined(Entry))
        C->Entries.push_back(Entry);
      if (const FunctionDecl *After = namedFunction(argOf(CE, R->spawn->After)); Defined(After))
        C->Callbacks.push_back(After);
      return;
    }
    if (!R->mapOp)
      return;
    // The type of the map handles of this library, as the file uses them.
    const Expr *Map = R->mapOp->Map.isReturn() ? CE : argOf(CE, R->mapOp->Map);
    // (A `void *` handle says nothing: twalk's root, tdestroy's.)
    if (Map)
      Map = Map->IgnoreParenImpCasts();
    if (Map && Map->getType()->isPointerType() && !Map->getType()->isVoidPointerType())
      MapTypes.insert(Map->getType().getCanonicalType().getUnqualifiedType().getTypePtr());
    if (const FunctionDecl *Cb = namedFunction(argOf(CE, R->mapOp->Callback)); Defined(Cb))
      C->Callbacks.push_back(Cb);
  }, [&](const FunctionDecl *Taken) { AddressTaken.insert(Taken->getCanonicalDecl()); },
  [&](const Expr *Cond) {
    // A last-reference test: the branch it decides needs the dataflow.
    bool Negated = false;
    if (const Rule *M = conditionMacro(Cond, Ctx, R, Negated); M && M->lastReference())
      C->HasTeardown = true;
  }, &C->Macros);
  return C;
}

const Rule *FactBuilder::attributeRule(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  if (auto It = AttributeRuleOf.find(FD); It != AttributeRuleOf.end())
    return It->second;
  const Rule *Made = nullptr;
  // The argument the capability names: a parameter (a pointer to the lock).
  auto ParamOf = [&](const Expr *E) -> int {
    const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
    const auto *PD = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    return PD && PD->getType()->isPointerType() ? (int)PD->getFunctionScopeIndex() : -1;
  };
  LockRule L;
  int Param = -1;
  const FunctionDecl *D = FD->getMostRecentDecl();
  if (const auto *A = D->getAttr<AcquireCapabilityAttr>(); A && A->args_size() == 1) {
    L.What = LockRule::Acquire;
    L.Mode = A->isShared() ? MS_LOCK_SHARED : MS_LOCK_EXCLUSIVE;
    Param = ParamOf(*A->args_begin());
  } else if (const auto *A = D->getAttr<TryAcquireCapabilityAttr>(); A && A->args_size() == 1) {
    Expr::EvalResult Res;
    const Expr *Success = A->getSuccessValue();
    if (Success && Success->EvaluateAsInt(Res, Ctx)) {
      L.What = LockRule::TryAcquire;
      L.Mode = A->isShared() ? MS_LOCK_SHARED : MS_LOCK_EXCLUSIVE;
      L.SuccessIsZero = Res.Val.getInt() == 0;
      Param = ParamOf(*A->args_begin());
    }
  } else if (const auto *A = D->getAttr<ReleaseCapabilityAttr>(); A && A->args_size() == 1) {
    L.What = LockRule::Release;
    Param = ParamOf(*A->args_begin());
  }
  if (Param >= 0 && FD->getIdentifier()) {
    L.Function = FD->getName().str();
    L.Lock = ArgRef::at(Param);
    AttributeLocks.push_back(std::move(L));
    Rule E{Rule::Lock};
    E.lock = &AttributeLocks.back();
    AttributeRules.push_back(E);
    Made = &AttributeRules.back();
  }
  AttributeRuleOf[FD] = Made;
  return Made;
}

void FactBuilder::plan(const std::vector<const FunctionDecl *> &Scope) {
  // Every function reachable from the scope, classified.
  std::vector<const FunctionDecl *> All;
  std::vector<FunctionClass *> Class;
  llvm::DenseMap<const FunctionDecl *, unsigned> Index;
  auto Visit = [&](const FunctionDecl *FD) {
    FunctionClass *C = classOf(FD);
    if (!C)
      return;
    const FunctionDecl *Key = FD->getDefinition()->getCanonicalDecl();
    if (Index.try_emplace(Key, All.size()).second) {
      All.push_back(Key);
      Class.push_back(C);
    }
  };
  for (const FunctionDecl *FD : Scope)
    Visit(FD);
  for (size_t I = 0; I < All.size(); ++I) {
    for (const FunctionClass::Call &Call : Class[I]->Calls)
      if (Call.Callee && !Call.External)
        Visit(Call.Callee);
    for (const FunctionDecl *Cb : Class[I]->Callbacks)
      Visit(Cb);
    for (const FunctionDecl *Entry : Class[I]->Entries) {
      Visit(Entry);
      Entries.push_back(Entry);
    }
  }
  auto ClassOf = [&](const FunctionDecl *FD) -> FunctionClass * {
    auto It = Index.find(FD->getDefinition()->getCanonicalDecl());
    return It == Index.end() ? nullptr : Class[It->second];
  };
  // Producers, lock and thread touchers: to a fixpoint over the calls.
  // A function defined elsewhere may do anything to locks and threads.
  for (FunctionClass *C : Class) {
    C->Producer = C->HasMaps || C->HasThreads;
    C->TouchesLocks = C->HasLocks || C->CallsExternal;
    C->TouchesThreads = C->HasThreads || C->CallsExternal;
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (FunctionClass *C : Class) {
      for (const FunctionClass::Call &Call : C->Calls) {
        FunctionClass *D = Call.Callee && !Call.External ? ClassOf(Call.Callee) : nullptr;
        if (!D)
          continue;
        auto Raise = [&](bool &Flag, bool From) {
          if (From && !Flag)
            Flag = Changed = true;
        };
        Raise(C->Producer, D->Producer);
        Raise(C->TouchesLocks, D->TouchesLocks);
        Raise(C->TouchesThreads, D->TouchesThreads);
      }
      for (const FunctionDecl *Cb : C->Callbacks)
        if (FunctionClass *D = ClassOf(Cb); D && D->Producer && !C->Producer)
          C->Producer = Changed = true;
    }
  }
  // Needed: the producers, and what they call that touches locks.  For a
  // whole program's facts also what other files may call that touches locks
  // or threads: its effects are theirs.
  std::vector<FunctionClass *> Work;
  for (size_t I = 0; I < Class.size(); ++I) {
    FunctionClass *C = Class[I];
    bool ForOtherFiles = RecordExternal && All[I]->isExternallyVisible() &&
                         (C->TouchesLocks || C->TouchesThreads);
    if (C->Producer || ForOtherFiles) {
      C->Needed = true;
      Work.push_back(C);
    }
  }
  while (!Work.empty()) {
    FunctionClass *C = Work.back();
    Work.pop_back();
    for (const FunctionClass::Call &Call : C->Calls)
      if (FunctionClass *D = Call.Callee && !Call.External ? ClassOf(Call.Callee) : nullptr;
          D && !D->Needed && D->TouchesLocks) {
        D->Needed = true;
        Work.push_back(D);
      }
  }
}

} // namespace mapsafe
