//===--- FactBuilder.cpp - from clang's AST and CFG to mapsafe facts ------===//
//
// Per function, in three steps (FunctionAnalysis):
//
//  1. Prepass: one walk over the body notes what the dataflow needs to know
//     ahead: the loop around each call, the values assigned to each local,
//     the stores into fields of local structs, the calls that start and join
//     threads, the variables that receive trylock results and iterators.
//  2. Fixpoint: the lock/thread state is propagated over the CFG blocks
//     until it is stable (locks intersect at joins, running threads unite).
//  3. Record: each reachable block is replayed from its entry state and the
//     facts are written with the state in force at each call.
//
// Nothing here names an API: every library function is looked up in the
// rules.
//
//===----------------------------------------------------------------------===//
#include "FactBuilder.h"

#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <deque>
#include <memory>
#include <string>

using namespace clang;

namespace mapsafe {

namespace fb {
/// A thread possibly running, with its handle as the function names it.
struct LiveSpawn {
  ms_id Spawn;
  ms_path Handle;
};
} // namespace fb

struct FactBuilder::Summary {
  std::vector<ms_held> Acquires; // held at return, not held on entry
  std::vector<ms_held> Releases; // released, held on entry
  std::vector<fb::LiveSpawn> LiveAtExit; // spawns possibly running at return
  std::vector<ms_path> Joins;            // handles joined
};

namespace fb {

bool samePath(const ms_path &A, const ms_path &B) { return ms_path_equal(&A, &B); }

const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *N = E->IgnoreParenCasts();
    if (const auto *SE = dyn_cast<StmtExpr>(N)) {
      // ({ ...; value; }) as in GLib's g_new: the value is the last statement.
      const CompoundStmt *CS = SE->getSubStmt();
      const Stmt *Last = CS && !CS->body_empty() ? CS->body_back() : nullptr;
      N = dyn_cast_or_null<Expr>(Last);
    }
    if (N == E)
      return E;
    E = N;
  }
  return E;
}

/// The program state the dataflow tracks.
struct State {
  bool Reachable = false;
  llvm::SmallVector<ms_held, 4> Locks;
  llvm::SmallVector<ms_held, 2> Released; // released without being acquired here
  llvm::SmallVector<LiveSpawn, 4> Live;

  int findLock(const ms_path &P) const {
    for (unsigned I = 0; I < Locks.size(); ++I)
      if (samePath(Locks[I].lock, P))
        return static_cast<int>(I);
    return -1;
  }
  void acquire(const ms_path &P, ms_lock_mode M, ms_id At) {
    if (P.base == MS_BASE_UNKNOWN && P.depth == 0) {
      // A lock we cannot name is still a lock: keep it, the engine treats
      // it as excluding everything.
    }
    int I = findLock(P);
    if (I >= 0) {
      Locks[I].mode = M;
      return;
    }
    Locks.push_back(ms_held{P, M, At});
  }
  void release(const ms_path &P) {
    int I = findLock(P);
    if (I >= 0) {
      Locks.erase(Locks.begin() + I);
      return;
    }
    for (const ms_held &H : Released)
      if (samePath(H.lock, P))
        return;
    Released.push_back(ms_held{P, MS_LOCK_EXCLUSIVE, MS_NONE});
  }
  bool hasLive(ms_id S) const {
    return llvm::any_of(Live, [&](const LiveSpawn &L) { return L.Spawn == S; });
  }
  void addLive(ms_id S, const ms_path &Handle) {
    if (!hasLive(S))
      Live.push_back(LiveSpawn{S, Handle});
  }
  /// The threads started with this handle are joined.
  void joined(const ms_path &Handle) {
    if (Handle.base == MS_BASE_UNKNOWN && !Handle.depth)
      return;
    llvm::erase_if(Live, [&](const LiveSpawn &L) { return samePath(L.Handle, Handle); });
  }
  std::vector<ms_id> liveIds() const {
    std::vector<ms_id> Ids;
    for (const LiveSpawn &L : Live)
      Ids.push_back(L.Spawn);
    return Ids;
  }

  /// Merges another path's state into this one; returns whether it changed.
  bool join(const State &O) {
    if (!O.Reachable)
      return false;
    if (!Reachable) {
      *this = O;
      return true;
    }
    bool Changed = false;
    for (unsigned I = 0; I < Locks.size();) {
      int J = O.findLock(Locks[I].lock);
      if (J < 0) {
        Locks.erase(Locks.begin() + I);
        Changed = true;
        continue;
      }
      if (O.Locks[J].mode == MS_LOCK_SHARED && Locks[I].mode != MS_LOCK_SHARED) {
        Locks[I].mode = MS_LOCK_SHARED;
        Changed = true;
      }
      ++I;
    }
    for (const ms_held &H : O.Released) {
      bool Have = false;
      for (const ms_held &K : Released)
        Have |= samePath(K.lock, H.lock);
      if (!Have) {
        Released.push_back(H);
        Changed = true;
      }
    }
    for (const LiveSpawn &L : O.Live)
      if (!hasLive(L.Spawn)) {
        Live.push_back(L);
        Changed = true;
      }
    return Changed;
  }
};

struct Assignment {
  const Expr *Value;
  const Stmt *Loop;
  const Expr *Target; // the lvalue assigned (field stores), or null
};

/// What the prepass learns about a function body.
struct Prepared {
  llvm::DenseMap<const Stmt *, const Stmt *> LoopParent;
  llvm::DenseMap<const CallExpr *, const Stmt *> CallLoop;
  llvm::DenseMap<const VarDecl *, const Stmt *> VarLoop;
  llvm::DenseMap<const VarDecl *, std::vector<Assignment>> Assigns;
  llvm::DenseMap<const VarDecl *, std::vector<Assignment>> FieldStores; // by base variable (local or global)
  llvm::DenseMap<const VarDecl *, std::vector<const Expr *>> Escapes;   // stored into
  llvm::SmallPtrSet<const VarDecl *, 8> AddressTaken;
  llvm::DenseMap<const VarDecl *, const CallExpr *> TryVars;
  llvm::DenseMap<const VarDecl *, const Expr *> IteratorMaps;
  llvm::DenseMap<const CallExpr *, const Expr *> AssignedTo; // lvalue receiving the result
  llvm::DenseMap<const CallExpr *, const VarDecl *> InitOf;  // variable initialised with it
  llvm::DenseMap<const Stmt *, std::vector<ms_path>> LoopJoins; // loop -> handles joined
  std::vector<const CallExpr *> Spawns;
  std::vector<const FunctionDecl *> Callees;
  // What each call is: a rule's function, or one of this file's (callee).
  llvm::DenseMap<const CallExpr *, const FunctionRule *> Rules;
  llvm::DenseMap<const CallExpr *, const FunctionDecl *> UserCalls;
  bool Relevant = false;
};

} // namespace fb
using namespace fb;

//===----------------------------------------------------------------------===//
// FunctionAnalysis
//===----------------------------------------------------------------------===//

class FactBuilder::FunctionAnalysis {
public:
  FunctionAnalysis(FactBuilder &B, const FunctionDecl *FD)
      : B(B), FD(FD), Ctx(B.Ctx), R(B.R), F(B.F) {}

  /// Runs the three steps; fills Out.  False if the function was skipped.
  bool run(Summary &Out);

private:
  Prepared Pre;

  // ---- paths ----
  struct AliasInfo {
    ms_path Path;        // what the variable holds
    ms_path Escaped;     // the global or field it is stored into, if Store
    const Expr *Store;   // the lvalue of that one store, or null
  };
  llvm::DenseMap<const VarDecl *, AliasInfo> AliasMemo;
  llvm::DenseMap<const Expr *, ms_path> PointeeMemo;
  llvm::DenseMap<const VarDecl *, ms_path> VarPathMemo;
  llvm::SmallPtrSet<const VarDecl *, 8> AliasBusy;

  const FunctionRule *ruleOf(const CallExpr *CE) const;
  bool isFresh(const Expr *E) const;
  ms_path pointee(const Expr *E, unsigned Depth = 0);
  ms_path object(const Expr *E, unsigned Depth = 0);
  const AliasInfo &aliasInfo(const VarDecl *VD, unsigned Depth);
  ms_path alias(const VarDecl *VD, unsigned Depth, const Expr *Use = nullptr);
  ms_path varPath(const VarDecl *VD, bool Local);
  ms_path withField(ms_path Base, const FieldDecl *FDecl);
  bool storedInField(const MemberExpr *ME, ms_path &Out, unsigned Depth);
  ms_path resultPath(const CallExpr *CE);
  ms_path handlePath(const Expr *E, bool PointerToHandle);
  ms_id handleKey(const ms_path &P);
  ms_path returnedHandle(const CallExpr *CE);
  bool loopWithin(const Stmt *Inner, const Stmt *Outer) const;
  bool freshPerInstance(const Expr *E, const CallExpr *Site);
  ms_value value(const Expr *E, const CallExpr *Site, bool Spawn,
                 std::vector<ms_field_value> &Fields);
  ms_path substitute(const ms_path &P, const CallExpr *CE);
  ms_id typeName(const Expr *E);

  // ---- dataflow ----
  void transfer(const CFGBlock *Blk, State &S, bool Record);
  void cleanup(const CFGCleanupFunction &CF, State &S);
  void call(const CallExpr *CE, State &S, bool Record);
  void edge(const CFGBlock *From, unsigned SuccIndex, State &S);
  const CallExpr *trylockIn(const Expr *Cond, bool &TrueMeansNonzero);
  void recordAccess(const CallExpr *CE, const FunctionRule &Rule, const State &S);
  void addCall(const CallExpr *CE, const FunctionDecl *Callee, const State &S,
               std::vector<ms_value> &Args);
  void recordCall(const CallExpr *CE, const FunctionDecl *Callee, const State &S);
  const FunctionDecl *callbackOf(const CallExpr *CE, const FunctionRule &Rule);
  void recordCallback(const CallExpr *CE, const FunctionDecl *Cb, const FunctionRule &Rule,
                      const State &S);

  ms_lockset lockset(const State &S) {
    return ms_lockset{const_cast<ms_held *>(S.Locks.data()), (uint32_t)S.Locks.size()};
  }
  ms_idset idset(const llvm::SmallVectorImpl<ms_id> &V) {
    return ms_idset{const_cast<ms_id *>(V.data()), (uint32_t)V.size()};
  }

  FactBuilder &B;
  const FunctionDecl *FD;
  ASTContext &Ctx;
  const Rules &R;
  ms_facts *F;
  ms_id Fn = MS_NONE; // this function's fact, made once it proves relevant
  ms_id SpawnBase = 0; // fact id of Pre.Spawns[0]
  struct SpawnState {
    bool Seen = false;
    State S;
  };
  std::vector<SpawnState> SpawnStates;
  std::vector<ms_path> SpawnHandles; // handle of each of Pre.Spawns
  std::vector<ms_path> JoinedHandles;
};

namespace {

/// The variable (local or global, not a parameter) an lvalue's storage
/// belongs to: `v`, `v.f`, `v->f`, `v[i].f`; null for anything else.
const VarDecl *baseVar(const Expr *E) {
  E = E->IgnoreParenCasts();
  for (;;) {
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase()->IgnoreParenCasts();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase()->IgnoreParenCasts();
    else
      break;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && !isa<ParmVarDecl>(VD) ? VD : nullptr;
}

/// The local (non-parameter) variable an expression names, if any.
const VarDecl *localVar(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) ? VD : nullptr;
}

/// Step 1: one walk over the body, filling a Prepared.  Iterative (an
/// explicit stack), so a deeply nested expression cannot exhaust the host's
/// stack; children are visited in source order.
class Prepass {
public:
  Prepass(Prepared &Out, llvm::function_ref<void(const CallExpr *)> OnCall)
      : Out(Out), OnCall(OnCall) {}

  void walk(const Stmt *Body) {
    struct Item {
      const Stmt *S;
      bool Leave; // leaving a loop
    };
    llvm::SmallVector<Item, 64> Stack{{Body, false}};
    while (!Stack.empty()) {
      Item I = Stack.pop_back_val();
      if (I.Leave) {
        Loops.pop_back();
        continue;
      }
      const Stmt *S = I.S;
      if (!S)
        continue;
      switch (S->getStmtClass()) {
      case Stmt::ForStmtClass:
      case Stmt::WhileStmtClass:
      case Stmt::DoStmtClass:
        Out.LoopParent[S] = loop();
        Loops.push_back(S);
        Stack.push_back({S, true});
        break;
      default:
        visit(S);
        break;
      }
      // Children reversed onto the stack: visited in source order, so facts
      // come out in the order of the code.
      size_t First = Stack.size();
      for (const Stmt *C : S->children())
        if (C)
          Stack.push_back({C, false});
      std::reverse(Stack.begin() + First, Stack.end());
    }
  }

private:
  void visit(const Stmt *S) {
    switch (S->getStmtClass()) {
    case Stmt::CallExprClass: {
      const auto *CE = cast<CallExpr>(S);
      Out.CallLoop[CE] = loop();
      OnCall(CE);
      break;
    }
    case Stmt::DeclStmtClass:
      for (const Decl *D : cast<DeclStmt>(S)->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          var(VD);
      break;
    case Stmt::BinaryOperatorClass:
      if (cast<BinaryOperator>(S)->getOpcode() == BO_Assign)
        assign(cast<BinaryOperator>(S));
      break;
    case Stmt::UnaryOperatorClass: {
      // &p of a pointer variable: p may change behind our back.
      const auto *UO = cast<UnaryOperator>(S);
      if (UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *VD = localVar(UO->getSubExpr()))
          if (VD->getType()->isPointerType())
            Out.AddressTaken.insert(VD);
      break;
    }
    default:
      break;
    }
  }

  void var(const VarDecl *VD) {
    if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      return;
    Out.VarLoop[VD] = loop();
    const Expr *Init = VD->getInit();
    if (!Init)
      return;
    if (const auto *ILE = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts())) {
      // struct ctx c = {.table = t, ...}: stores into the fields of c.
      if (VD->getType()->getAsRecordDecl())
        for (unsigned I = 0; I < ILE->getNumInits(); ++I)
          if (const Expr *V = ILE->getInit(I); V && V->getType()->isPointerType())
            Out.FieldStores[VD].push_back({V, loop(), nullptr});
      return;
    }
    Out.Assigns[VD].push_back({Init, loop(), nullptr});
    if (const auto *CE = dyn_cast_or_null<CallExpr>(strip(Init)))
      Out.InitOf[CE] = VD;
  }

  void assign(const BinaryOperator *BO) {
    const Expr *L = BO->getLHS()->IgnoreParenCasts(), *V = BO->getRHS();
    if (const auto *CE = dyn_cast_or_null<CallExpr>(strip(V)))
      Out.AssignedTo[CE] = L;
    if (const VarDecl *VD = localVar(L)) {
      Out.Assigns[VD].push_back({V, loop(), nullptr});
      return;
    }
    if (isa<MemberExpr>(L))
      if (const VarDecl *Base = baseVar(L))
        Out.FieldStores[Base].push_back({V, loop(), L});
    if (const VarDecl *Src = localVar(V))
      Out.Escapes[Src].push_back(L);
  }

  const Stmt *loop() const { return Loops.empty() ? nullptr : Loops.back(); }
  Prepared &Out;
  llvm::function_ref<void(const CallExpr *)> OnCall;
  llvm::SmallVector<const Stmt *, 8> Loops;
};

} // namespace

//===----------------------------------------------------------------------===//
// Paths
//===----------------------------------------------------------------------===//

const FunctionRule *FactBuilder::FunctionAnalysis::ruleOf(const CallExpr *CE) const {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return nullptr;
  return R.lookup(Callee->getName());
}

/// A call that returns a new object: a map creation or an allocation.
bool FactBuilder::FunctionAnalysis::isFresh(const Expr *E) const {
  const auto *CE = dyn_cast_or_null<CallExpr>(strip(E));
  const FunctionRule *Rule = CE ? ruleOf(CE) : nullptr;
  if (!Rule)
    return false;
  return Rule->What == FunctionRule::Allocator ||
         (Rule->What == FunctionRule::MapOp && Rule->Access == MS_ACC_CREATE &&
          Rule->Map.isReturn());
}

ms_path FactBuilder::FunctionAnalysis::varPath(const VarDecl *VD, bool Local) {
  auto Memo = VarPathMemo.find(VD);
  if (Memo != VarPathMemo.end())
    return Memo->second;
  ms_path P = ms_path_unknown();
  // A thread-local variable is a different object in every thread: no
  // name can say which one, and no other thread can reach it.
  if (VD->getTLSKind() != VarDecl::TLS_None)
    return VarPathMemo[VD] = P;
  std::string Name;
  if (Local) {
    P.base = MS_BASE_LOCAL;
    Name = (FD->getName() + "::" + VD->getName()).str();
  } else {
    P.base = MS_BASE_GLOBAL;
    if (VD->isStaticLocal())
      Name = (FD->getName() + "::" + VD->getName()).str();
    else if (!VD->isExternallyVisible())
      Name = (B.Ctx.getSourceManager().getFilename(
                  B.Ctx.getSourceManager().getExpansionLoc(VD->getLocation())) +
              "::" + VD->getName())
                 .str();
    else
      Name = VD->getName().str();
  }
  P.name = ms_strn(F, Name.data(), Name.size());
  P.display = ms_strn(F, VD->getName().data(), VD->getName().size());
  VarPathMemo[VD] = P;
  return P;
}

ms_path FactBuilder::FunctionAnalysis::withField(ms_path Base, const FieldDecl *FDecl) {
  Base.depth += 1;
  Base.field = ms_strn(F, FDecl->getName().data(), FDecl->getName().size());
  const RecordDecl *RD = FDecl->getParent();
  std::string Owner;
  if (RD->getIdentifier())
    Owner = (RD->getKindName() + " " + RD->getName()).str();
  else if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    Owner = TD->getName().str();
  else
    Owner = (llvm::Twine("(anonymous ") + RD->getKindName() + " at " +
             Ctx.getSourceManager().getFilename(
                 Ctx.getSourceManager().getExpansionLoc(RD->getLocation())) +
             ":" +
             llvm::Twine(Ctx.getSourceManager().getExpansionLineNumber(RD->getLocation())) + ")")
                .str();
  Base.field_owner = ms_strn(F, Owner.data(), Owner.size());
  return Base;
}

/// The object an expression of pointer type points to.
ms_path FactBuilder::FunctionAnalysis::pointee(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return ms_path_unknown();
  if (Depth == 0) {
    // The dataflow asks again on every pass over a block: remember.
    auto It = PointeeMemo.find(E);
    if (It != PointeeMemo.end())
      return It->second;
    ms_path P = pointee(E, 1);
    PointeeMemo[E] = P;
    return P;
  }
  E = strip(E);
  if (!E)
    return ms_path_unknown();
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf)
      return object(UO->getSubExpr(), Depth + 1);
    return ms_path_unknown();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      ms_path P = ms_path_unknown();
      P.base = MS_BASE_PARAM;
      P.param = static_cast<int32_t>(PVD->getFunctionScopeIndex());
      return P;
    }
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      if (VD->getType()->isArrayType())
        return object(E, Depth + 1); // decayed array: its elements
      if (VD->hasLocalStorage())
        return alias(VD, Depth + 1, E);
      return varPath(VD, false); // the map a global pointer points to
    }
    return ms_path_unknown();
  }
  // An atomic load of a pointer (double-buffered publication): the object
  // the loaded variable names.
  if (const auto *AE = dyn_cast<AtomicExpr>(E)) {
    switch (AE->getOp()) {
    case AtomicExpr::AO__atomic_load_n:
    case AtomicExpr::AO__c11_atomic_load:
      return pointee(AE->getPtr(), Depth + 1);
    default:
      return ms_path_unknown();
    }
  }
  // A call that returns (a pointer to) one of its arguments.
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const FunctionRule *Rule = ruleOf(CE);
    if (Rule && Rule->Returns.Index >= 0 && (unsigned)Rule->Returns.Index < CE->getNumArgs())
      return pointee(CE->getArg(Rule->Returns.Index), Depth + 1);
    return ms_path_unknown();
  }
  // A pointer field of a local struct that this function set before this
  // use (j->seen = shared_table): the object stored there.
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    ms_path Stored;
    if (storedInField(ME, Stored, Depth))
      return Stored;
  }
  // A pointer stored in a field or array element: the object is named by
  // where the pointer is stored.
  if (isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E))
    return object(E, Depth + 1);
  return ms_path_unknown();
}

/// Whether ME (B->f or B.f, B a local variable) reads a pointer field that
/// this function stored exactly once, before ME, with an object that is not
/// fresh; Out is then that object.
bool FactBuilder::FunctionAnalysis::storedInField(const MemberExpr *ME, ms_path &Out,
                                                  unsigned Depth) {
  const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
  const VarDecl *Base = localVar(ME->getBase());
  if (!Field || !Base)
    return false;
  auto It = Pre.FieldStores.find(Base);
  if (It == Pre.FieldStores.end())
    return false;
  const Assignment *Only = nullptr;
  for (const Assignment &A : It->second) {
    const auto *T = dyn_cast_or_null<MemberExpr>(A.Target);
    if (!T || T->getMemberDecl() != Field)
      continue;
    if (Only)
      return false; // stored more than once
    Only = &A;
  }
  if (!Only || isFresh(Only->Value) ||
      Only->Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) ||
      !Ctx.getSourceManager().isBeforeInTranslationUnit(Only->Target->getBeginLoc(),
                                                        ME->getBeginLoc()))
    return false;
  if (const VarDecl *Src = localVar(Only->Value); Src && aliasInfo(Src, 0).Store == Only->Target)
    return false; // a fresh local stored here: the field names it
  Out = pointee(Only->Value, Depth + 1);
  return Out.base != MS_BASE_UNKNOWN || Out.depth;
}

/// The object an lvalue denotes.
ms_path FactBuilder::FunctionAnalysis::object(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return ms_path_unknown();
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || isa<ParmVarDecl>(VD))
      return ms_path_unknown();
    return varPath(VD, VD->hasLocalStorage());
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FDecl = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FDecl)
      return ms_path_unknown();
    ms_path Base = ME->isArrow() ? pointee(ME->getBase(), Depth + 1)
                                 : object(ME->getBase(), Depth + 1);
    return withField(Base, FDecl);
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return pointee(AS->getBase(), Depth + 1); // all elements together
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return pointee(UO->getSubExpr(), Depth + 1);
  return ms_path_unknown();
}

/// What a local pointer variable points to, over all its assignments.
const FactBuilder::FunctionAnalysis::AliasInfo &
FactBuilder::FunctionAnalysis::aliasInfo(const VarDecl *VD, unsigned Depth) {
  static const AliasInfo Unknown{ms_path_unknown(), ms_path_unknown(), nullptr};
  auto Memo = AliasMemo.find(VD);
  if (Memo != AliasMemo.end())
    return Memo->second;
  if (Pre.AddressTaken.count(VD) || AliasBusy.count(VD))
    return Unknown;
  AliasBusy.insert(VD);
  AliasInfo Info{ms_path_unknown(), ms_path_unknown(), nullptr};
  bool Any = false, Fresh = false, Conflict = false;
  auto It = Pre.Assigns.find(VD);
  if (It != Pre.Assigns.end())
    for (const Assignment &A : It->second) {
      if (A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        continue;
      if (isFresh(A.Value)) {
        Conflict |= Any && !Fresh;
        Fresh = Any = true;
        continue;
      }
      ms_path P = pointee(A.Value, Depth + 1);
      if (!Any)
        Info.Path = P;
      else if (Fresh || !samePath(Info.Path, P))
        Conflict = true;
      Any = true;
    }
  if (Conflict || !Any) {
    Info.Path = ms_path_unknown();
  } else if (Fresh) {
    // A fresh object is named by the variable until the function stores it
    // in one global or field, which names it from then on (a map built
    // privately, then handed over, stays private up to the hand-over).
    Info.Path = varPath(VD, true);
    auto Esc = Pre.Escapes.find(VD);
    if (Esc != Pre.Escapes.end() && Esc->second.size() == 1) {
      ms_path Target = object(Esc->second.front(), Depth + 1);
      if (Target.base == MS_BASE_GLOBAL || Target.depth) {
        Info.Escaped = Target;
        Info.Store = Esc->second.front();
      }
    }
  }
  AliasBusy.erase(VD);
  return AliasMemo[VD] = Info;
}

/// What a local pointer variable points to where Use reads it.
ms_path FactBuilder::FunctionAnalysis::alias(const VarDecl *VD, unsigned Depth, const Expr *Use) {
  const AliasInfo &Info = aliasInfo(VD, Depth);
  if (Info.Store && Use &&
      Ctx.getSourceManager().isBeforeInTranslationUnit(Info.Store->getBeginLoc(),
                                                       Use->getBeginLoc()))
    return Info.Escaped;
  return Info.Path;
}

/// Where the result of a call ends up: the variable or lvalue assigned.
ms_path FactBuilder::FunctionAnalysis::resultPath(const CallExpr *CE) {
  auto I = Pre.InitOf.find(CE);
  if (I != Pre.InitOf.end())
    return alias(I->second, 0);
  auto A = Pre.AssignedTo.find(CE);
  if (A != Pre.AssignedTo.end()) {
    if (const VarDecl *VD = localVar(A->second))
      return alias(VD, 0);
    return object(A->second);
  }
  return ms_path_unknown();
}

/// The handle a spawn returns: the variable or lvalue it is stored in.
ms_path FactBuilder::FunctionAnalysis::returnedHandle(const CallExpr *CE) {
  auto I = Pre.InitOf.find(CE);
  if (I != Pre.InitOf.end())
    return varPath(I->second, true);
  auto A = Pre.AssignedTo.find(CE);
  return A != Pre.AssignedTo.end() ? object(A->second) : ms_path_unknown();
}

ms_id FactBuilder::FunctionAnalysis::handleKey(const ms_path &P) {
  if (P.base == MS_BASE_UNKNOWN && !P.depth)
    return MS_NONE;
  std::string K = std::string(ms_base_name(P.base)) + ":" + ms_str_get(F, P.name) + ":" +
                  std::to_string(P.param) + ":" + std::to_string(P.depth) + ":" +
                  ms_str_get(F, P.field_owner) + "." + ms_str_get(F, P.field);
  return ms_strn(F, K.data(), K.size());
}

/// Where a thread handle is stored.  A spawn is given a pointer to that
/// place (`&t[i]`, `&w->thread`, `h`); a join is given the handle itself
/// (`t[i]`, `w->thread`, `*h`, a GThread* variable).
ms_path FactBuilder::FunctionAnalysis::handlePath(const Expr *E, bool PointerToHandle) {
  return PointerToHandle ? pointee(E) : object(E);
}

bool FactBuilder::FunctionAnalysis::loopWithin(const Stmt *Inner, const Stmt *Outer) const {
  for (const Stmt *L = Inner; L; L = Pre.LoopParent.lookup(L))
    if (L == Outer)
      return true;
  return Inner == Outer;
}

/// Whether each execution of Site gets an object of its own through E.
bool FactBuilder::FunctionAnalysis::freshPerInstance(const Expr *E, const CallExpr *Site) {
  const Stmt *SiteLoop = Pre.CallLoop.lookup(Site);
  const Expr *S = strip(E);
  if (!S)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    return isFresh(CE) && loopWithin(Pre.CallLoop.lookup(CE), SiteLoop);
  if (const VarDecl *VD = localVar(S)) {
    if (!isFresh(nullptr) && Pre.AddressTaken.count(VD))
      return false;
    auto It = Pre.Assigns.find(VD);
    if (It == Pre.Assigns.end())
      return false;
    bool AllFresh = false;
    for (const Assignment &A : It->second) {
      if (A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        continue;
      if (!isFresh(A.Value) || !loopWithin(A.Loop, SiteLoop))
        return false;
      AllFresh = true;
    }
    return AllFresh;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->getOpcode() != UO_AddrOf)
      return false;
    const Expr *Sub = UO->getSubExpr()->IgnoreParenCasts();
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Sub)) {
      // &args[i] in a loop: a different element each time.
      Expr::EvalResult Res;
      return SiteLoop && !AS->getIdx()->EvaluateAsInt(Res, Ctx);
    }
    if (const VarDecl *VD = localVar(Sub))
      return SiteLoop && loopWithin(Pre.VarLoop.lookup(VD), SiteLoop) && Pre.VarLoop.lookup(VD);
  }
  return false;
}

/// An argument as the engine sees it; Fields receives what the pointed-to
/// struct is known to hold (spawn arguments only).
ms_value FactBuilder::FunctionAnalysis::value(const Expr *E, const CallExpr *Site, bool Spawn,
                                              std::vector<ms_field_value> &Fields) {
  ms_value V;
  V.path = pointee(E);
  // A pool runs many threads from one spawn: nothing it is given is fresh
  // for each of them.
  const FunctionRule *SpawnRule = Spawn ? Pre.Rules.lookup(Site) : nullptr;
  bool Pool = SpawnRule && SpawnRule->Many;
  V.per_instance = Spawn && !Pool && freshPerInstance(E, Site);
  V.fields = nullptr;
  V.field_count = 0;
  if (!Spawn)
    return V;
  // The struct behind the argument: `c` (a local pointer), `&c`, `&args[i]`.
  const Expr *S = strip(E);
  const VarDecl *Base = nullptr;
  if (const auto *UO = S ? dyn_cast<UnaryOperator>(S) : nullptr) {
    if (UO->getOpcode() == UO_AddrOf)
      Base = baseVar(UO->getSubExpr());
  } else if (S) {
    Base = localVar(S);
  }
  auto It = Base ? Pre.FieldStores.find(Base) : Pre.FieldStores.end();
  if (It == Pre.FieldStores.end())
    return V;
  // One value per field; a field stored twice with different objects is left out.
  llvm::SmallVector<std::pair<ms_field_value, bool>, 4> Seen;
  for (const Assignment &A : It->second) {
    const FieldDecl *Fld = nullptr;
    if (A.Target) {
      if (const auto *ME = dyn_cast<MemberExpr>(A.Target))
        Fld = dyn_cast<FieldDecl>(ME->getMemberDecl());
    } else if (const RecordDecl *RD = Base->getType()->getAsRecordDecl()) {
      // Initialiser list: find the field by position.
      const auto *ILE = dyn_cast<InitListExpr>(Base->getInit()->IgnoreParenImpCasts());
      unsigned I = 0;
      for (const FieldDecl *Cand : RD->fields()) {
        if (ILE && I < ILE->getNumInits() && ILE->getInit(I) == A.Value)
          Fld = Cand;
        ++I;
      }
    }
    if (!Fld || A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      continue;
    ms_field_value FV;
    FV.field = ms_strn(F, Fld->getName().data(), Fld->getName().size());
    // What is stored: a fresh object, or a local holding one stored here,
    // is named by the field itself.
    const VarDecl *Src = localVar(A.Value);
    bool StoresFresh = isFresh(A.Value) || (Src && A.Target && aliasInfo(Src, 0).Store == A.Target);
    FV.value = StoresFresh && A.Target ? object(A.Target) : pointee(A.Value);
    FV.per_instance = !Pool && (isFresh(A.Value) ? loopWithin(A.Loop, Pre.CallLoop.lookup(Site))
                                                 : freshPerInstance(A.Value, Site));
    bool Merged = false;
    for (auto &P : Seen)
      if (P.first.field == FV.field) {
        if (!samePath(P.first.value, FV.value))
          P.second = false;
        Merged = true;
      }
    if (!Merged)
      Seen.push_back({FV, true});
  }
  for (auto &P : Seen)
    if (P.second)
      Fields.push_back(P.first);
  V.fields = Fields.data();
  V.field_count = static_cast<uint32_t>(Fields.size());
  return V;
}

/// A callee's path (in terms of its parameters) as the caller names it.
ms_path FactBuilder::FunctionAnalysis::substitute(const ms_path &P, const CallExpr *CE) {
  if (P.base != MS_BASE_PARAM)
    return P;
  ms_path A = P.param >= 0 && (unsigned)P.param < CE->getNumArgs()
                  ? pointee(CE->getArg(P.param))
                  : ms_path_unknown();
  if (!P.depth)
    return A;
  A.depth += P.depth;
  A.field = P.field;
  A.field_owner = P.field_owner;
  return A;
}

/// The type of a key or value argument, before its cast to a generic pointer.
ms_id FactBuilder::FunctionAnalysis::typeName(const Expr *E) {
  if (!E || E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return MS_NONE;
  const Expr *S = E->IgnoreParenCasts();
  QualType T = S->getType();
  if (T.isNull() || T->isVoidPointerType() || T->isDependentType())
    return MS_NONE;
  if (isa<CallExpr>(S) || T->isIntegerType() || T->isPointerType() || T->isRealFloatingType()) {
    PrintingPolicy PP(Ctx.getLangOpts());
    std::string Name = T.getUnqualifiedType().getAsString(PP);
    return ms_strn(F, Name.data(), Name.size());
  }
  return MS_NONE;
}

//===----------------------------------------------------------------------===//
// Dataflow
//===----------------------------------------------------------------------===//

void FactBuilder::FunctionAnalysis::recordAccess(const CallExpr *CE, const FunctionRule &Rule,
                                                 const State &S) {
  ms_access A;
  A.func = Fn;
  A.loc = B.locId(CE->getBeginLoc());
  A.kind = Rule.Access;
  const FunctionDecl *Callee = CE->getDirectCallee();
  A.api = ms_strn(F, Callee->getName().data(), Callee->getName().size());
  A.library = ms_strn(F, Rule.Library.data(), Rule.Library.size());
  auto Arg = [&](ArgRef Ref) -> const Expr * {
    return Ref.Index >= 0 && (unsigned)Ref.Index < CE->getNumArgs() ? CE->getArg(Ref.Index)
                                                                    : nullptr;
  };
  if (Rule.Map.isReturn())
    A.map = resultPath(CE);
  else if (const Expr *M = Arg(Rule.Map))
    A.map = pointee(M);
  else if (const Expr *It = Arg(Rule.Iterator)) {
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
  A.key_type = typeName(Arg(Rule.Key));
  A.value_type = typeName(Arg(Rule.Value));
  if (const Expr *H = Arg(Rule.Hash)) {
    const auto *DRE = dyn_cast<DeclRefExpr>(H->IgnoreParenCasts());
    const auto *HashFn = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    llvm::StringRef KT = HashFn && HashFn->getIdentifier() ? R.keyTypeForHash(HashFn->getName())
                                                           : llvm::StringRef();
    if (!KT.empty())
      A.key_type = ms_strn(F, KT.data(), KT.size());
  }
  A.locks = lockset(S);
  std::vector<ms_id> Live = S.liveIds();
  A.live = ms_idset{Live.data(), (uint32_t)Live.size()};
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
  std::vector<ms_id> Live = S.liveIds();
  C.live = ms_idset{Live.data(), (uint32_t)Live.size()};
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
  if (Rule.Callback.Index < 0 || (unsigned)Rule.Callback.Index >= CE->getNumArgs())
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(CE->getArg(Rule.Callback.Index)->IgnoreParenCasts());
  const auto *Cb = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
  return Cb && B.summaryOf(Cb) ? Cb : nullptr;
}

/// The callback runs here, in this thread: a call with the callback data
/// bound to its parameter.
void FactBuilder::FunctionAnalysis::recordCallback(const CallExpr *CE, const FunctionDecl *Cb,
                                                   const FunctionRule &Rule, const State &S) {
  std::vector<ms_value> Args(Cb->getNumParams(), ms_value{ms_path_unknown(), 0, nullptr, 0});
  if (Rule.CallbackData.Index >= 0 && (unsigned)Rule.CallbackData.Index < CE->getNumArgs() &&
      (unsigned)Rule.CallbackParam < Args.size()) {
    std::vector<ms_field_value> NoFields;
    Args[Rule.CallbackParam] = value(CE->getArg(Rule.CallbackData.Index), CE, false, NoFields);
  }
  addCall(CE, Cb, S, Args);
}

void FactBuilder::FunctionAnalysis::call(const CallExpr *CE, State &S, bool Record) {
  auto Arg = [&](ArgRef Ref) -> const Expr * {
    return Ref.Index >= 0 && (unsigned)Ref.Index < CE->getNumArgs() ? CE->getArg(Ref.Index)
                                                                    : nullptr;
  };
  if (const FunctionRule *Rule = Pre.Rules.lookup(CE)) {
    switch (Rule->What) {
    case FunctionRule::Acquire:
      if (const Expr *L = Arg(Rule->Lock))
        S.acquire(pointee(L), Rule->Mode, B.locId(CE->getBeginLoc()));
      return;
    case FunctionRule::Release:
      if (const Expr *L = Arg(Rule->Lock))
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
      const Expr *H = Rule->Handle.isReturn() ? nullptr : Arg(Rule->Handle);
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
  if (!Sum)
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

/// The trylock call a branch condition tests, if any.  TrueMeansNonzero is
/// set to whether the condition holds exactly when the call returned
/// nonzero.
const CallExpr *FactBuilder::FunctionAnalysis::trylockIn(const Expr *Cond,
                                                         bool &TrueMeansNonzero) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() != UO_LNot)
      return nullptr;
    const CallExpr *C = trylockIn(UO->getSubExpr(), TrueMeansNonzero);
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
    const CallExpr *C = trylockIn(Other, TrueMeansNonzero);
    if (BO->getOpcode() == BO_EQ)
      TrueMeansNonzero = !TrueMeansNonzero;
    return C;
  }
  if (const auto *CE = dyn_cast<CallExpr>(Cond)) {
    const FunctionRule *Rule = ruleOf(CE);
    TrueMeansNonzero = true;
    return Rule && Rule->What == FunctionRule::TryAcquire ? CE : nullptr;
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
  if (isa<ForStmt>(Term) || isa<WhileStmt>(Term) || isa<DoStmt>(Term)) {
    auto It = Pre.LoopJoins.find(Term);
    if (SuccIndex == 1 && It != Pre.LoopJoins.end())
      for (const ms_path &H : It->second)
        S.joined(H);
  }
  bool TrueMeansNonzero = false;
  const auto *Cond = dyn_cast_or_null<Expr>(const_cast<CFGBlock *>(From)->getTerminatorCondition());
  const CallExpr *Try = trylockIn(Cond, TrueMeansNonzero);
  if (!Try)
    return;
  const FunctionRule *Rule = ruleOf(Try);
  bool Nonzero = SuccIndex == 0 ? TrueMeansNonzero : !TrueMeansNonzero;
  bool Success = Rule->SuccessIsZero ? !Nonzero : Nonzero;
  if (Success && Rule->Lock.Index >= 0 && (unsigned)Rule->Lock.Index < Try->getNumArgs())
    S.acquire(pointee(Try->getArg(Rule->Lock.Index)), Rule->Mode, B.locId(Try->getBeginLoc()));
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
        Pre.Relevant = true;
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
    if (Rule->Callback.Index >= 0 && (unsigned)Rule->Callback.Index < CE->getNumArgs())
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(CE->getArg(Rule->Callback.Index)->IgnoreParenCasts()))
        if (const auto *Cb = dyn_cast<FunctionDecl>(DRE->getDecl()))
          if (Cb->hasBody() && B.isUserCode(Cb->getLocation()))
            Pre.Callees.push_back(Cb);
    if (Rule->What == FunctionRule::MapOp && Rule->Iterator.isSet() && Rule->Map.Index >= 0 &&
        (unsigned)Rule->Map.Index < CE->getNumArgs() &&
        (unsigned)Rule->Iterator.Index < CE->getNumArgs()) {
      const Expr *It = CE->getArg(Rule->Iterator.Index)->IgnoreParenCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(It))
        if (UO->getOpcode() == UO_AddrOf)
          if (const VarDecl *IV = localVar(UO->getSubExpr()))
            Pre.IteratorMaps[IV] = CE->getArg(Rule->Map.Index);
    }
  };
  Prepass(Pre, OnCall).walk(Body);
  if (!Pre.Relevant)
    return false;
  Fn = B.functionId(FD);
  // Trylock results kept in variables; joins inside loops.
  for (auto &KV : Pre.InitOf)
    if (const FunctionRule *Rule = ruleOf(KV.first))
      if (Rule->What == FunctionRule::TryAcquire)
        Pre.TryVars[KV.second] = KV.first;
  for (auto &KV : Pre.AssignedTo)
    if (const FunctionRule *Rule = ruleOf(KV.first))
      if (Rule->What == FunctionRule::TryAcquire)
        if (const VarDecl *VD = localVar(KV.second))
          Pre.TryVars[VD] = KV.first;
  for (auto &KV : Pre.CallLoop) {
    const FunctionRule *Rule = KV.second ? ruleOf(KV.first) : nullptr;
    if (!Rule || Rule->What != FunctionRule::Join || Rule->Handle.Index < 0 ||
        (unsigned)Rule->Handle.Index >= KV.first->getNumArgs())
      continue;
    ms_path H = handlePath(KV.first->getArg(Rule->Handle.Index), false);
    if (H.base == MS_BASE_UNKNOWN && !H.depth)
      continue;
    // The join's loop and every loop around it join the handle on exit.
    for (const Stmt *L = KV.second; L; L = Pre.LoopParent.lookup(L))
      Pre.LoopJoins[L].push_back(H);
  }
  // Pre.Callees first: their summaries act on this function's state.
  for (const FunctionDecl *Callee : Pre.Callees)
    B.summaryOf(Callee);

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
    SpawnHandles.push_back(Rule->Handle.isReturn() ? returnedHandle(CE)
                           : Rule->Handle.Index >= 0 &&
                                   (unsigned)Rule->Handle.Index < CE->getNumArgs()
                               ? handlePath(CE->getArg(Rule->Handle.Index), true)
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
    const Expr *EntryE = Rule->Entry.Index >= 0 && (unsigned)Rule->Entry.Index < CE->getNumArgs()
                             ? CE->getArg(Rule->Entry.Index)->IgnoreParenCasts()
                             : nullptr;
    const auto *EntryRef = dyn_cast_or_null<DeclRefExpr>(EntryE);
    const auto *EntryFD = EntryRef ? dyn_cast<FunctionDecl>(EntryRef->getDecl()) : nullptr;
    Sp.entry = EntryFD ? B.functionId(EntryFD) : MS_NONE;
    Sp.loc = B.locId(CE->getBeginLoc());
    const FunctionDecl *Api = CE->getDirectCallee();
    Sp.api = ms_strn(F, Api->getName().data(), Api->getName().size());
    Sp.handle = handleKey(SpawnHandles[K]);
    Sp.multiplicity = Rule->Many || S.hasLive(SpawnBase + K) ? MS_MULT_MANY : MS_MULT_ONE;
    std::vector<ms_field_value> Fields;
    const Expr *ArgE = Rule->Arg.Index >= 0 && (unsigned)Rule->Arg.Index < CE->getNumArgs()
                           ? CE->getArg(Rule->Arg.Index)
                           : nullptr;
    Sp.arg_param = ArgE ? Rule->EntryParam : -1;
    Sp.arg = ArgE ? value(ArgE, CE, true, Fields) : ms_value{ms_path_unknown(), 0, nullptr, 0};
    Sp.locks = lockset(S);
    std::vector<ms_id> Live = S.liveIds();
    Sp.live = ms_idset{Live.data(), (uint32_t)Live.size()};
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

//===----------------------------------------------------------------------===//
// FactBuilder
//===----------------------------------------------------------------------===//

FactBuilder::FactBuilder(ASTContext &Ctx, const Rules &R, ms_facts *F) : Ctx(Ctx), R(R), F(F) {}

FactBuilder::~FactBuilder() {
  for (auto &KV : Summaries)
    delete KV.second;
}

/// Code the user wrote: not in a system header, and not in a library's
/// headers found with -I (pkg-config hands out -I/usr/include/glib-2.0).
bool FactBuilder::isUserCode(SourceLocation L) const {
  const SourceManager &SM = Ctx.getSourceManager();
  if (L.isInvalid())
    return false;
  SourceLocation E = SM.getExpansionLoc(L);
  if (SM.isInSystemHeader(E))
    return false;
  FileID FID = SM.getFileID(E);
  auto It = UserFiles.find(FID);
  if (It != UserFiles.end())
    return It->second;
  llvm::StringRef Name = SM.getFilename(E);
  bool User = !Name.starts_with("/usr/include/") && !Name.starts_with("/usr/lib/") &&
              !Name.starts_with("/usr/local/include/");
  UserFiles[FID] = User;
  return User;
}

ms_id FactBuilder::locId(SourceLocation L) {
  auto Memo = LocIds.find(L.getRawEncoding());
  if (Memo != LocIds.end())
    return Memo->second;
  const SourceManager &SM = Ctx.getSourceManager();
  // In a macro argument, where the argument is written; in a macro body,
  // where the macro is used.
  SourceLocation E = SM.getFileLoc(L);
  FileID FID = SM.getFileID(E);
  auto It = FileNames.find(FID);
  ms_id File;
  if (It != FileNames.end()) {
    File = It->second;
  } else {
    llvm::StringRef Name = SM.getFilename(E);
    File = ms_strn(F, Name.data(), Name.size());
    FileNames[FID] = File;
  }
  ms_id Id = ms_add_loc(F, File, SM.getSpellingLineNumber(E), SM.getSpellingColumnNumber(E));
  if (Id != MS_NONE) {
    if (Locs.size() <= Id)
      Locs.resize(Id + 1);
    Locs[Id] = E;
    LocIds[L.getRawEncoding()] = Id;
  }
  return Id;
}

ms_id FactBuilder::functionId(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = FunctionIds.find(FD);
  if (It != FunctionIds.end())
    return It->second;
  ms_function Fn;
  memset(&Fn, 0, sizeof Fn);
  llvm::StringRef Name = FD->getIdentifier() ? FD->getName() : llvm::StringRef("<anonymous>");
  Fn.name = ms_strn(F, Name.data(), Name.size());
  const FunctionDecl *Def = FD->getDefinition();
  Fn.loc = locId((Def ? Def : FD)->getLocation());
  Fn.param_count = FD->getNumParams();
  Fn.defined = 0;
  ms_id Id = ms_add_function(F, &Fn);
  FunctionIds[FD] = Id;
  return Id;
}

const FactBuilder::Summary *FactBuilder::summaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !isUserCode(Def->getLocation()))
    return nullptr;
  Def = Def->getCanonicalDecl();
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second; // done, or in progress (recursion): its current (empty) summary
  if (Depth > 64)
    return nullptr;
  Summary *S = new Summary();
  Summaries[Def] = S;
  ++Depth;
  analyze(FD->getDefinition());
  --Depth;
  return S;
}

void FactBuilder::analyze(const FunctionDecl *FD) {
  if (FD->isInvalidDecl())
    return;
  Summary *S = Summaries.lookup(FD->getCanonicalDecl());
  Summary Local;
  FunctionAnalysis A(*this, FD);
  if (A.run(Local) && S)
    *S = std::move(Local);
}

void FactBuilder::run() {
  // The declarations in scope: the whole translation unit for clang-tidy,
  // the main file's top-level declarations in clangd (whose headers sit in
  // a preamble that should not be loaded).
  std::vector<const DeclContext *> Contexts;
  std::vector<const Decl *> Scope;
  for (Decl *D : Ctx.getTraversalScope()) {
    if (const auto *DC = dyn_cast<DeclContext>(D); DC && isa<TranslationUnitDecl>(D))
      Contexts.push_back(DC);
    else
      Scope.push_back(D);
  }
  for (const Decl *D : Scope) {
    if (const auto *LS = dyn_cast<LinkageSpecDecl>(D))
      Contexts.push_back(LS);
    else if (const auto *FD = dyn_cast<FunctionDecl>(D);
             FD && FD->doesThisDeclarationHaveABody() && isUserCode(FD->getLocation()))
      summaryOf(FD);
  }
  while (!Contexts.empty()) {
    const DeclContext *DC = Contexts.back();
    Contexts.pop_back();
    for (const Decl *D : DC->decls()) {
      if (const auto *LS = dyn_cast<LinkageSpecDecl>(D)) {
        Contexts.push_back(LS);
        continue;
      }
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (!FD || !FD->doesThisDeclarationHaveABody() || !isUserCode(FD->getLocation()))
        continue;
      summaryOf(FD);
    }
  }
}

} // namespace mapsafe
