//===--- Dataflow.cpp - a function's phases: prepare, solve, record -------===//
//
// prepare    the calls as the function's class found them (the rule of
//            each, or the callee, analysed first); then the prepass;
// (or)       a function without locks and threads, its own or its callees',
//            has nothing for a dataflow to track: its calls are recorded
//            in source order, and no CFG is built;
// solve      the state (State.cpp) is propagated over clang's CFG with a
//            worklist until it settles; a trylock adds its lock on the edge
//            where it succeeded, the exit of a loop that joins handles
//            kills their threads, a spawn's failure branch has no thread;
// number     the call facts get their ids before any fact refers to them;
// record     every reachable block is replayed from its entry state and a
//            fact is written at each call the rules know and each call of
//            another function of the file that has facts;
// summarise  the state at the exit becomes the function's body facts.
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtOpenMP.h"
#include "clang/Basic/SourceManager.h"
#include <cstring>
#include <deque>
#include <memory>

using namespace clang;

namespace mapsafe {

using namespace facts;

FactBuilder::FunctionAnalysis::FunctionAnalysis(FactBuilder &Builder, const FunctionDecl *FD)
    : Builder(Builder), FD(FD), Ctx(Builder.Ctx), RuleTable(Builder.R), Facts(Builder.F) {}

// ---- the state's sets as facts ------------------------------------------------

ms_id FactBuilder::FunctionAnalysis::callId(const CallExpr *CE) const {
  auto It = CallIds.find(CE);
  assert(It != CallIds.end() && "a call the state refers to was not numbered");
  return It != CallIds.end() ? It->second : MS_NONE;
}

void FactBuilder::FunctionAnalysis::toFacts(const State &S, FactSets &Out) {
  auto Calls = [&](llvm::ArrayRef<const CallExpr *> Cs) {
    std::vector<ms_id> Ids;
    for (const CallExpr *C : Cs)
      Ids.push_back(callId(C));
    return Out.ids(std::move(Ids));
  };
  for (const HeldLock &H : S.Locks) {
    ms_held E;
    std::memset(&E, 0, sizeof E);
    E.lock = H.Lock;
    E.mode = H.Mode;
    E.call = H.Call ? callId(H.Call) : MS_NONE;
    E.acquired_at = H.Call ? Builder.locId(H.Call->getBeginLoc()) : H.AcquiredAt;
    E.released = Out.paths(H.Released);
    E.released_by = Calls(H.ReleasedBy);
    Out.Locks.push_back(E);
  }
  for (const RunningThread &T : S.Running) {
    ms_running E;
    std::memset(&E, 0, sizeof E);
    E.spawn = T.Call ? MS_NONE : SpawnBase + T.Spawn;
    E.call = T.Call ? callId(T.Call) : MS_NONE;
    E.joined = Out.paths(T.Joined);
    E.joined_by = Calls(T.JoinedBy);
    Out.Running.push_back(E);
  }
  for (const ReleasedLock &R : S.Released) {
    ms_release E;
    E.lock = R.Lock;
    E.unless_acquired_by = Calls(R.UnlessAcquiredBy);
    E.some_paths = R.SomePaths;
    Out.Releases.push_back(E);
  }
}

// ---- writing facts ----------------------------------------------------------------

/// Own locks held on some paths to a point, not on all (and not held there).
static llvm::SmallVector<ms_path, 2> maybeHeld(const State &S) {
  llvm::SmallVector<ms_path, 2> Maybe;
  for (const ms_path &P : S.Maybe)
    if (llvm::none_of(S.Locks, [&](const HeldLock &H) { return !H.Call && samePath(H.Lock, P); }))
      Maybe.push_back(P);
  return Maybe;
}

FactBuilder::FunctionAnalysis::Operation
FactBuilder::FunctionAnalysis::callOperation(const CallExpr *CE) {
  Operation Op;
  const FunctionDecl *Callee = CE->getDirectCallee();
  Op.Name = Callee && Callee->getIdentifier() ? Callee->getName() : llvm::StringRef();
  Op.Loc = CE->getBeginLoc();
  Op.Range = CE->getSourceRange();
  Op.Call = CE;
  return Op;
}

FactBuilder::FunctionAnalysis::Operation
FactBuilder::FunctionAnalysis::macroOperation(const MacroSite &M) const {
  Operation Op;
  Op.Name = M.Use->Shown;
  Op.Loc = M.Use->Name;
  // The range as written (in a wrapper macro: the wrapper's use).
  Op.Range = Ctx.getSourceManager().getExpansionRange(M.Use->Range).getAsRange();
  Op.Call = dyn_cast<CallExpr>(M.Top);
  Op.MacroArgs = &M.Args;
  return Op;
}

void FactBuilder::FunctionAnalysis::recordAccess(const Operation &Op, const MapOpRule &Rule,
                                                 const State &S) {
  ms_access A;
  std::memset(&A, 0, sizeof A);
  A.func = Fn;
  A.loc = Builder.locId(Op.Loc);
  A.kind = Rule.Access;
  A.api = str(Op.Name);
  A.library = str(Rule.Library);
  if (!Rule.ReadWhen.empty())
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
            Op.arg(Rule.ReadWhenArg) ? Op.arg(Rule.ReadWhenArg)->IgnoreParenImpCasts() : nullptr))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl());
          EC && EC->getName() == Rule.ReadWhen)
        A.kind = MS_ACC_READ;
  if (Rule.Implicit) {
    // The process's one table of this library.
    A.map = ms_path_unknown();
    A.map.base = MS_BASE_GLOBAL;
    A.map.name = str("(" + Rule.Library + ")");
    A.map.display = str(Rule.Library);
  } else if (Rule.Map.isReturn())
    A.map = Op.Call ? resultPath(Op.Call) : ms_path_unknown();
  else if (const Expr *M = Op.arg(Rule.Map)) {
    A.map = pointee(M);
    // A field of a local the call owned until it published it, past that
    // point: the graph says where ownership ended.
    if (A.map.base == MS_BASE_LOCAL && A.map.depth && !A.map.owned)
      if (const VarDecl *VD = baseVar(M); VD && VD->hasLocalStorage())
        if (clang::SourceLocation End = Builder.publishedAt(FD, VD); End.isValid())
          A.published_at = Builder.locId(End) + 1;
  } else if (const Expr *It = Op.arg(Rule.Iterator)) {
    // An operation through an iterator: the map it was set up on.
    const Expr *IE = It->IgnoreParenCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(IE))
      IE = UO->getOpcode() == UO_AddrOf ? UO->getSubExpr()->IgnoreParenCasts() : IE;
    const VarDecl *IV = localVar(IE);
    auto Found = IV ? Body.IteratorMaps.find(IV) : Body.IteratorMaps.end();
    A.map = Found != Body.IteratorMaps.end() ? pointee(Found->second) : ms_path_unknown();
  } else {
    A.map = ms_path_unknown();
  }
  A.key_type = Rule.KeyType.empty() ? typeName(Op.arg(Rule.Key)) : str(Rule.KeyType);
  A.value_type = typeName(Op.arg(Rule.Value));
  if (const FunctionDecl *HashFn = namedFunction(Op.arg(Rule.Hash));
      HashFn && HashFn->getIdentifier())
    if (llvm::StringRef KT = RuleTable.keyTypeForHash(HashFn->getName()); !KT.empty())
      A.key_type = str(KT);
  FactSets Sets;
  setState(A, S, Sets);
  // A lazy creation is told at the test that found the place empty.
  const Expr *Test = Rule.Access == MS_ACC_CREATE ? lazyCreation(Op.Loc, A.map) : nullptr;
  A.lazy = Test != nullptr;
  if (Test)
    A.loc = Builder.locId(Test->getBeginLoc());
  A.nonnull_param = nonnullParam(Op.Loc);
  addAccess(A, Test ? Test->getSourceRange() : Op.Range);
  // Destroying a map frees memory (the owner's teardown, with the lock's).
  Frees |= Rule.Access == MS_ACC_DESTROY;
}

/// The state at an access as its fact's sets (they point into Sets).
void FactBuilder::FunctionAnalysis::setState(ms_access &A, const State &S, FactSets &Sets) {
  toFacts(S, Sets);
  A.locks = Sets.lockset();
  A.live = Sets.threadset();
  A.maybe_locks = Sets.paths(maybeHeld(S));
  A.teardown = S.Teardown;
}

/// Adds an access fact and the source range diagnostics point at.
void FactBuilder::FunctionAnalysis::addAccess(const ms_access &A, clang::SourceRange Range) {
  ms_id Id = Builder.check(ms_add_access(Facts, &A));
  if (Id == MS_NONE)
    return;
  if (Builder.AccessRanges.size() <= Id)
    Builder.AccessRanges.resize(Id + 1);
  Builder.AccessRanges[Id] = Range;
}

/// The test, if any, that a creation stored into Map runs under when it
/// found Map empty: the creation lies in the `then` of `if (!m)` or `if (m
/// == NULL)` on the same place (the innermost such `if`).
const Expr *FactBuilder::FunctionAnalysis::lazyCreation(SourceLocation Loc, const ms_path &Map) {
  const Expr *Found = nullptr;
  if (isUnknown(Map) || Map.base == MS_BASE_LOCAL)
    return Found;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation At = SM.getExpansionLoc(Loc);
  for (const IfStmt *If : Body.Ifs) {
    const Stmt *Then = If->getThen();
    const Expr *Cond = If->getCond() ? If->getCond()->IgnoreParenImpCasts() : nullptr;
    if (!Then || !Cond ||
        !SM.isPointWithin(At, SM.getExpansionLoc(Then->getBeginLoc()),
                          SM.getExpansionLoc(Then->getEndLoc())))
      continue;
    const Expr *Tested = nullptr;
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot)
      Tested = UO->getSubExpr();
    else if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->getOpcode() == BO_EQ) {
      auto Null = [&](const Expr *E) {
        return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
      };
      Tested = Null(BO->getRHS()) ? BO->getLHS() : Null(BO->getLHS()) ? BO->getRHS() : nullptr;
    }
    if (Tested && Tested->getType()->isPointerType() && samePath(pointee(Tested), Map) &&
        (!Found || SM.isBeforeInTranslationUnit(Found->getBeginLoc(), Cond->getBeginLoc())))
      Found = Cond;
  }
  return Found;
}

/// 1 + the parameter that an `if` around CE tests for not being NULL (the
/// then-branch of `if (p)` or `if (p != NULL)`, the else-branch of `if (!p)`
/// or `if (p == NULL)`), p never changed in the body; 0 when there is none.
uint32_t FactBuilder::FunctionAnalysis::nonnullParam(SourceLocation Loc) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation At = SM.getExpansionLoc(Loc);
  for (const auto &[Branch, Param] : nonnullBranches())
    if (SM.isPointWithin(At, SM.getExpansionLoc(Branch->getBeginLoc()),
                         SM.getExpansionLoc(Branch->getEndLoc())))
      return Param;
  return 0;
}

/// The branches that run only when a parameter (1 + its index) is not NULL,
/// found once per function.
const std::vector<std::pair<const Stmt *, uint32_t>> &
FactBuilder::FunctionAnalysis::nonnullBranches() {
  if (NonNullBranches)
    return *NonNullBranches;
  NonNullBranches.emplace();
  for (const IfStmt *If : Body.Ifs) {
    const Expr *Cond = If->getCond() ? If->getCond()->IgnoreParenImpCasts() : nullptr;
    bool NonNullInThen = true;
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Cond); UO && UO->getOpcode() == UO_LNot) {
      Cond = UO->getSubExpr()->IgnoreParenImpCasts();
      NonNullInThen = false;
    } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Cond);
               BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
      auto Null = [&](const Expr *E) {
        return E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
      };
      Cond = Null(BO->getRHS()) ? BO->getLHS()->IgnoreParenImpCasts()
             : Null(BO->getLHS()) ? BO->getRHS()->IgnoreParenImpCasts()
                                  : nullptr;
      NonNullInThen = BO->getOpcode() == BO_NE;
    }
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Cond);
    const auto *PD = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    const Stmt *Branch = NonNullInThen ? If->getThen() : If->getElse();
    if (!PD || !Branch || !PD->getType()->isPointerType() || Body.ChangedParams.count(PD))
      continue;
    for (unsigned I = 0; I < FD->getNumParams(); ++I)
      if (FD->getParamDecl(I) == PD)
        NonNullBranches->emplace_back(Branch, I + 1);
  }
  return *NonNullBranches;
}

/// `m = NULL` of a map others can reach: the map is gone for them, a write
/// of its place as a destruction is.
void FactBuilder::FunctionAnalysis::recordClear(const BinaryOperator *BO, const State &S) {
  ms_access A;
  std::memset(&A, 0, sizeof A);
  A.func = Fn;
  A.loc = Builder.locId(BO->getBeginLoc());
  A.kind = MS_ACC_DESTROY;
  A.api = str("= NULL");
  A.library = A.key_type = A.value_type = MS_NONE;
  A.map = object(BO->getLHS());
  FactSets Sets;
  setState(A, S, Sets);
  addAccess(A, BO->getSourceRange());
}

/// A call fact from here to Callee, with the state at CE and the given
/// arguments (the engine binds them to Callee's parameters).
void FactBuilder::FunctionAnalysis::recordCall(const CallExpr *CE, const FunctionDecl *Callee,
                                               const State &S, std::vector<ms_value> &Args,
                                               bool Callback) {
  ms_call C;
  std::memset(&C, 0, sizeof C);
  C.caller = Fn;
  C.callee = Builder.functionId(Callee);
  C.loc = Builder.locId(CE->getBeginLoc());
  C.callback = Callback;
  FactSets Sets;
  toFacts(S, Sets);
  C.locks = Sets.lockset();
  C.live = Sets.threadset();
  C.maybe_locks = Sets.paths(maybeHeld(S));
  C.nonnull_param = Callback ? 0 : nonnullParam(CE->getBeginLoc());
  C.args = Args.data();
  C.arg_count = static_cast<uint32_t>(Args.size());
  Builder.check(ms_add_call(Facts, &C));
}

void FactBuilder::FunctionAnalysis::recordUserCall(const CallExpr *CE, const FunctionDecl *Callee,
                                                   const State &S) {
  std::vector<ms_value> Args;
  std::vector<ms_field_value> NoFields;
  for (const Expr *A : CE->arguments()) {
    ms_value V = A->getType()->isPointerType() ? value(A, CE, false, NoFields)
                                               : ms_value{ms_path_unknown(), 0, 0, nullptr, 0};
    V.null = (A->getType()->isPointerType() || isa<IntegerLiteral>(A->IgnoreParenCasts())) &&
             A->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
    Args.push_back(V);
  }
  recordCall(CE, Callee, S, Args, false);
}

/// The function a map operation calls back, if it is one of this file's
/// that has facts.
const FunctionDecl *FactBuilder::FunctionAnalysis::callbackOf(const CallExpr *CE,
                                                              ArgRef Callback) {
  const FunctionDecl *Cb = namedFunction(argOf(CE, Callback));
  return Cb && Builder.withFacts(Cb) ? Cb : nullptr;
}

/// The callback runs here, in this thread: a call with the callback data
/// bound to its parameter.
void FactBuilder::FunctionAnalysis::recordCallback(const CallExpr *CE, const FunctionDecl *Cb,
                                                   ArgRef DataArg, int Param, const State &S) {
  std::vector<ms_value> Args(Cb->getNumParams(), ms_value{ms_path_unknown(), 0, 0, nullptr, 0});
  const Expr *Data = argOf(CE, DataArg);
  if (Data && (unsigned)Param < Args.size()) {
    std::vector<ms_field_value> NoFields;
    Args[Param] = value(Data, CE, false, NoFields);
  }
  recordCall(CE, Cb, S, Args, true);
}

/// The class of the user function CE calls, if it has facts: one of this
/// file's, or one defined elsewhere (which may do anything).
const FactBuilder::FunctionClass *FactBuilder::FunctionAnalysis::userCallee(const CallExpr *CE) {
  static const FunctionClass Elsewhere = [] {
    FunctionClass C;
    C.TouchesLocks = C.TouchesThreads = true;
    return C;
  }();
  if (Body.ExternalCalls.count(CE))
    return &Elsewhere;
  const FunctionDecl *Callee = Body.UserCalls.lookup(CE);
  return Callee ? Builder.withFacts(Callee) : nullptr;
}

// ---- the transfer functions -------------------------------------------------------

/// The spawns whose threads start running at CE (deferred ones): they run
/// from here on, unless they already do.  Any of these calls may be the
/// first (the state here merges the paths through earlier ones, as in a
/// loop of pushes): the spawn fact takes the state of every one, merged,
/// without the spawn's own threads.
void FactBuilder::FunctionAnalysis::startDeferred(const CallExpr *CE, State &S, bool Record) {
  auto It = Body.Starts.find(CE);
  if (It == Body.Starts.end())
    return;
  for (int K : It->second) {
    SpawnSite &Site = SpawnSites[K];
    if (Record) {
      State Before = S;
      Before.spawnFailed(K); // its own threads are not running yet
      if (!Site.Reached)
        Site.S = Before;
      else
        Site.S.join(Before);
      Site.Reached = true;
    }
    if (!S.running(K))
      S.spawned(K, Site.Handle);
  }
}

void FactBuilder::FunctionAnalysis::lockEffect(const Operation &Op, const LockRule &R, State &S,
                                               bool Record) {
  if (R.Lock.isReturn()) {
    // Returns an object with the lock in one of its fields held.
    const RecordDecl *RD = Op.Call ? Op.Call->getType()->getPointeeType().isNull()
                                         ? nullptr
                                         : Op.Call->getType()->getPointeeType()->getAsRecordDecl()
                                   : nullptr;
    const FieldDecl *Field = nullptr;
    if (RD)
      for (const FieldDecl *FDecl : RD->fields())
        if (FDecl->getName() == R.Field)
          Field = FDecl;
    if (Field)
      S.acquire(withField(resultPath(Op.Call), Field), R.Mode, Builder.locId(Op.Loc));
    return;
  }
  const Expr *L = Op.arg(R.Lock);
  if (!L)
    return;
  if (R.What == LockRule::Acquire) {
    S.acquire(pointee(L), R.Mode, Builder.locId(Op.Loc));
  } else if (R.What == LockRule::Release) {
    S.release(pointee(L));
  } else if (R.What != LockRule::TryAcquire && Record) {
    // Set up or torn down here (the owner's init and teardown).  A lock
    // set up in a local and then stored in one place (`m` made, then
    // `cache_mutex = m`) is the stored one.
    ms_path P = pointee(L);
    if (const auto *UO = dyn_cast<UnaryOperator>(L->IgnoreParenImpCasts());
        UO && UO->getOpcode() == UO_AddrOf)
      if (const VarDecl *VD = localVar(UO->getSubExpr()))
        if (auto Esc = Body.Escapes.find(VD); Esc != Body.Escapes.end() && Esc->second.size() == 1)
          if (ms_path T = object(Esc->second.front(), 1); T.base == MS_BASE_GLOBAL || T.depth)
            P = T;
    auto &Into = R.What == LockRule::Init ? LockInits : LockDestroys;
    if (!isUnknown(P) && llvm::none_of(Into, [&](const ms_path &Q) { return samePath(P, Q); }))
      Into.push_back(P);
  } // a try-acquire acquires on its success edge, see edge()
}

/// A rule's macro, at the first element of the CFG its expansion is made
/// of: a map operation recorded, a lock taken or released.
void FactBuilder::FunctionAnalysis::site(unsigned K, State &S, bool Record) {
  const MacroSite &M = Body.Macros->Sites[K];
  const Rule *R = M.Use->R;
  if (R->lock)
    lockEffect(macroOperation(M), *R->lock, S, Record);
  else if (R->mapOp && Record && !R->mapOp->Synchronized)
    recordAccess(macroOperation(M), *R->mapOp, S);
}

/// The element of the CFG where each expansion is applied: one of those it
/// is made of that runs first, taken as the first element of the block
/// built last (clang builds a CFG backwards: the block that control enters
/// the expansion by has the highest number).  Nothing inside an expansion
/// changes the state but a lock macro itself, and taking or releasing a
/// lock again changes nothing, so any element of the first block does.  An
/// expansion that is a bare part of an element (`v = kh_val (h, k);`) is
/// applied at the innermost element around it.
void FactBuilder::FunctionAnalysis::findAnchors(const CFG &G) {
  if (!Body.Macros || Body.Macros->Sites.empty())
    return;
  struct Pick {
    const Stmt *S = nullptr;
    unsigned Block = 0, Index = 0;
    bool better(unsigned B, unsigned I) const { return !S || B > Block || (B == Block && I < Index); }
  };
  const std::vector<MacroSite> &Sites = Body.Macros->Sites;
  std::vector<Pick> First(Sites.size());
  unsigned Missing = static_cast<unsigned>(Sites.size());
  // Where each element is, for the expansions that own none (asked only
  // when there are such).
  llvm::DenseMap<const Stmt *, std::pair<unsigned, unsigned>> Elements;
  for (bool Owned : {true, false}) {
    if (!Owned && !Missing)
      break;
    for (const CFGBlock *Blk : G) {
      unsigned Index = 0;
      for (const CFGElement &E : *Blk) {
        unsigned I = Index++;
        auto CS = E.getAs<CFGStmt>();
        if (!CS)
          continue;
        const Stmt *St = CS->getStmt();
        int K = Body.Macros->siteOf(St);
        if (!Owned && K < 0)
          Elements.try_emplace(St, Blk->getBlockID(), I);
        if (!Owned || K < 0)
          continue;
        Pick &Cur = First[K];
        Missing -= !Cur.S;
        if (Cur.better(Blk->getBlockID(), I))
          Cur = Pick{St, Blk->getBlockID(), I};
      }
    }
  }
  for (unsigned K = 0; Missing && K < First.size(); ++K) {
    if (First[K].S)
      continue;
    for (auto A = Sites[K].Around.rbegin(); A != Sites[K].Around.rend(); ++A)
      if (auto It = Elements.find(*A); It != Elements.end()) {
        First[K] = Pick{*A, It->second.first, It->second.second};
        break;
      }
  }
  for (unsigned K = 0; K < First.size(); ++K)
    if (First[K].S)
      Body.MacroAnchors[First[K].S].push_back(K);
}

void FactBuilder::FunctionAnalysis::call(const CallExpr *CE, State &S, bool Record) {
  startDeferred(CE, S, Record);
  if (const Rule *R = Body.Rules.lookup(CE)) {
    switch (R->What) {
    case Rule::Lock:
      lockEffect(callOperation(CE), *R->lock, S, Record);
      return;
    case Rule::Allocator:
      Frees |= Record && R->allocator->What == AllocatorRule::Free;
      return; // a last-reference test works on its branch, see edge()
    case Rule::Alias:
    case Rule::Params:
      return;
    case Rule::CallsBack:
      if (Record)
        if (const FunctionDecl *Cb = callbackOf(CE, R->callsBack->Callback))
          recordCallback(CE, Cb, R->callsBack->CallbackData, R->callsBack->CallbackParam, S);
      return;
    case Rule::MapOp:
      if (Record && !R->mapOp->Synchronized) {
        recordAccess(callOperation(CE), *R->mapOp, S);
        if (const FunctionDecl *Cb = callbackOf(CE, R->mapOp->Callback))
          recordCallback(CE, Cb, R->mapOp->CallbackData, R->mapOp->CallbackParam, S);
      }
      return;
    case Rule::Spawn: {
      auto It = llvm::find(Body.Spawns, CE);
      if (It == Body.Spawns.end())
        return;
      int K = static_cast<int>(It - Body.Spawns.begin());
      if (SpawnSites[K].Deferred)
        return; // its threads run from the first call that starts them
      if (Record) {
        SpawnSites[K].Reached = true;
        SpawnSites[K].S = S;
      }
      S.spawned(K, SpawnSites[K].Handle);
      // What the calling thread runs once the work is done, while other
      // work may still run.
      if (Record)
        if (const FunctionDecl *After = callbackOf(CE, R->spawn->After))
          recordCallback(CE, After, R->spawn->Arg, R->spawn->AfterParam, S);
      return;
    }
    case Rule::Join: {
      const Expr *H = joinedHandle(CE, *R->join);
      if (!H)
        return;
      ms_path Handle = handlePath(H, false);
      auto NoteJoined = [&] {
        if (Record && !isUnknown(Handle) &&
            !llvm::any_of(JoinedHandles, [&](const ms_path &P) { return samePath(P, Handle); }))
          JoinedHandles.push_back(Handle);
      };
      // One element of an array of handles (t[0], or t[i] in a loop) is not
      // the whole array: only the exit of a loop that joins them is
      // (edge()), or the join of the last of its elements joined one by one
      // with constant indices.
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(H->IgnoreParenCasts())) {
        if (Body.CallLoop.lookup(CE)) {
          NoteJoined();
          return;
        }
        unsigned Index = 0, Size = 0;
        if (constantElement(AS, Index, Size) && S.joinedElement(Handle, Index, Size)) {
          NoteJoined();
          S.joined(Handle);
        }
        return;
      }
      NoteJoined();
      S.joined(Handle);
      S.Teardown = true; // after a join: what the thread shared is being torn down
      return;
    }
    }
    return;
  }
  // A call of another function of this file that has facts: recorded, and
  // later facts refer to it where its callee may have changed the state.
  const FunctionClass *Callee = userCallee(CE);
  if (!Callee)
    return;
  if (Record)
    recordUserCall(CE, Body.UserCalls.lookup(CE), S);
  S.call(CE, Callee->TouchesLocks, Callee->TouchesThreads);
}

/// Whether AS is an element with a constant index of an array of known
/// size (`t[2]` of `pthread_t t[4]`, `pool.thr[0]`).
bool FactBuilder::FunctionAnalysis::constantElement(const ArraySubscriptExpr *AS,
                                                    unsigned &Index, unsigned &Size) {
  const Expr *Base = AS ? AS->getBase() : nullptr;
  const Expr *Idx = AS ? AS->getIdx() : nullptr;
  if (!Base || !Idx || Idx->isValueDependent())
    return false;
  Base = Base->IgnoreParenImpCasts();
  const ConstantArrayType *AT =
      Base->getType().isNull() ? nullptr : Ctx.getAsConstantArrayType(Base->getType());
  Expr::EvalResult Res;
  if (!AT || !Idx->EvaluateAsInt(Res, Ctx))
    return false;
  const llvm::APSInt &I = Res.Val.getInt();
  uint64_t N = AT->getSize().getZExtValue();
  if (I.isNegative() || I.getActiveBits() > 32 || N == 0 || N > 64 || I.getZExtValue() >= N)
    return false;
  Index = static_cast<unsigned>(I.getZExtValue());
  Size = static_cast<unsigned>(N);
  return true;
}

void FactBuilder::FunctionAnalysis::transfer(const CFGBlock *Blk, State &S, bool Record) {
  auto Element = [&](const Stmt *St, State &At, bool Rec) {
    if (!Body.MacroAnchors.empty())
      if (auto It = Body.MacroAnchors.find(St); It != Body.MacroAnchors.end())
        for (unsigned K : It->second)
          site(K, At, Rec);
    if (const auto *CE = dyn_cast<CallExpr>(St))
      call(CE, At, Rec);
    else if (const auto *BO = dyn_cast<BinaryOperator>(St); BO && Rec && Clears.count(BO))
      recordClear(BO, At);
  };
  for (const CFGElement &E : *Blk) {
    if (auto CS = E.getAs<CFGStmt>()) {
      const Stmt *St = CS->getStmt();
      if (Omp.empty()) {
        Element(St, S, Record);
        continue;
      }
      // OpenMP: critical sections; the elements of a parallel region are
      // recorded as its team's, with what the team holds (OpenMP.cpp).
      if (auto It = CriticalEnter.find(St); It != CriticalEnter.end())
        for (const ms_path &P : It->second)
          if (llvm::none_of(S.Locks, [&](const HeldLock &H) { return !H.Call && samePath(H.Lock, P); }))
            S.acquire(P, MS_LOCK_EXCLUSIVE, Builder.locId(St->getBeginLoc()));
      auto In = InOmp.find(St);
      if (In != InOmp.end() && !isa<OMPExecutableDirective>(St)) {
        OmpRegion &R = Omp[In->second];
        if (Record && St == R.First) {
          R.Entry = R.Reached ? R.Entry : S;
          R.Reached = true;
        }
        if (Record) {
          State View = ompView(S, In->second);
          ms_id Own = Fn;
          Fn = R.Fn;
          Element(St, View, true);
          Fn = Own;
        }
        Element(St, S, false);
      } else {
        Element(St, S, Record);
      }
      if (auto It = CriticalLeave.find(St); It != CriticalLeave.end())
        S.release(It->second);
    } else if (auto CF = E.getAs<CFGCleanupFunction>()) {
      cleanup(*CF, S);
    }
  }
}

/// A variable with __attribute__((cleanup(f))) leaves its scope: f(&var).
/// A release rule for f releases the lock the variable holds (a scoped
/// locker such as g_autoptr(GMutexLocker)).
void FactBuilder::FunctionAnalysis::cleanup(const CFGCleanupFunction &CF, State &S) {
  const FunctionDecl *CleanupFn = CF.getFunctionDecl();
  const VarDecl *VD = CF.getVarDecl();
  if (!CleanupFn || !VD || !VD->hasLocalStorage())
    return;
  const Rule *R = CleanupFn->getIdentifier() ? RuleTable.lookup(CleanupFn->getName()) : nullptr;
  if (R && R->lock && R->lock->What == LockRule::Release && R->lock->Lock.Index == 0) {
    if (VD->getType()->isPointerType())
      S.release(alias(VD, 0));
    return;
  }
  // A project's own cleanup function (its own scoped locker, or the one
  // G_DEFINE_AUTOPTR_CLEANUP_FUNC defines) that locks or unlocks: it ends
  // what the variable's initialiser returned holding, and a release of what
  // its parameter points to releases what the variable points to.
  FunctionClass *C = Builder.classOf(CleanupFn);
  if (!C || !(C->HasLocks || C->TouchesLocks))
    return;
  if (const auto *Init = dyn_cast_or_null<CallExpr>(strip(VD->getInit())))
    S.releaseCall(Init);
  const FunctionDecl *Def = CleanupFn->getDefinition();
  const ParmVarDecl *P = Def && Def->getNumParams() == 1 ? Def->getParamDecl(0) : nullptr;
  if (!P || !VD->getType()->isPointerType())
    return;
  for (const FunctionClass::Call &Call : C->Calls) {
    const LockRule *L = Call.R ? Call.R->lock : nullptr;
    const Expr *Arg = L && L->What == LockRule::Release ? argOf(Call.Expr, L->Lock) : nullptr;
    const auto *UO = Arg ? dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts()) : nullptr;
    const auto *DRE = UO && UO->getOpcode() == UO_Deref
                          ? dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenImpCasts())
                          : nullptr;
    if (DRE && DRE->getDecl() == P)
      S.release(alias(VD, 0));
  }
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
    const Rule *R = ruleOf(CE);
    TrueMeansNonzero = true;
    return R && R->successIsZero() ? CE : nullptr;
  }
  if (const VarDecl *VD = localVar(Cond)) {
    auto It = Body.TryVars.find(VD);
    TrueMeansNonzero = true;
    return It != Body.TryVars.end() ? It->second : nullptr;
  }
  return nullptr;
}

/// Effects of taking a branch: a trylock acquired on its success edge, the
/// handles joined by a loop on its exit edge, no thread where a spawn failed.
void FactBuilder::FunctionAnalysis::edge(const CFGBlock *From, unsigned SuccIndex, State &S) {
  const Stmt *Term = From->getTerminatorStmt();
  if (!Term || From->succ_size() != 2)
    return;
  if (isa<ForStmt>(Term) || isa<WhileStmt>(Term) || isa<DoStmt>(Term) ||
      isa<CXXForRangeStmt>(Term)) {
    auto It = Body.LoopJoins.find(Term);
    if (SuccIndex == 1 && It != Body.LoopJoins.end()) {
      for (const ms_path &H : It->second)
        S.joined(H);
      S.Teardown = true;
    }
  }
  bool TrueMeansNonzero = false;
  const auto *Cond = dyn_cast_or_null<Expr>(const_cast<CFGBlock *>(From)->getTerminatorCondition());
  const CallExpr *Tested = testedCall(Cond, TrueMeansNonzero);
  if (!Tested) {
    // A last-reference test written as a macro (GLib's atomic ones are).
    // Asked on every pass over the edge: remembered per condition.
    // A condition of a map macro's own code (uthash's) is none.
    auto [Memo, New] = CondMacros.try_emplace(Cond, nullptr, false);
    if (New && !mapMacroCode(Cond)) {
      bool Neg = false;
      Memo->second.first = conditionMacro(Cond, Ctx, RuleTable, Neg);
      Memo->second.second = Neg;
    }
    bool Negated = Memo->second.second;
    const Rule *M = Memo->second.first;
    if (M && M->lastReference()) {
      bool Nonzero = (SuccIndex == 0) != Negated;
      if (M->allocator->SuccessIsZero ? !Nonzero : Nonzero)
        S.Teardown = true;
    }
    return;
  }
  const Rule *R = ruleOf(Tested);
  bool Nonzero = SuccIndex == 0 ? TrueMeansNonzero : !TrueMeansNonzero;
  bool Success = *R->successIsZero() ? !Nonzero : Nonzero;
  if (R->lock) {
    if (const Expr *L = Success ? argOf(Tested, R->lock->Lock) : nullptr)
      S.acquire(pointee(L), R->lock->Mode, Builder.locId(Tested->getBeginLoc()));
  } else if (R->allocator) {
    // The last reference was dropped: this branch tears the object down.
    if (Success)
      S.Teardown = true;
  } else if (!Success) {
    // The thread did not start: on this edge it is not running.
    auto It = llvm::find(Body.Spawns, Tested);
    if (It != Body.Spawns.end())
      S.spawnFailed(static_cast<int>(It - Body.Spawns.begin()));
  }
}

// ---- the phases -------------------------------------------------------------------

/// The function's calls as its class found them (whether it needs facts at
/// all is the class's: Classify.cpp), its callees analysed, and the prepass.
bool FactBuilder::FunctionAnalysis::prepare() {
  const FunctionClass *Class = Builder.classOf(FD);
  if (!Class || !Class->Needed)
    return false;
  for (const FunctionClass::Call &C : Class->Calls) {
    const CallExpr *CE = C.Expr;
    Body.Calls.push_back(CE);
    if (C.Callee) {
      Body.UserCalls[CE] = C.Callee;
      if (C.External)
        Body.ExternalCalls.insert(CE);
      else
        Body.Callees.push_back(C.Callee);
      continue;
    }
    Body.Rules[CE] = C.R;
    if (C.R->spawn)
      Body.Spawns.push_back(CE);
    if (const MapOpRule *Op = C.R->mapOp) {
      // An operation through an iterator set up on the map: which map.
      const Expr *MapE = argOf(CE, Op->Map), *ItE = argOf(CE, Op->Iterator);
      if (MapE && ItE)
        if (const auto *UO = dyn_cast<UnaryOperator>(ItE->IgnoreParenCasts()))
          if (UO->getOpcode() == UO_AddrOf)
            if (const VarDecl *IV = localVar(UO->getSubExpr()))
              Body.IteratorMaps[IV] = MapE;
    }
  }
  Body.Macros = &Class->Macros;
  for (const MacroSite &M : Class->Macros.Sites)
    if (const auto *CE = dyn_cast<CallExpr>(M.Top))
      Body.MacroCalls[CE] = M.Use->R;
  Body.HasMaps = Class->HasMaps;
  Body.HasLocks = Class->HasLocks;
  Body.HasThreads = Class->HasThreads;
  Body.HasTeardown = Class->HasTeardown;
  // Callees and callbacks first, so that their facts and ids exist.
  for (const FunctionDecl *Callee : Body.Callees)
    Builder.withFacts(Callee);
  for (const FunctionDecl *Cb : Class->Callbacks)
    Builder.withFacts(Cb);
  prepass(FD->getBody(), Body);
  findOmpRegions();
  // `m = NULL` of a map others can reach: a lifetime access, a write.
  for (const BinaryOperator *BO : Body.Stores)
    if (BO->getRHS()->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) &&
        Builder.isMapType(BO->getLHS()->getType())) {
      ms_path P = object(BO->getLHS());
      if (P.base != MS_BASE_LOCAL && (P.base == MS_BASE_GLOBAL || P.depth))
        Clears.insert(BO);
    }
  // Results of trylocks and spawns kept in variables; joins inside loops.
  for (auto &KV : Body.InitOf)
    if (const Rule *R = ruleOf(KV.first); R && R->successIsZero())
      Body.TryVars[KV.second] = KV.first;
  for (auto &KV : Body.AssignedTo)
    if (const Rule *R = ruleOf(KV.first); R && R->successIsZero())
      if (const VarDecl *VD = localVar(KV.second))
        Body.TryVars[VD] = KV.first;
  SpawnBase = Facts->spawns.count;
  SpawnSites.assign(Body.Spawns.size(), SpawnSite());
  for (size_t K = 0; K < Body.Spawns.size(); ++K) {
    const CallExpr *CE = Body.Spawns[K];
    const SpawnRule &R = *ruleOf(CE)->spawn;
    const Expr *HE = argOf(CE, R.Handle);
    SpawnSites[K].Handle = R.Handle.isReturn() ? returnedHandle(CE)
                           : HE                ? handlePath(HE, true)
                                               : ms_path_unknown();
    if (!R.StartedBy.Function.empty())
      deferStart(static_cast<int>(K));
  }
  for (auto &KV : Body.CallLoop) {
    const Rule *R = KV.second ? ruleOf(KV.first) : nullptr;
    const Expr *HE = R && R->join ? joinedHandle(KV.first, *R->join) : nullptr;
    if (!HE)
      continue;
    ms_path H = handlePath(HE, false);
    if (isUnknown(H))
      continue;
    // A handle read back from the structs the threads were recorded in
    // (`w = g_queue_pop_head (q); g_thread_join (w->thread)` in a loop)
    // joins the threads whose handles this function stored in that field
    // of that struct type.
    llvm::SmallVector<ms_path, 2> Joined{H};
    if (H.base == MS_BASE_UNKNOWN && H.depth && H.field != MS_NONE) {
      Joined.clear();
      for (const SpawnSite &Site : SpawnSites)
        if (Site.Handle.depth && Site.Handle.field == H.field &&
            Site.Handle.field_owner == H.field_owner && Site.Handle.base != MS_BASE_UNKNOWN)
          Joined.push_back(Site.Handle);
    }
    // The join's loop and every loop around it join the handles on exit.
    for (const Stmt *L = KV.second; L; L = Body.LoopParent.lookup(L))
      Body.LoopJoins[L].insert(Body.LoopJoins[L].end(), Joined.begin(), Joined.end());
  }
  return true;
}

/// A spawn whose threads run only once work is started (a pool's first
/// push) is deferred when every use of its handle can be seen here: the
/// handle is kept in a local that holds only this spawn's result (or
/// null), whose address is not taken, and that is used only as an
/// argument of calls, in tests (`!pool`, `pool != NULL`, `if (pool)`) and
/// in the assignment of the spawn's result; and a call that starts the
/// work (the rule's `started-by`) is given it here.  Its threads then
/// start at the first of those calls, or of any other call that is given
/// the handle (a helper may push, a thread may be handed the pool), a join
/// of it aside.  Otherwise (a pool in a global or a field, stored
/// elsewhere, returned, or pushed only in other functions) they run from
/// the spawn, as any spawn's do.
void FactBuilder::FunctionAnalysis::deferStart(int K) {
  const CallExpr *CE = Body.Spawns[K];
  const SpawnRule &R = *ruleOf(CE)->spawn;
  const VarDecl *VD = Body.InitOf.lookup(CE);
  if (!VD)
    if (const Expr *Target = Body.AssignedTo.lookup(CE))
      VD = localVar(Target);
  if (!VD || !VD->hasLocalStorage() || Body.AddressTaken.count(VD))
    return;
  auto Values = Body.Assigns.find(VD);
  if (Values == Body.Assigns.end())
    return;
  for (const Assignment &A : Values->second)
    if (!A.Value || (strip(A.Value) != CE &&
                     !A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull)))
      return;
  auto Names = [&](const Expr *E) -> const DeclRefExpr * {
    const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
    return DRE && DRE->getDecl() == VD ? DRE : nullptr;
  };
  llvm::SmallPtrSet<const DeclRefExpr *, 8> Allowed;
  llvm::SmallVector<const DeclRefExpr *, 8> Uses;
  llvm::SmallVector<const CallExpr *, 4> StartCalls;
  bool Pushed = false; // a call that starts the work is seen here
  llvm::SmallVector<const Stmt *, 64> Stack{FD->getBody()};
  while (!Stack.empty()) {
    const Stmt *St = Stack.pop_back_val();
    if (!St)
      continue;
    for (const Stmt *C : facts::childrenOf(St))
      if (C)
        Stack.push_back(C);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(St)) {
      if (DRE->getDecl() == VD)
        Uses.push_back(DRE);
    } else if (const auto *Call = dyn_cast<CallExpr>(St)) {
      const Rule *CallRule = Body.Rules.lookup(Call);
      const Expr *Joined = CallRule && CallRule->join ? argOf(Call, CallRule->join->Handle) : nullptr;
      if (Joined && CallRule->join->HandleAddress)
        Joined = nullptr; // a pool's handle is not joined by address
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Callee && Callee->getIdentifier() && Callee->getName() == R.StartedBy.Function &&
          Names(argOf(Call, R.StartedBy.Handle)))
        Pushed = true;
      bool Starts = false;
      for (const Expr *Arg : Call->arguments())
        if (const DeclRefExpr *Use = Names(Arg)) {
          Allowed.insert(Use);
          Starts |= Arg != Joined;
        }
      if (Starts)
        StartCalls.push_back(Call);
    } else if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
      BinaryOperatorKind Op = BO->getOpcode();
      if (Op == BO_Assign || Op == BO_EQ || Op == BO_NE || Op == BO_LAnd || Op == BO_LOr)
        if (const DeclRefExpr *Use = Names(BO->getLHS()))
          Allowed.insert(Use);
      if (Op == BO_EQ || Op == BO_NE || Op == BO_LAnd || Op == BO_LOr)
        if (const DeclRefExpr *Use = Names(BO->getRHS()))
          Allowed.insert(Use);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
      if (UO->getOpcode() == UO_LNot)
        if (const DeclRefExpr *Use = Names(UO->getSubExpr()))
          Allowed.insert(Use);
    } else {
      const Expr *Cond = nullptr;
      if (const auto *If = dyn_cast<IfStmt>(St))
        Cond = If->getCond();
      else if (const auto *While = dyn_cast<WhileStmt>(St))
        Cond = While->getCond();
      else if (const auto *Do = dyn_cast<DoStmt>(St))
        Cond = Do->getCond();
      else if (const auto *For = dyn_cast<ForStmt>(St))
        Cond = For->getCond();
      else if (const auto *CO = dyn_cast<ConditionalOperator>(St))
        Cond = CO->getCond();
      if (const DeclRefExpr *Use = Names(Cond))
        Allowed.insert(Use);
    }
  }
  if (!Pushed || llvm::any_of(Uses, [&](const DeclRefExpr *U) { return !Allowed.count(U); }))
    return;
  SpawnSites[K].Deferred = true;
  for (const CallExpr *Call : StartCalls)
    Body.Starts[Call].push_back(K);
}

/// The fixpoint: the entry state of every block, over a worklist.  False
/// when it does not settle within a bound proportional to the CFG.
bool FactBuilder::FunctionAnalysis::solve(const CFG &G) {
  In.assign(G.getNumBlockIDs(), State());
  In[G.getEntry().getBlockID()].Reachable = true;
  std::deque<const CFGBlock *> Work{&G.getEntry()};
  std::vector<bool> Queued(G.getNumBlockIDs(), false);
  Queued[G.getEntry().getBlockID()] = true;
  size_t Steps = 0, Limit = 64 * (size_t)G.getNumBlockIDs() + 256;
  while (!Work.empty()) {
    if (++Steps > Limit)
      return false;
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
  return true;
}

/// Gives every call fact that recording will write its id, in the order
/// recording writes them: lock and thread sets refer to calls made before
/// and after the point they describe.
bool FactBuilder::FunctionAnalysis::numberCalls(const CFG &G) {
  ms_id Next = Facts->calls.count;
  for (const CFGBlock *Blk : G) {
    if (!In[Blk->getBlockID()].Reachable)
      continue;
    for (const CFGElement &E : *Blk) {
      auto CS = E.getAs<CFGStmt>();
      const auto *CE = CS ? dyn_cast<CallExpr>(CS->getStmt()) : nullptr;
      if (!CE)
        continue;
      const Rule *R = Body.Rules.lookup(CE);
      if (R && (R->mapOp || R->callsBack)) {
        if (callbackOf(CE, R->mapOp ? R->mapOp->Callback : R->callsBack->Callback))
          ++Next; // the callback's call fact; nothing refers to it
      } else if (R && R->spawn) {
        if (callbackOf(CE, R->spawn->After))
          ++Next; // what the caller runs afterwards, as a callback
      } else if (!R && userCallee(CE)) {
        CallIds.try_emplace(CE, Next++); // a call in two places is referred to by the first
      }
    }
  }
  NumberedEnd = Next;
  return true;
}

/// Writes the facts, block by block in a stable order, then the spawns.
bool FactBuilder::FunctionAnalysis::record(const CFG &G) {
  for (const CFGBlock *Blk : G) {
    State S = In[Blk->getBlockID()];
    if (S.Reachable)
      transfer(Blk, S, true);
  }
  // Every call fact where numberCalls() said it would be: otherwise the
  // sets would refer to the wrong calls, and the facts must not be used.
  assert(Builder.Failed || Facts->calls.count == NumberedEnd);
  if (Facts->calls.count != NumberedEnd)
    Builder.Failed = true;
  recordSpawns();
  recordOmpSpawns();
  return !Builder.Failed;
}

/// Whether a call's flags argument has a bit of one of the test's
/// enumerators: 1 yes, 0 no, -1 not known.  The enumerators are found in
/// the enumeration the argument itself names (`A | B`): no name is looked
/// up in the translation unit.
int FactBuilder::FunctionAnalysis::flagTest(const CallExpr *CE, const FlagTest &T) {
  const Expr *A = argOf(CE, T.Arg);
  Expr::EvalResult Res;
  if (!A || A->isValueDependent() || !A->EvaluateAsInt(Res, Ctx))
    return -1;
  uint64_t V = Res.Val.getInt().getZExtValue();
  if (V == 0)
    return 0;
  const EnumDecl *Enum = nullptr;
  llvm::SmallVector<const Stmt *, 16> Stack{A};
  while (!Stack.empty() && !Enum) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
        Enum = dyn_cast<EnumDecl>(EC->getDeclContext());
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  if (!Enum)
    return -1;
  for (const EnumConstantDecl *EC : Enum->enumerators())
    if (llvm::is_contained(T.AnyOf, EC->getName().str()) && (V & EC->getInitVal().getZExtValue()))
      return 1;
  return 0;
}

/// Whether this function calls Function with a flags argument that has one
/// of the test's bits.
bool FactBuilder::FunctionAnalysis::calledWithFlags(llvm::StringRef Function, const FlagTest &T) {
  bool Found = false;
  forEachStmt(FD->getBody(), [&](const Stmt *S) {
    const auto *CE = dyn_cast<CallExpr>(S);
    const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
    Found = Callee && Callee->getIdentifier() && Callee->getName() == Function &&
            flagTest(CE, T) == 1;
    return !Found;
  });
  return Found;
}

/// Whether a spawn always starts many instances at once: a pool, or by its
/// flags or options (libmicrohttpd's thread per connection, thread pool).
bool FactBuilder::FunctionAnalysis::spawnsMany(const CallExpr *CE, const SpawnRule &R) {
  bool Many = R.Pool || (R.ManyWhen && flagTest(CE, *R.ManyWhen) == 1);
  if (!R.ManyWith.empty())
    for (const Expr *A : CE->arguments())
      if (const auto *DRE = dyn_cast<DeclRefExpr>(A->IgnoreParenImpCasts()))
        Many |= isa<EnumConstantDecl>(DRE->getDecl()) && DRE->getDecl()->getName() == R.ManyWith;
  return Many;
}

/// One fact per spawn that can be reached; a spawn in unreachable code
/// starts no thread.
void FactBuilder::FunctionAnalysis::recordSpawns() {
  for (size_t K = 0; K < Body.Spawns.size(); ++K) {
    const CallExpr *CE = Body.Spawns[K];
    const SpawnRule &R = *ruleOf(CE)->spawn;
    const SpawnSite &Site = SpawnSites[K];
    ms_spawn Sp;
    std::memset(&Sp, 0, sizeof Sp);
    Sp.func = Fn;
    const FunctionDecl *EntryFD = spawnEntry(CE, R, FD->getBody(), &Body);
    // A spawn that starts threads only with some flags: none without them.
    if (R.When && flagTest(CE, *R.When) != 1)
      EntryFD = nullptr;
    // ... or with a call that sets flags beside it (GDBus's skeleton flags).
    if (!R.WhenCalled.empty() && EntryFD && !calledWithFlags(R.WhenCalled, *R.WhenCalledTest))
      EntryFD = nullptr;
    Sp.entry = Site.Reached && EntryFD ? Builder.functionId(EntryFD) : MS_NONE;
    Sp.loc = Builder.locId(CE->getBeginLoc());
    Sp.api = str(CE->getDirectCallee()->getName());
    Sp.handle = Site.Handle;
    Sp.multiplicity = spawnsMany(CE, R) ? MS_MULT_MANY : MS_MULT_ONE;
    std::vector<ms_field_value> Fields;
    const Expr *ArgE = Site.Reached ? argOf(CE, R.Arg) : nullptr;
    Sp.arg_param = !ArgE ? -1
                   : R.EntryParamLast ? (EntryFD && EntryFD->getNumParams()
                                             ? (int)EntryFD->getNumParams() - 1
                                             : -1)
                                      : R.EntryParam;
    Sp.arg = ArgE ? value(ArgE, CE, true, Fields) : ms_value{ms_path_unknown(), 0, 0, nullptr, 0};
    FactSets Sets;
    toFacts(Site.S, Sets);
    Sp.locks = Sets.lockset();
    Sp.live = Sets.threadset();
    Builder.check(ms_add_spawn(Facts, &Sp));
  }
}

/// The function's body facts: the state at its exit (without a CFG: an
/// exit that is reached with nothing held or running), its joins.
bool FactBuilder::FunctionAnalysis::summarise(const CFG *G) {
  State NoCFG;
  NoCFG.Reachable = true;
  const State &Exit = G ? In[G->getExit().getBlockID()] : NoCFG;
  ms_function Fact;
  std::memset(&Fact, 0, sizeof Fact);
  Fact.defined = 1;
  Fact.returns = Exit.Reachable;
  FactSets Sets;
  if (Exit.Reachable)
    toFacts(Exit, Sets);
  Fact.exit_locks = Sets.lockset();
  Fact.exit_threads = Sets.threadset();
  Fact.releases = Sets.releaseset();
  Fact.joins = Sets.paths(JoinedHandles);
  // What its annotations say its callers hold (requires_capability).
  std::vector<ms_held> Requires;
  for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr *Arg : A->args()) {
      ms_path P = object(Arg);
      if (isUnknown(P))
        continue;
      ms_held H;
      std::memset(&H, 0, sizeof H);
      H.lock = P;
      H.mode = A->isShared() ? MS_LOCK_SHARED : MS_LOCK_EXCLUSIVE;
      H.acquired_at = Builder.locId(FD->getLocation());
      H.call = MS_NONE;
      Requires.push_back(H);
    }
  Fact.requires = ms_lockset{Requires.data(), (uint32_t)Requires.size()};
  Fact.lock_inits = Sets.paths(LockInits);
  Fact.lock_destroys = Sets.paths(LockDestroys);
  Fact.frees = Frees;
  if (ms_set_function_body(Facts, Fn, &Fact))
    Builder.Failed = true;
  return !Builder.Failed;
}

/// Whether the function needs the dataflow: only locks and threads give a
/// program point a state (its own, or a callee's through a call).  Without
/// them every set is empty, and the facts are the calls in source order.
bool FactBuilder::FunctionAnalysis::needsDataflow() {
  if (Body.HasLocks || Body.HasThreads || Body.HasTeardown || !Body.ExternalCalls.empty())
    return true;
  for (const auto &KV : Body.UserCalls)
    if (const FunctionClass *C = Builder.withFacts(KV.second);
        C && (C->TouchesLocks || C->TouchesThreads))
      return true;
  return false;
}

/// The facts of a function that needs no dataflow: every call in source
/// order, with an empty state.
bool FactBuilder::FunctionAnalysis::recordInOrder() {
  State Empty;
  Empty.Reachable = true;
  for (const CallExpr *CE : Body.Calls)
    call(CE, Empty, true);
  for (unsigned K = 0; Body.Macros && K < Body.Macros->Sites.size(); ++K)
    site(K, Empty, true);
  for (const BinaryOperator *BO : Body.Stores)
    if (Clears.count(BO))
      recordClear(BO, Empty);
  return !Builder.Failed;
}

bool FactBuilder::FunctionAnalysis::run() {
  if (!FD->getBody() || !prepare())
    return false;
  Fn = Builder.functionId(FD);
  if (Fn == MS_NONE)
    return false;
  if (!needsDataflow())
    return recordInOrder() && summarise(nullptr);
  CFG::BuildOptions BO;
  BO.setAlwaysAdd(Stmt::CallExprClass); // every call its own element, in order
  BO.PruneTriviallyFalseEdges = true;
  BO.AddImplicitDtors = true; // in C: the cleanup functions of variables
  std::unique_ptr<CFG> G = CFG::buildCFG(FD, const_cast<Stmt *>(FD->getBody()), &Ctx, BO);
  if (!G)
    return false;
  findAnchors(*G);
  findOmpAnchors(*G);
  if (!solve(*G)) {
    // It did not settle: no facts about this body, and the user is told.
    ms_function Unsettled;
    std::memset(&Unsettled, 0, sizeof Unsettled);
    Unsettled.unsettled = 1;
    if (ms_set_function_body(Facts, Fn, &Unsettled))
      Builder.Failed = true;
    return false;
  }
  return numberCalls(*G) && record(*G) && summarise(G.get());
}

} // namespace mapsafe
