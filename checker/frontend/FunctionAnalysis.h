//===--- FunctionAnalysis.h - the analysis of one function ----------------===//
//
// Internal to the frontend: the state FactBuilder's dataflow tracks, what
// the prepass learns about a function body, and FunctionAnalysis, which
// turns one function into facts in three steps:
//
//   Prepass.cpp      one walk over the body (loops, assignments, stores, ...)
//   ObjectPaths.cpp  naming the objects expressions denote (ms_path)
//   Dataflow.cpp     the fixpoint over clang's CFG and the recording of facts
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_FUNCTIONANALYSIS_H
#define MAPSAFE_FRONTEND_FUNCTIONANALYSIS_H

#include "FactBuilder.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <vector>

namespace mapsafe {
// Internal to the frontend's sources: clang's names unqualified.
using namespace clang;


namespace fb {
/// A thread possibly running, with its handle as the function names it.
struct LiveSpawn {
  ms_id Spawn;
  ms_path Handle;
};
} // namespace fb

struct FactBuilder::Summary {
  // Whether the function has facts (maps, locks, threads, or calls of such
  // functions).  A function still being analysed (recursion) counts as one.
  bool Relevant = true;
  std::vector<ms_held> Acquires; // held at return, not held on entry
  std::vector<ms_held> Releases; // released, held on entry
  std::vector<fb::LiveSpawn> LiveAtExit; // spawns possibly running at return
  std::vector<ms_path> Joins;            // handles joined
};

namespace fb {

inline bool samePath(const ms_path &A, const ms_path &B) { return ms_path_equal(&A, &B); }

/// The argument a rule names (ArgRef), or null when the call has no such
/// argument (or the rule names the result).
inline const Expr *argOf(const CallExpr *CE, ArgRef Ref) {
  return Ref.Index >= 0 && (unsigned)Ref.Index < CE->getNumArgs() ? CE->getArg(Ref.Index)
                                                                  : nullptr;
}

inline const Expr *strip(const Expr *E) {
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
    // A lock we cannot name is still a lock: kept, the engine treats it as
    // excluding everything.
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
  llvm::DenseMap<const VarDecl *, const CallExpr *> TryVars; // results of calls that can fail
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

/// The variable (local or global, not a parameter) an lvalue's storage
/// belongs to: `v`, `v.f`, `v->f`, `v[i].f`; null for anything else.
const VarDecl *baseVar(const Expr *E);
/// The local (non-parameter) variable an expression names, if any.
const VarDecl *localVar(const Expr *E);
/// Step 1: walks Body, filling Out and calling OnCall for every call.
void prepass(const Stmt *Body, Prepared &Out, llvm::function_ref<void(const CallExpr *)> OnCall);

} // namespace fb
using namespace fb;

/// One function turned into facts: prepass, fixpoint, record.

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
  const CallExpr *testedCall(const Expr *Cond, bool &TrueMeansNonzero);
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
  /// The threads running in S, as fact ids in Ids (which the set refers to).
  static ms_idset liveSet(const State &S, std::vector<ms_id> &Ids) {
    Ids = S.liveIds();
    return ms_idset{Ids.data(), (uint32_t)Ids.size()};
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

} // namespace mapsafe

#endif
