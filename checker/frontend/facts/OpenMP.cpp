//===--- OpenMP.cpp - parallel regions and critical sections --------------===//
//
// `#pragma omp parallel` (and `parallel for`) runs its body on a team of
// threads at once, the encountering thread among them, and waits for them
// all at its end; `parallel sections` runs each section once, beside the
// others.  clang's CFG keeps the body inline in the function; here
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
// Barriers (explicit, at the end of `single` and of a work-sharing `for`
// without nowait, and a `taskwait`) split a region into phases; `single`
// and `master` blocks and each section of work-sharing `sections` run on
// one thread, tasks beside the team (a barrier ends `sections` unless
// nowait).  A region (or section) with any other construct inside
// (ordered, nested parallel, nested tasks or blocks) stays sequential code
// of the function (silent rather than wrong).
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/OpenMPClause.h"
#include "clang/AST/StmtOpenMP.h"
#include "clang/Basic/SourceManager.h"
#include <cstring>
#include <map>

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

/// Whether a structured block holds only constructs this model knows;
/// All receives its statements.
static bool plainBlock(const Stmt *Body, llvm::SmallVectorImpl<const Stmt *> &All) {
  llvm::SmallVector<const Stmt *, 64> Inner{Body};
  while (!Inner.empty()) {
    const Stmt *T = Inner.pop_back_val();
    if (!T)
      continue;
    if (isa<OMPExecutableDirective>(T) && !harmless(T))
      return false;
    All.push_back(T);
    for (const Stmt *C : facts::childrenOf(T))
      Inner.push_back(C);
  }
  return true;
}

namespace {
/// A region's code split at its barriers (explicit, or at the end of a
/// `single` or work-sharing `for` without `nowait`): accesses of different
/// phases never run at once.  In each phase the team's code runs on every
/// thread, a `single`, `master` or `masked` block on one.
struct OmpPhases {
  struct Block {
    const Stmt *Dir;
    const char *What;
    unsigned Phase;
    llvm::SmallVector<const Stmt *, 16> All;
    bool Many = false; // a task created in a loop: many at once
  };
  std::vector<llvm::SmallVector<const Stmt *, 32>> Team;
  std::vector<Block> Blocks;
};

bool hasNowait(const OMPExecutableDirective *D) {
  return llvm::any_of(D->clauses(), [](const OMPClause *C) { return isa<OMPNowaitClause>(C); });
}

/// Whether directive D begins inside the block of one of Outer.
bool withinAny(const OMPExecutableDirective *D,
               llvm::ArrayRef<const OMPExecutableDirective *> Outer, const SourceManager &SM) {
  SourceLocation At = SM.getExpansionLoc(D->getBeginLoc());
  return llvm::any_of(Outer, [&](const OMPExecutableDirective *O) {
    return SM.isPointWithin(At, SM.getExpansionLoc(O->getBeginLoc()),
                            SM.getExpansionLoc(O->getAssociatedStmt()->getEndLoc()));
  });
}

bool phasedBlock(const Stmt *Body, const SourceManager &SM, OmpPhases &Out) {
  // The barrier points, in source order, and the blocks run by one thread.
  llvm::SmallVector<SourceLocation, 4> Barriers;
  llvm::SmallVector<const OMPExecutableDirective *, 4> One, Tasks;
  llvm::SmallVector<SourceRange, 4> Loops;
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  llvm::SmallVector<const Stmt *, 128> All;
  while (!Stack.empty()) {
    const Stmt *T = Stack.pop_back_val();
    if (!T)
      continue;
    All.push_back(T);
    if (const auto *D = dyn_cast<OMPExecutableDirective>(T)) {
      if (isa<OMPBarrierDirective>(D)) {
        Barriers.push_back(SM.getExpansionLoc(D->getBeginLoc()));
      } else if (isa<OMPSingleDirective>(D) || isa<OMPMasterDirective>(D) ||
                 isa<OMPMaskedDirective>(D)) {
        if (withinAny(D, One, SM))
          return false; // nested: not modelled
        One.push_back(D);
        if (isa<OMPSingleDirective>(D) && !hasNowait(D))
          Barriers.push_back(SM.getExpansionLoc(D->getAssociatedStmt()->getEndLoc()));
      } else if (const auto *Secs = dyn_cast<OMPSectionsDirective>(D)) {
        // Work-sharing sections: each section runs once, on one thread of
        // the team, beside the others; all end at the barrier after them.
        const auto *Parts = Secs->hasAssociatedStmt()
                                ? dyn_cast_or_null<CompoundStmt>(
                                      Secs->getInnermostCapturedStmt()->getCapturedStmt())
                                : nullptr;
        if (!Parts)
          return false;
        for (const Stmt *Part : Parts->body()) {
          const auto *Sec = dyn_cast<OMPSectionDirective>(Part);
          if (!Sec || !Sec->hasAssociatedStmt())
            return false; // a first section without its directive: not modelled
          if (withinAny(Sec, One, SM))
            return false; // nested: not modelled
          One.push_back(Sec);
        }
        if (!hasNowait(D))
          Barriers.push_back(SM.getExpansionLoc(Secs->getAssociatedStmt()->getEndLoc()));
      } else if (isa<OMPSectionDirective>(D)) {
        // A section of the sections above (one outside them is not in a
        // team region's code).
      } else if (isa<OMPForDirective>(D) || isa<OMPForSimdDirective>(D)) {
        if (!hasNowait(D))
          Barriers.push_back(SM.getExpansionLoc(D->getAssociatedStmt()->getEndLoc()));
      } else if (isa<OMPTaskDirective>(D)) {
        // A task runs on some thread of the team, beside the others, until
        // the next barrier (a taskwait is taken as one: only what the
        // waiting thread does after it could still overlap).
        if (withinAny(D, Tasks, SM))
          return false; // nested tasks: not modelled
        Tasks.push_back(D);
      } else if (isa<OMPTaskwaitDirective>(D)) {
        Barriers.push_back(SM.getExpansionLoc(D->getBeginLoc()));
      } else if (!harmless(D)) {
        return false;
      }
    } else if (isa<ForStmt>(T) || isa<WhileStmt>(T) || isa<DoStmt>(T)) {
      Loops.push_back(SourceRange(SM.getExpansionLoc(T->getBeginLoc()),
                                  SM.getExpansionLoc(T->getEndLoc())));
    }
    for (const Stmt *C : facts::childrenOf(T))
      Stack.push_back(C);
  }
  auto PhaseOf = [&](SourceLocation L) {
    L = SM.getExpansionLoc(L);
    unsigned N = 0;
    for (SourceLocation B : Barriers)
      N += SM.isBeforeInTranslationUnit(B, L);
    return N;
  };
  Out.Team.assign(Barriers.size() + 1, {});
  // Tasks first: a task written in a single block runs on its own.
  llvm::SmallVector<const OMPExecutableDirective *, 8> Units(Tasks.begin(), Tasks.end());
  Units.append(One.begin(), One.end());
  // A unit per block and phase (a taskwait or barrier inside a single
  // block separates its parts too).
  std::map<std::pair<size_t, unsigned>, size_t> UnitOf;
  auto BlockUnit = [&](size_t I, unsigned Phase) -> OmpPhases::Block & {
    auto [It, New] = UnitOf.try_emplace({I, Phase}, Out.Blocks.size());
    if (New) {
      const OMPExecutableDirective *D = Units[I];
      bool Task = isa<OMPTaskDirective>(D);
      SourceLocation At = SM.getExpansionLoc(D->getBeginLoc());
      // Many tasks at once: one created in a loop, or by every thread of
      // the team (not in a single or master block).
      bool Many = Task && (llvm::any_of(Loops, [&](SourceRange R) {
                             return SM.isPointWithin(At, R.getBegin(), R.getEnd());
                           }) ||
                           !withinAny(D, One, SM));
      const char *What = Task                            ? "omp task"
                         : isa<OMPSingleDirective>(D)  ? "omp single"
                         : isa<OMPSectionDirective>(D) ? "omp section"
                                                       : "omp master";
      Out.Blocks.push_back({D, What,
                            Task ? PhaseOf(D->getBeginLoc()) : Phase, {}, Many});
    }
    return Out.Blocks[It->second];
  };
  for (const Stmt *T : All) {
    SourceLocation L = SM.getExpansionLoc(T->getBeginLoc());
    bool InBlock = false;
    for (size_t I = 0; I < Units.size() && !InBlock; ++I) {
      const Stmt *Assoc = Units[I]->getAssociatedStmt();
      if (T != Units[I] && SM.isPointWithin(L, SM.getExpansionLoc(Assoc->getBeginLoc()),
                                            SM.getExpansionLoc(Assoc->getEndLoc()))) {
        // A task's code belongs to the task's phase: it was created there.
        BlockUnit(I, isa<OMPTaskDirective>(Units[I]) ? PhaseOf(Units[I]->getBeginLoc())
                                                     : PhaseOf(T->getBeginLoc()))
            .All.push_back(T);
        InBlock = true;
      }
    }
    if (!InBlock)
      Out.Team[std::min<size_t>(PhaseOf(T->getBeginLoc()), Barriers.size())].push_back(T);
  }
  return true;
}
} // namespace

void FactBuilder::FunctionAnalysis::findOmpRegions() {
  if (!Ctx.getLangOpts().OpenMP || !FD->getBody())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // One thread function per region (many instances), or per section of
  // `parallel sections` (one instance each).
  auto Add = [&](const Stmt *Dir, const Stmt *Body, const OMPExecutableDirective *Clauses,
                 const char *What, bool Many, const Stmt *Group, unsigned Phase,
                 llvm::ArrayRef<const Stmt *> All) {
    OmpRegion R;
    R.Dir = Dir;
    R.Many = Many;
    R.Group = Group;
    R.Phase = Phase;
    // A directive's own range ends with its line: the block it governs
    // ends where its statement does.
    const Stmt *Last = Body;
    while (const auto *D = dyn_cast<OMPExecutableDirective>(Last))
      if (!(Last = D->hasAssociatedStmt() ? D->getAssociatedStmt() : nullptr))
        break;
    R.Range = SourceRange(SM.getExpansionLoc(Body->getBeginLoc()),
                          SM.getExpansionLoc((Last ? Last : Body)->getEndLoc()));
    for (const OMPClause *C : Clauses->clauses()) {
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
    std::string Name = (llvm::Twine(What) + " in " + FD->getName() + " (line " +
                        llvm::Twine(SM.getExpansionLineNumber(Dir->getBeginLoc())) +
                        (Phase ? ", after barrier " + llvm::Twine(Phase) : llvm::Twine("")) + ")")
                           .str();
    R.Fn = Builder.regionFunction(Name, Dir->getBeginLoc());
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
  };
  llvm::SmallVector<const Stmt *, 64> Stack{FD->getBody()};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    const auto *Dir = dyn_cast<OMPExecutableDirective>(S);
    if (Dir && teamRegion(S) && Dir->hasAssociatedStmt()) {
      const Stmt *Body = Dir->getInnermostCapturedStmt()->getCapturedStmt();
      OmpPhases P;
      if (phasedBlock(Body, SM, P)) {
        for (unsigned Ph = 0; Ph < P.Team.size(); ++Ph)
          if (!P.Team[Ph].empty() || Ph == 0)
            Add(S, Body, Dir, "omp parallel", true, S, Ph, P.Team[Ph]);
        for (const OmpPhases::Block &B : P.Blocks)
          Add(B.Dir, Body, Dir, B.What, B.Many, S, B.Phase, B.All);
      }
      continue; // a region with other constructs: sequential code, as before
    }
    if (const auto *PS = dyn_cast<OMPParallelSectionsDirective>(S); PS && PS->hasAssociatedStmt()) {
      // Each section (the first may be written without its directive) runs
      // once, beside the others.
      const auto *Sections = dyn_cast_or_null<CompoundStmt>(
          PS->getInnermostCapturedStmt()->getCapturedStmt());
      llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 4> Parts; // (dir, body)
      bool Plain = Sections != nullptr;
      for (const Stmt *Part : Sections ? Sections->body() : llvm::ArrayRef<Stmt *>()) {
        const Stmt *Body = Part;
        if (const auto *Sec = dyn_cast<OMPSectionDirective>(Part))
          Body = Sec->hasAssociatedStmt() ? Sec->getAssociatedStmt() : nullptr;
        if (!Body) {
          Plain = false;
          break;
        }
        Parts.emplace_back(Part, Body);
      }
      llvm::SmallVector<llvm::SmallVector<const Stmt *, 64>, 4> Alls(Parts.size());
      for (size_t I = 0; I < Parts.size() && Plain; ++I)
        Plain = plainBlock(Parts[I].second, Alls[I]);
      if (Plain)
        for (size_t I = 0; I < Parts.size(); ++I)
          Add(Parts[I].first, Parts[I].second, PS, "omp section", false, PS, 0, Alls[I]);
      continue;
    }
    for (const Stmt *C : facts::childrenOf(S))
      Stack.push_back(C);
  }
  if (!Omp.empty())
    Body.HasThreads = Body.HasLocks = true;
}

/// The first element of the CFG inside each region (in source order), and
/// the critical sections each element is in.
void FactBuilder::FunctionAnalysis::findOmpAnchors(const CFG &G) {
  if (Omp.empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const CFGBlock *Blk : G)
    for (const CFGElement &E : *Blk) {
      auto CS = E.getAs<CFGStmt>();
      if (!CS)
        continue;
      const Stmt *St = CS->getStmt();
      auto It = InOmp.find(St);
      if (It == InOmp.end() || isa<OMPExecutableDirective>(St))
        continue;
      const Stmt *&Cur = Omp[It->second].First;
      if (!Cur || SM.isBeforeInTranslationUnit(St->getBeginLoc(), Cur->getBeginLoc()))
        Cur = St;
      SourceLocation At = SM.getExpansionLoc(St->getBeginLoc());
      for (const auto &KV : CriticalLeave) {
        const Stmt *Assoc = cast<OMPCriticalDirective>(KV.first)->getAssociatedStmt();
        if (Assoc && SM.isPointWithin(At, SM.getExpansionLoc(Assoc->getBeginLoc()),
                                      SM.getExpansionLoc(Assoc->getEndLoc())))
          CriticalEnter[St].push_back(KV.second);
      }
    }
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
    const SourceManager &SM = Ctx.getSourceManager();
    if (At.isValid() && SM.isPointWithin(SM.getExpansionLoc(At), Omp[K].Range.getBegin(),
                                         Omp[K].Range.getEnd()))
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
  // The sections of one `parallel sections` run beside one another: each
  // is started with the earlier ones running.
  std::map<std::pair<const Stmt *, unsigned>, std::vector<ms_id>> Started;
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
    Sp.multiplicity = R.Many ? MS_MULT_MANY : MS_MULT_ONE;
    Sp.arg_param = -1;
    Sp.arg = ms_value{ms_path_unknown(), 0, 0, nullptr, 0};
    FactSets Sets;
    toFacts(R.Entry, Sets);
    if (R.Group)
      for (ms_id Sibling : Started[{R.Group, R.Phase}]) {
        ms_running E;
        std::memset(&E, 0, sizeof E);
        E.spawn = Sibling;
        E.call = MS_NONE;
        Sets.Running.push_back(E);
      }
    Sp.locks = Sets.lockset();
    Sp.live = Sets.threadset();
    ms_id Id = Builder.check(ms_add_spawn(Facts, &Sp));
    if (R.Group && Id != MS_NONE)
      Started[{R.Group, R.Phase}].push_back(Id);
  }
}

} // namespace mapsafe
