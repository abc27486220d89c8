//===--- Dataflow.cpp - steps 2 and 3: the fixpoint and the facts ---------===//
//
// The state (locks held: a must-set; threads running: a may-set) is
// propagated over clang's CFG until it settles; a trylock adds its lock on
// the edge where it succeeded, the exit of a loop that joins handles kills
// their threads.  Then every reachable block is replayed from its entry
// state and a fact is written at each call the rules know and each call of
// another function of the file, whose summary (lock and thread effects)
// acts on the state.
//
//===----------------------------------------------------------------------===//
#include "FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include <deque>
#include <memory>

namespace mapsafe {

void FactBuilder::FunctionAnalysis::recordAccess(const CallExpr *CE, const FunctionRule &Rule,
                                                 const State &S) {
  ms_access A;
  A.func = Fn;
  A.loc = B.locId(CE->getBeginLoc());
  A.kind = Rule.Access;
  const FunctionDecl *Callee = CE->getDirectCallee();
  A.api = ms_strn(F, Callee->getName().data(), Callee->getName().size());
  A.library = ms_strn(F, Rule.Library.data(), Rule.Library.size());
  if (Rule.Map.isReturn())
    A.map = resultPath(CE);
  else if (const Expr *M = argOf(CE, Rule.Map))
    A.map = pointee(M);
  else if (const Expr *It = argOf(CE, Rule.Iterator)) {
    // An operation through an iterator: the map it was set up on.
    const Expr *S = It->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(S))
      S = UO->getOpcode() == UO_AddrOf ? UO->getSubExpr()->IgnoreParenCasts() : S;
    const VarDecl *IV = localVar(S);
    auto Found = IV ? Pre.IteratorMaps.find(IV) : Pre.IteratorMaps.end();
    A.map = Found != Pre.IteratorMaps.end() ? pointee(Found->second) : ms_path_unknown();
  } else {
    A.map = ms_path_unknown();
  }
  A.key_type = typeName(argOf(CE, Rule.Key));
  A.value_type = typeName(argOf(CE, Rule.Value));
  if (const Expr *H = argOf(CE, Rule.Hash)) {
    const auto *DRE = dyn_cast<DeclRefExpr>(H->IgnoreParenCasts());
    const auto *HashFn = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    llvm::StringRef KT = HashFn && HashFn->getIdentifier() ? R.keyTypeForHash(HashFn->getName())
                                                           : llvm::StringRef();
    if (!KT.empty())
      A.key_type = ms_strn(F, KT.data(), KT.size());
  }
  A.locks = lockset(S);
  std::vector<ms_id> Live;
  A.live = liveSet(S, Live);
  ms_add_access(F, &A);
}

/// A call fact from here to Callee, with the state at CE and the given
/// arguments (the engine binds them to Callee's parameters).
void FactBuilder::FunctionAnalysis::addCall(const CallExpr *CE, const FunctionDecl *Callee,
                                            const State &S, std::vector<ms_value> &Args) {
  ms_call C;
  C.caller = Fn;
  C.callee = B.functionId(Callee);
  C.loc = B.locId(CE->getBeginLoc());
  C.locks = lockset(S);
  std::vector<ms_id> Live;
  C.live = liveSet(S, Live);
  C.args = Args.data();
  C.arg_count = static_cast<uint32_t>(Args.size());
  ms_add_call(F, &C);
}

void FactBuilder::FunctionAnalysis::recordCall(const CallExpr *CE, const FunctionDecl *Callee,
                                               const State &S) {
  std::vector<ms_value> Args;
  std::vector<ms_field_value> NoFields;
  for (const Expr *A : CE->arguments())
    Args.push_back(A->getType()->isPointerType() ? value(A, CE, false, NoFields)
                                                 : ms_value{ms_path_unknown(), 0, nullptr, 0});
  addCall(CE, Callee, S, Args);
}

/// The function a map operation calls back, if it is one of this file's.
const FunctionDecl *FactBuilder::FunctionAnalysis::callbackOf(const CallExpr *CE,
                                                              const FunctionRule &Rule) {
  const Expr *CbE = argOf(CE, Rule.Callback);
  const auto *DRE = CbE ? dyn_cast<DeclRefExpr>(CbE->IgnoreParenCasts()) : nullptr;
  const auto *Cb = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
  return Cb && B.summaryOf(Cb) ? Cb : nullptr;
}

/// The callback runs here, in this thread: a call with the callback data
/// bound to its parameter.
void FactBuilder::FunctionAnalysis::recordCallback(const CallExpr *CE, const FunctionDecl *Cb,
                                                   const FunctionRule &Rule, const State &S) {
  std::vector<ms_value> Args(Cb->getNumParams(), ms_value{ms_path_unknown(), 0, nullptr, 0});
  const Expr *Data = argOf(CE, Rule.CallbackData);
  if (Data && (unsigned)Rule.CallbackParam < Args.size()) {
    std::vector<ms_field_value> NoFields;
    Args[Rule.CallbackParam] = value(Data, CE, false, NoFields);
  }
  addCall(CE, Cb, S, Args);
}

void FactBuilder::FunctionAnalysis::call(const CallExpr *CE, State &S, bool Record) {
  if (const FunctionRule *Rule = Pre.Rules.lookup(CE)) {
    switch (Rule->What) {
    case FunctionRule::Acquire:
      if (const Expr *L = argOf(CE, Rule->Lock))
        S.acquire(pointee(L), Rule->Mode, B.locId(CE->getBeginLoc()));
      return;
    case FunctionRule::Release:
      if (const Expr *L = argOf(CE, Rule->Lock))
        S.release(pointee(L));
      return;
    case FunctionRule::TryAcquire: // acquired on the success edge, see edge()
    case FunctionRule::Allocator:
    case FunctionRule::Alias:
      return;
    case FunctionRule::MapOp:
      if (Record) {
        recordAccess(CE, *Rule, S);
        if (const FunctionDecl *Cb = callbackOf(CE, *Rule))
          recordCallback(CE, Cb, *Rule, S);
      }
      return;
    case FunctionRule::Spawn: {
      auto It = llvm::find(Pre.Spawns, CE);
      if (It == Pre.Spawns.end())
        return;
      unsigned K = static_cast<unsigned>(It - Pre.Spawns.begin());
      if (Record) {
        SpawnStates[K].Seen = true;
        SpawnStates[K].S = S;
      }
      S.addLive(SpawnBase + K, SpawnHandles[K]);
      return;
    }
    case FunctionRule::Join: {
      const Expr *H = Rule->Handle.isReturn() ? nullptr : argOf(CE, Rule->Handle);
      if (!H)
        return;
      ms_path Handle = handlePath(H, false);
      // One element of an array of handles (t[0], or t[i] in a loop) is not
      // the whole array: only the exit of a loop that joins them is (edge()).
      if (isa<ArraySubscriptExpr>(H->IgnoreParenCasts())) {
        if (Record && Pre.CallLoop.lookup(CE) &&
            !llvm::any_of(JoinedHandles, [&](const ms_path &P) { return samePath(P, Handle); }))
          JoinedHandles.push_back(Handle);
        return;
      }
      if (Record && !llvm::any_of(JoinedHandles, [&](const ms_path &P) { return samePath(P, Handle); }))
        JoinedHandles.push_back(Handle);
      S.joined(Handle);
      return;
    }
    }
    return;
  }
  // A call of another function of this file: record it, apply its effects.
  const FunctionDecl *Callee = Pre.UserCalls.lookup(CE);
  const Summary *Sum = Callee ? B.summaryOf(Callee) : nullptr;
  if (!Sum || !Sum->Relevant)
    return;
  if (Record)
    recordCall(CE, Callee, S);
  ms_id At = B.locId(CE->getBeginLoc());
  for (const ms_held &H : Sum->Releases)
    S.release(substitute(H.lock, CE));
  for (const ms_held &H : Sum->Acquires)
    S.acquire(substitute(H.lock, CE), H.mode, At);
  for (const LiveSpawn &L : Sum->LiveAtExit)
    S.addLive(L.Spawn, substitute(L.Handle, CE));
  for (const ms_path &H : Sum->Joins)
    S.joined(substitute(H, CE));
}

void FactBuilder::FunctionAnalysis::transfer(const CFGBlock *Blk, State &S, bool Record) {
  for (const CFGElement &E : *Blk) {
    if (auto CS = E.getAs<CFGStmt>()) {
      if (const auto *CE = dyn_cast<CallExpr>(CS->getStmt()))
        call(CE, S, Record);
    } else if (auto CF = E.getAs<CFGCleanupFunction>()) {
      cleanup(*CF, S);
    }
  }
}

/// A variable with __attribute__((cleanup(f))) leaves its scope: f(&var).
/// A release rule for f releases the lock the variable holds (a scoped
/// locker such as g_autoptr(GMutexLocker)).
void FactBuilder::FunctionAnalysis::cleanup(const CFGCleanupFunction &CF, State &S) {
  const FunctionDecl *Fn = CF.getFunctionDecl();
  const FunctionRule *Rule = Fn && Fn->getIdentifier() ? R.lookup(Fn->getName()) : nullptr;
  if (!Rule || Rule->What != FunctionRule::Release || Rule->Lock.Index != 0)
    return;
  const VarDecl *VD = CF.getVarDecl();
  if (VD->hasLocalStorage() && VD->getType()->isPointerType())
    S.release(alias(VD, 0));
}

/// The call whose success a branch condition tests (a trylock, a spawn that
/// says whether the thread started), if any.  TrueMeansNonzero is set to
/// whether the condition holds exactly when the call returned nonzero.
const CallExpr *FactBuilder::FunctionAnalysis::testedCall(const Expr *Cond,
                                                          bool &TrueMeansNonzero) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() != UO_LNot)
      return nullptr;
    const CallExpr *C = testedCall(UO->getSubExpr(), TrueMeansNonzero);
    TrueMeansNonzero = !TrueMeansNonzero;
    return C;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() != BO_EQ && BO->getOpcode() != BO_NE)
      return nullptr;
    const Expr *L = BO->getLHS(), *Rt = BO->getRHS();
    auto IsZero = [&](const Expr *E) {
      Expr::EvalResult Res;
      return E->EvaluateAsInt(Res, Ctx) && Res.Val.getInt() == 0;
    };
    const Expr *Other = IsZero(Rt) ? L : IsZero(L) ? Rt : nullptr;
    if (!Other)
      return nullptr;
    const CallExpr *C = testedCall(Other, TrueMeansNonzero);
    if (BO->getOpcode() == BO_EQ)
      TrueMeansNonzero = !TrueMeansNonzero;
    return C;
  }
  if (const auto *CE = dyn_cast<CallExpr>(Cond)) {
    const FunctionRule *Rule = ruleOf(CE);
    TrueMeansNonzero = true;
    return Rule && Rule->HasSuccess ? CE : nullptr;
  }
  if (const VarDecl *VD = localVar(Cond)) {
    auto It = Pre.TryVars.find(VD);
    TrueMeansNonzero = true;
    return It != Pre.TryVars.end() ? It->second : nullptr;
  }
  return nullptr;
}

/// Effects of taking a branch: a trylock acquired on its success edge, the
/// handles joined by a loop on its exit edge.
void FactBuilder::FunctionAnalysis::edge(const CFGBlock *From, unsigned SuccIndex, State &S) {
  const Stmt *Term = From->getTerminatorStmt();
  if (!Term || From->succ_size() != 2)
    return;
  if (isa<ForStmt>(Term) || isa<WhileStmt>(Term) || isa<DoStmt>(Term) ||
      isa<CXXForRangeStmt>(Term)) {
    auto It = Pre.LoopJoins.find(Term);
    if (SuccIndex == 1 && It != Pre.LoopJoins.end())
      for (const ms_path &H : It->second)
        S.joined(H);
  }
  bool TrueMeansNonzero = false;
  const auto *Cond = dyn_cast_or_null<Expr>(const_cast<CFGBlock *>(From)->getTerminatorCondition());
  const CallExpr *Tested = testedCall(Cond, TrueMeansNonzero);
  if (!Tested)
    return;
  const FunctionRule *Rule = ruleOf(Tested);
  bool Nonzero = SuccIndex == 0 ? TrueMeansNonzero : !TrueMeansNonzero;
  bool Success = Rule->SuccessIsZero ? !Nonzero : Nonzero;
  if (Rule->What == FunctionRule::TryAcquire) {
    if (const Expr *L = Success ? argOf(Tested, Rule->Lock) : nullptr)
      S.acquire(pointee(L), Rule->Mode, B.locId(Tested->getBeginLoc()));
  } else if (!Success) {
    // The thread did not start: on this edge it is not running.
    auto It = llvm::find(Pre.Spawns, Tested);
    if (It != Pre.Spawns.end()) {
      ms_id Sp = SpawnBase + static_cast<ms_id>(It - Pre.Spawns.begin());
      llvm::erase_if(S.Live, [&](const LiveSpawn &L) { return L.Spawn == Sp; });
    }
  }
}

bool FactBuilder::FunctionAnalysis::run(Summary &Out) {
  const Stmt *Body = FD->getBody();
  if (!Body)
    return false;

  // 1. Prepass.
  auto OnCall = [this](const CallExpr *CE) {
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee)
      return;
    const FunctionRule *Rule = ruleOf(CE);
    if (!Rule) {
      if (Callee->hasBody() && B.isUserCode(Callee->getLocation())) {
        Pre.Callees.push_back(Callee);
        Pre.UserCalls[CE] = Callee;
      }
      return;
    }
    Pre.Relevant = true;
    Pre.Rules[CE] = Rule;
    if (Rule->What == FunctionRule::Spawn)
      Pre.Spawns.push_back(CE);
    // A callback runs as a call from here: analyse it first, like a callee.
    if (const Expr *CbE = argOf(CE, Rule->Callback))
      if (const auto *DRE = dyn_cast<DeclRefExpr>(CbE->IgnoreParenCasts()))
        if (const auto *Cb = dyn_cast<FunctionDecl>(DRE->getDecl()))
          if (Cb->hasBody() && B.isUserCode(Cb->getLocation()))
            Pre.Callees.push_back(Cb);
    const Expr *MapE = argOf(CE, Rule->Map), *ItE = argOf(CE, Rule->Iterator);
    if (Rule->What == FunctionRule::MapOp && MapE && ItE)
      if (const auto *UO = dyn_cast<UnaryOperator>(ItE->IgnoreParenCasts()))
        if (UO->getOpcode() == UO_AddrOf)
          if (const VarDecl *IV = localVar(UO->getSubExpr()))
            Pre.IteratorMaps[IV] = MapE;
  };
  prepass(Body, Pre, OnCall);
  // Callees first: their summaries act on this function's state, and a
  // function that only calls functions without facts has none either.
  for (const FunctionDecl *Callee : Pre.Callees)
    if (const Summary *Sum = B.summaryOf(Callee))
      Pre.Relevant |= Sum->Relevant;
  if (!Pre.Relevant)
    return false;
  Fn = B.functionId(FD);
  // Results of trylocks and spawns kept in variables; joins inside loops.
  for (auto &KV : Pre.InitOf)
    if (const FunctionRule *Rule = ruleOf(KV.first))
      if (Rule->HasSuccess)
        Pre.TryVars[KV.second] = KV.first;
  for (auto &KV : Pre.AssignedTo)
    if (const FunctionRule *Rule = ruleOf(KV.first))
      if (Rule->HasSuccess)
        if (const VarDecl *VD = localVar(KV.second))
          Pre.TryVars[VD] = KV.first;
  for (auto &KV : Pre.CallLoop) {
    const FunctionRule *Rule = KV.second ? ruleOf(KV.first) : nullptr;
    const Expr *HE = Rule && Rule->What == FunctionRule::Join ? argOf(KV.first, Rule->Handle)
                                                              : nullptr;
    if (!HE)
      continue;
    ms_path H = handlePath(HE, false);
    if (H.base == MS_BASE_UNKNOWN && !H.depth)
      continue;
    // The join's loop and every loop around it join the handle on exit.
    for (const Stmt *L = KV.second; L; L = Pre.LoopParent.lookup(L))
      Pre.LoopJoins[L].push_back(H);
  }
  // 2. Fixpoint over the CFG.
  CFG::BuildOptions BO;
  BO.setAlwaysAdd(Stmt::CallExprClass); // every call its own element, in order
  BO.PruneTriviallyFalseEdges = true;
  BO.AddImplicitDtors = true; // in C: the cleanup functions of variables
  std::unique_ptr<CFG> G = CFG::buildCFG(FD, const_cast<Stmt *>(Body), &Ctx, BO);
  if (!G)
    return false;
  SpawnBase = F->spawns.count;
  SpawnStates.assign(Pre.Spawns.size(), SpawnState());
  for (const CallExpr *CE : Pre.Spawns) {
    const FunctionRule *Rule = ruleOf(CE);
    const Expr *HE = argOf(CE, Rule->Handle);
    SpawnHandles.push_back(Rule->Handle.isReturn() ? returnedHandle(CE)
                           : HE                    ? handlePath(HE, true)
                                                   : ms_path_unknown());
  }
  std::vector<State> In(G->getNumBlockIDs());
  In[G->getEntry().getBlockID()].Reachable = true;
  std::deque<const CFGBlock *> Work{&G->getEntry()};
  std::vector<bool> Queued(G->getNumBlockIDs(), false);
  Queued[G->getEntry().getBlockID()] = true;
  size_t Steps = 0, Limit = 64 * (size_t)G->getNumBlockIDs() + 256;
  while (!Work.empty()) {
    if (++Steps > Limit)
      return false; // does not settle: say nothing about this function
    const CFGBlock *Blk = Work.front();
    Work.pop_front();
    Queued[Blk->getBlockID()] = false;
    State S = In[Blk->getBlockID()];
    transfer(Blk, S, false);
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : Blk->succs()) {
      unsigned I = Index++;
      const CFGBlock *To = Succ.getReachableBlock();
      if (!To)
        continue;
      State E = S;
      edge(Blk, I, E);
      if (In[To->getBlockID()].join(E) && !Queued[To->getBlockID()]) {
        Queued[To->getBlockID()] = true;
        Work.push_back(To);
      }
    }
  }

  // 3. Record, block by block in a stable order.
  for (const CFGBlock *Blk : *G) {
    State S = In[Blk->getBlockID()];
    if (!S.Reachable)
      continue;
    transfer(Blk, S, true);
  }
  for (unsigned K = 0; K < Pre.Spawns.size(); ++K) {
    const CallExpr *CE = Pre.Spawns[K];
    const FunctionRule *Rule = ruleOf(CE);
    const State &S = SpawnStates[K].S;
    ms_spawn Sp;
    Sp.func = Fn;
    const Expr *EntryE = argOf(CE, Rule->Entry);
    const auto *EntryRef = EntryE ? dyn_cast<DeclRefExpr>(EntryE->IgnoreParenCasts()) : nullptr;
    const auto *EntryFD = EntryRef ? dyn_cast<FunctionDecl>(EntryRef->getDecl()) : nullptr;
    Sp.entry = EntryFD ? B.functionId(EntryFD) : MS_NONE;
    Sp.loc = B.locId(CE->getBeginLoc());
    const FunctionDecl *Api = CE->getDirectCallee();
    Sp.api = ms_strn(F, Api->getName().data(), Api->getName().size());
    Sp.handle = handleKey(SpawnHandles[K]);
    Sp.multiplicity = Rule->Many || S.hasLive(SpawnBase + K) ? MS_MULT_MANY : MS_MULT_ONE;
    std::vector<ms_field_value> Fields;
    const Expr *ArgE = argOf(CE, Rule->Arg);
    Sp.arg_param = ArgE ? Rule->EntryParam : -1;
    Sp.arg = ArgE ? value(ArgE, CE, true, Fields) : ms_value{ms_path_unknown(), 0, nullptr, 0};
    Sp.locks = lockset(S);
    std::vector<ms_id> Live;
    Sp.live = liveSet(S, Live);
    ms_add_spawn(F, &Sp);
  }

  // The summary: the state at the exit.
  const State &Exit = In[G->getExit().getBlockID()];
  if (Exit.Reachable) {
    Out.Acquires.assign(Exit.Locks.begin(), Exit.Locks.end());
    Out.Releases.assign(Exit.Released.begin(), Exit.Released.end());
    Out.LiveAtExit.assign(Exit.Live.begin(), Exit.Live.end());
  }
  Out.Joins = JoinedHandles;
  std::vector<ms_id> LiveIds = Exit.Reachable ? Exit.liveIds() : std::vector<ms_id>();
  std::vector<ms_id> JoinKeys;
  for (const ms_path &H : Out.Joins)
    if (ms_id K = handleKey(H); K != MS_NONE)
      JoinKeys.push_back(K);
  ms_lockset A{Out.Acquires.data(), (uint32_t)Out.Acquires.size()};
  ms_lockset Rl{Out.Releases.data(), (uint32_t)Out.Releases.size()};
  ms_idset L{LiveIds.data(), (uint32_t)LiveIds.size()};
  ms_idset J{JoinKeys.data(), (uint32_t)JoinKeys.size()};
  ms_set_function_effects(F, Fn, &A, &Rl, &L, &J);
  F->functions.items[Fn].defined = 1;
  return true;
}

} // namespace mapsafe
