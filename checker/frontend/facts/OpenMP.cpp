//===--- OpenMP.cpp - parallel regions and critical sections --------------===//
//
// `#pragma omp parallel` (and `parallel for`) runs its body on a team of
// threads at once, the encountering thread among them, and waits for them
// all at its end.  clang's CFG keeps the body inline in the function; here
// each region becomes a thread of its own: a function fact (named after the
// function and the line) that the region's accesses and calls are recorded
// in, and a spawn fact at the region with many instances, whose threads are
// over once the region is (nothing the function does after the region runs
// beside them).  In the region the team holds only the locks taken there;
// the encountering thread's others are its own.
//
// Inside a region:
//   - a variable of the function declared outside the region and not made
//     private by a clause is shared by the team: named as one object of the
//     function (`f::table`) in every thread;
//   - `critical` (with or without a name) is a lock of its own, held from
//     the first element inside to the directive;
//   - `atomic` and `flush` change nothing for maps.
// A region with any other construct inside (barrier, for, single, master,
// sections, task, taskwait, ordered, nested parallel) has phases or parts
// run by one thread that this model does not know: it stays as it is
// today, sequential code of the function (silent rather than wrong).
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/OpenMPClause.h"
#include "clang/AST/StmtOpenMP.h"
#include "clang/Basic/SourceManager.h"
#include <cstring>

using namespace clang;

namespace mapsafe {

using namespace facts;

namespace {
bool teamRegion(const Stmt *S) {
  return isa<OMPParallelDirective>(S) || isa<OMPParallelForDirective>(S) ||
         isa<OMPParallelForSimdDirective>(S);
}
bool harmless(const Stmt *S) {
  return isa<OMPCriticalDirective>(S) || isa<OMPAtomicDirective>(S) || isa<OMPFlushDirective>(S);
}
} // namespace

void FactBuilder::FunctionAnalysis::findOmpRegions() {
  if (!Ctx.getLangOpts().OpenMP || !FD->getBody())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallVector<const Stmt *, 64> Stack{FD->getBody()};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    const auto *Dir = dyn_cast<OMPExecutableDirective>(S);
    if (!Dir || !teamRegion(S) || !Dir->hasAssociatedStmt()) {
      for (const Stmt *C : facts::childrenOf(S))
        Stack.push_back(C);
      continue;
    }
    const Stmt *Body = Dir->getInnermostCapturedStmt()->getCapturedStmt();
    // Only a region whose constructs are all understood.
    bool Plain = true;
    llvm::SmallVector<const Stmt *, 64> Inner{Body};
    llvm::SmallVector<const Stmt *, 64> All;
    while (!Inner.empty() && Plain) {
      const Stmt *T = Inner.pop_back_val();
      if (!T)
        continue;
      if (isa<OMPExecutableDirective>(T) && !harmless(T))
        Plain = false;
      All.push_back(T);
      for (const Stmt *C : facts::childrenOf(T))
        Inner.push_back(C);
    }
    if (!Plain)
      continue; // sequential code, as before
    OmpRegion R;
    R.Dir = S;
    R.Range = SourceRange(SM.getExpansionLoc(Body->getBeginLoc()),
                          SM.getExpansionLoc(Body->getEndLoc()));
    for (const OMPClause *C : Dir->clauses()) {
      auto Vars = [&](auto *Clause) {
        for (const Expr *E : Clause->varlist())
          if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
            if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
              R.Private.insert(VD);
      };
      if (const auto *P = dyn_cast<OMPPrivateClause>(C))
        Vars(P);
      else if (const auto *P = dyn_cast<OMPFirstprivateClause>(C))
        Vars(P);
      else if (const auto *P = dyn_cast<OMPLastprivateClause>(C))
        Vars(P);
      else if (const auto *P = dyn_cast<OMPReductionClause>(C))
        Vars(P);
      else if (const auto *P = dyn_cast<OMPLinearClause>(C))
        Vars(P);
    }
    unsigned K = static_cast<unsigned>(Omp.size());
    std::string Name = ("omp parallel in " + FD->getName() + " (line " +
                        llvm::Twine(SM.getExpansionLineNumber(S->getBeginLoc())) + ")")
                           .str();
    R.Fn = Builder.regionFunction(Name, S->getBeginLoc());
    Omp.push_back(std::move(R));
    for (const Stmt *T : All) {
      InOmp[T] = K;
      if (const auto *Crit = dyn_cast<OMPCriticalDirective>(T)) {
        ms_path P = ms_path_unknown();
        P.base = MS_BASE_GLOBAL;
        std::string CName = Crit->getDirectiveName().getAsString();
        P.name = str("(omp critical " + CName + ")");
        P.display = str(CName.empty() ? std::string("omp critical")
                                      : "omp critical (" + CName + ")");
        CriticalLeave[T] = P;
      }
    }
  }
  if (!Omp.empty())
    Body.HasThreads = Body.HasLocks = true;
}

/// The first element of the CFG inside each region and each critical
/// section (in source order).
void FactBuilder::FunctionAnalysis::findOmpAnchors(const CFG &G) {
  if (Omp.empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseMap<const Stmt *, const Stmt *> FirstInCritical;
  for (const CFGBlock *Blk : G)
    for (const CFGElement &E : *Blk) {
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      auto It = InOmp.find(St);
      if (It == InOmp.end() || St == Omp[It->second].Dir)
        continue;
      const Stmt *&Cur = Omp[It->second].First;
      if (!Cur || SM.isBeforeInTranslationUnit(St->getBeginLoc(), Cur->getBeginLoc()))
        Cur = St;
      for (const auto &KV : CriticalLeave) {
        const auto *Crit = cast<OMPCriticalDirective>(KV.first);
        const Stmt *Assoc = Crit->getAssociatedStmt();
        if (St == KV.first || !Assoc ||
            !SM.isPointWithin(SM.getExpansionLoc(St->getBeginLoc()),
                              SM.getExpansionLoc(Assoc->getBeginLoc()),
                              SM.getExpansionLoc(Assoc->getEndLoc())))
          continue;
        const Stmt *&F = FirstInCritical[KV.first];
        if (!F || SM.isBeforeInTranslationUnit(St->getBeginLoc(), F->getBeginLoc()))
          F = St;
      }
    }
  for (const auto &KV : FirstInCritical)
    CriticalEnter[KV.second] = CriticalLeave.lookup(KV.first);
}

int FactBuilder::FunctionAnalysis::ompRegionAt(SourceLocation L) const {
  if (Omp.empty())
    return -1;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation At = SM.getExpansionLoc(L);
  for (unsigned K = 0; K < Omp.size(); ++K)
    if (SM.isPointWithin(At, Omp[K].Range.getBegin(), Omp[K].Range.getEnd()))
      return static_cast<int>(K);
  return -1;
}

/// What a team thread of region K holds at a point: the locks taken inside
/// the region; no threads of its own.
State FactBuilder::FunctionAnalysis::ompView(const State &S, unsigned K) const {
  State V;
  V.Reachable = S.Reachable;
  for (const HeldLock &H : S.Locks) {
    SourceLocation At = H.Call ? H.Call->getBeginLoc() : Builder.location(H.AcquiredAt);
    if (At.isValid() && ompRegionAt(At) == static_cast<int>(K))
      V.Locks.push_back(H);
  }
  return V;
}

/// A variable of the function used in a region: shared by the team unless
/// declared in the region or made private; null path: not shared.
ms_path FactBuilder::FunctionAnalysis::ompShared(const VarDecl *VD, const Expr *Use) {
  int K = Use ? ompRegionAt(Use->getBeginLoc()) : -1;
  if (K < 0 || !VD->hasLocalStorage() || Omp[K].Private.count(VD))
    return ms_path_unknown();
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isPointWithin(SM.getExpansionLoc(VD->getLocation()), Omp[K].Range.getBegin(),
                       Omp[K].Range.getEnd()))
    return ms_path_unknown(); // the thread's own
  ms_path P = ms_path_unknown();
  P.base = MS_BASE_GLOBAL;
  P.name = str((FD->getName() + "::" + VD->getName()).str());
  P.display = str(VD->getName());
  return P;
}

/// A spawn fact per region reached, its threads many, with the
/// encountering thread's state; the region's function has no effects.
void FactBuilder::FunctionAnalysis::recordOmpSpawns() {
  for (OmpRegion &R : Omp) {
    ms_function Fact;
    std::memset(&Fact, 0, sizeof Fact);
    Fact.defined = 1;
    Fact.returns = 1;
    if (ms_set_function_body(Facts, R.Fn, &Fact))
      Builder.Failed = true;
    if (!R.Reached)
      continue;
    ms_spawn Sp;
    std::memset(&Sp, 0, sizeof Sp);
    Sp.func = Fn;
    Sp.entry = R.Fn;
    Sp.loc = Builder.locId(R.Dir->getBeginLoc());
    Sp.api = str("omp parallel");
    Sp.handle = ms_path_unknown();
    Sp.multiplicity = MS_MULT_MANY;
    Sp.arg_param = -1;
    Sp.arg = ms_value{ms_path_unknown(), 0, 0, nullptr, 0};
    FactSets Sets;
    toFacts(R.Entry, Sets);
    Sp.locks = Sets.lockset();
    Sp.live = Sets.threadset();
    Builder.check(ms_add_spawn(Facts, &Sp));
  }
}

} // namespace mapsafe
