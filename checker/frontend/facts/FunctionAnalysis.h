//===--- FunctionAnalysis.h - the analysis of one function ----------------===//
//
// Internal to the frontend's fact building: what the prepass learns about
// a function body (BodyFacts), the program state the dataflow tracks
// (State), and FunctionAnalysis, which turns one function into facts in
// named phases:
//
//   Prepass.cpp      prepare: one walk over the body (loops, assignments, stores, ...)
//   ObjectPaths.cpp  naming the objects expressions denote (ms_path)
//   Dataflow.cpp     solve: the fixpoint over clang's CFG (State.cpp: the state);
//                    number the calls; record the facts; summarise the exit
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_FACTS_FUNCTIONANALYSIS_H
#define MAPSAFE_FRONTEND_FACTS_FUNCTIONANALYSIS_H

#include "facts/FactBuilder.h"
#include "facts/MacroUses.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <deque>
#include <optional>
#include <vector>

namespace mapsafe {

namespace facts {
/// An expansion of a rule's macro in a function body (MacroSites.cpp): the
/// statement it became and what each argument became.
struct MacroSite {
  const MacroUses::Use *Use = nullptr;
  const clang::Stmt *Top = nullptr;
  llvm::SmallVector<const clang::Expr *, 6> Args; // null: not an expression
  // The statements of the body around Top, outermost first: where the
  // dataflow applies an expansion that is a bare part of one (kh_val).
  llvm::SmallVector<const clang::Stmt *, 8> Around;
};
class MacroSites {
public:
  std::vector<MacroSite> Sites;
  /// The expansion a statement is made of (its calls are the macro's, not
  /// the user's): the index of its site, or -1.  Decided by the statement's
  /// location, remembered per expansion.
  int siteOf(const clang::Stmt *S) const;
  /// Below the top of an expansion whose arguments are all known, the
  /// statements that are the user's (the arguments): the walks over a body
  /// go on only into them (null: into all children).
  const llvm::SmallVectorImpl<const clang::Stmt *> *userPartsBelow(const clang::Stmt *S) const {
    if (UserParts.empty())
      return nullptr;
    auto It = UserParts.find(S);
    return It == UserParts.end() ? nullptr : &It->second;
  }

private:
  friend class SiteFinder;
  const MacroUses::Use *owner(clang::SourceLocation L) const;
  const MacroUses *Uses = nullptr;
  const clang::SourceManager *SM = nullptr;
  llvm::DenseMap<const MacroUses::Use *, unsigned> SiteOfUse;
  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<const clang::Stmt *, 2>> UserParts;
  mutable llvm::DenseMap<clang::FileID, const MacroUses::Use *> OwnerOf;
};
/// Finds the expansions of the rules' macros in Body.
void findMacroSites(const clang::Stmt *Body, const MacroUses &Uses,
                    const clang::SourceManager &SM, MacroSites &Out);
} // namespace facts

/// A function's calls from a first, cheap look at its body, and what that
/// says about it (FactBuilder::classOf, ::plan).
struct FactBuilder::FunctionClass {
  struct Call {
    const clang::CallExpr *Expr;
    const Rule *R;                        // the rule of a library call, or
    const clang::FunctionDecl *Callee;    // the definition of a function of the file,
    bool External;                        // or a user function defined elsewhere
  };
  std::vector<Call> Calls;                            // in source order
  facts::MacroSites Macros;                           // expansions of the rules' macros
  std::vector<const clang::FunctionDecl *> Callbacks; // passed to map operations
  std::vector<const clang::FunctionDecl *> Entries;   // started by its spawns
  bool HasMaps = false, HasLocks = false, HasThreads = false; // the body itself
  bool HasTeardown = false; // tests for the last reference (needs the dataflow)
  // Decided by plan() over the call graph:
  bool Producer = false;       // reaches a map operation, a spawn or a join
  bool TouchesLocks = false;   // it or a callee (directly called) locks or unlocks
  bool TouchesThreads = false; // it or a callee (directly called) spawns or joins
  bool Needed = false;         // a producer, or a lock-touching callee of one
  bool CallsExternal = false;  // calls a user function defined elsewhere (recorded)
  // Decided by analysing it (FactBuilder::withFacts), callees first:
  enum { Unanalysed, Analysing, WithFacts, WithoutFacts } Analysis = Unanalysed;
};

namespace facts {

inline bool samePath(const ms_path &A, const ms_path &B) { return ms_path_equal(&A, &B); }

/// A statement's children as the code runs them: with the body of a
/// captured statement (an OpenMP region's), which clang's children() leave
/// out.  A range over children() and then that body, if any.
class childrenOf {
public:
  explicit childrenOf(const clang::Stmt *S)
      : Range(S->children()),
        Extra(S->getStmtClass() == clang::Stmt::CapturedStmtClass
                  ? llvm::cast<clang::CapturedStmt>(S)->getCapturedStmt()
                  : nullptr) {}
  class iterator {
  public:
    iterator(clang::Stmt::const_child_iterator I, clang::Stmt::const_child_iterator E,
             const clang::Stmt *Extra)
        : I(I), E(E), Extra(Extra) {}
    const clang::Stmt *operator*() const { return I != E ? *I : Extra; }
    iterator &operator++() {
      if (I != E)
        ++I;
      else
        Extra = nullptr;
      return *this;
    }
    bool operator!=(const iterator &O) const { return I != O.I || Extra != O.Extra; }

  private:
    clang::Stmt::const_child_iterator I, E;
    const clang::Stmt *Extra;
  };
  iterator begin() const { return iterator(Range.begin(), Range.end(), Extra); }
  iterator end() const { return iterator(Range.end(), Range.end(), nullptr); }

private:
  clang::Stmt::const_child_range Range;
  const clang::Stmt *Extra;
};
inline bool isUnknown(const ms_path &P) { return ms_path_is_unknown(&P); }

/// The argument a rule names, or null when the call has no such argument
/// (or the rule names the result).
inline const clang::Expr *argOf(const clang::CallExpr *CE, ArgRef Ref) {
  return Ref.Index >= 0 && (unsigned)Ref.Index < CE->getNumArgs() ? CE->getArg(Ref.Index)
                                                                  : nullptr;
}

/// The handle a join is given: its argument, or for a join given the
/// handle's address (`uv_thread_join (&t[i])`) what that address is of.
inline const clang::Expr *joinedHandle(const clang::CallExpr *CE, const JoinRule &R) {
  const clang::Expr *H = R.Handle.isReturn() ? nullptr : argOf(CE, R.Handle);
  if (H && R.HandleAddress) {
    const auto *UO = llvm::dyn_cast<clang::UnaryOperator>(H->IgnoreParenCasts());
    H = UO && UO->getOpcode() == clang::UO_AddrOf ? UO->getSubExpr() : nullptr;
  }
  return H;
}

/// Calls F for every statement under Body (OpenMP region bodies included),
/// in no particular order, until F returns false.
void forEachStmt(const clang::Stmt *Body, llvm::function_ref<bool(const clang::Stmt *)> F);
/// The member an assignment statement stores into (`x.f = v`, `p->f = v`),
/// or null when S is no such assignment.
inline const clang::MemberExpr *assignedMember(const clang::Stmt *S) {
  const auto *BO = llvm::dyn_cast<clang::BinaryOperator>(S);
  return BO && BO->getOpcode() == clang::BO_Assign
             ? llvm::dyn_cast<clang::MemberExpr>(BO->getLHS()->IgnoreParenImpCasts())
             : nullptr;
}

/// Whether a spawn's text condition holds (`when-prefix`: the signal name a
/// string literal beginning with "handle-"); true without one.
inline bool prefixHolds(const clang::CallExpr *CE, const SpawnRule &R) {
  if (R.WhenPrefix.empty())
    return true;
  const clang::Expr *A = argOf(CE, R.WhenPrefixArg);
  const auto *SL = A ? llvm::dyn_cast<clang::StringLiteral>(A->IgnoreParenImpCasts()) : nullptr;
  return SL && SL->getCharByteWidth() == 1 && SL->getString().starts_with(R.WhenPrefix);
}

/// The function an expression names (`f`, `&f`, `(GFunc) f`, `(GFunc) &f`),
/// if it names one.
inline const clang::FunctionDecl *namedFunction(const clang::Expr *E) {
  E = E ? E->IgnoreParenCasts() : nullptr;
  if (const auto *UO = llvm::dyn_cast_or_null<clang::UnaryOperator>(E))
    E = UO->getOpcode() == clang::UO_AddrOf && UO->getSubExpr()
            ? UO->getSubExpr()->IgnoreParenCasts()
            : nullptr;
  const auto *DRE = llvm::dyn_cast_or_null<clang::DeclRefExpr>(E);
  return DRE ? llvm::dyn_cast_or_null<clang::FunctionDecl>(DRE->getDecl()) : nullptr;
}

struct BodyFacts;

/// The function a thread entry argument names: as namedFunction, or through
/// a variable of function pointer type that holds one function for good (a
/// const variable initialised with it, or a local initialised with it and
/// never assigned again nor its address taken; what spawn macros that
/// check the entry's type expand to).  Without the body's prepass (Body
/// null: the first look of Classify.cpp), a local's initialiser is taken
/// as it is, which only decides what is analysed.
const clang::FunctionDecl *entryFunction(const clang::Expr *E, const BodyFacts *Body);
/// The function a spawn starts: its entry argument's (entryFunction), or
/// for a rule with entry fields the one function stored in such a field of
/// the struct the argument points to (`&sa`), by its initialiser or by
/// assignments in the spawning function's body (`sa.sa_handler = f`).
const clang::FunctionDecl *spawnEntry(const clang::CallExpr *CE, const SpawnRule &R,
                                      const clang::Stmt *FunctionBody, const BodyFacts *Body);

/// An expression without parentheses and casts, and the value of a GNU
/// statement expression (GLib's g_new is `({ ...; value; })`).
const clang::Expr *strip(const clang::Expr *E);

/// The program state the dataflow tracks at a point (see facts.h for what
/// the entries mean; call entries are kept by their CallExpr until the
/// calls are numbered).
struct HeldLock {
  ms_path Lock;                       // own acquisitions; unknown for call entries
  ms_lock_mode Mode = MS_LOCK_EXCLUSIVE;
  ms_id AcquiredAt = MS_NONE;
  const clang::CallExpr *Call = nullptr; // held by what this call's callee returns holding
  llvm::SmallVector<const clang::CallExpr *, 2> ReleasedBy; // calls since, on some path
  llvm::SmallVector<ms_path, 1> Released;                  // call entries: released since
};

struct ReleasedLock {
  ms_path Lock;
  llvm::SmallVector<const clang::CallExpr *, 2> UnlessAcquiredBy;
  bool SomePaths = false; // released on some of the paths that meet here only
};

struct RunningThread {
  int Spawn = -1;                        // index into BodyFacts::Spawns, or
  const clang::CallExpr *Call = nullptr; // the threads this call's callee leaves running
  ms_path Handle = ms_path_unknown();    // own spawns: where the handle is stored
  llvm::SmallVector<const clang::CallExpr *, 2> JoinedBy; // calls since, on every path
  llvm::SmallVector<ms_path, 1> Joined;                  // call entries: joined since
};

/// The elements of an array of handles (of at most 64) joined one by one
/// with constant indices (`t[0]`, `t[1]`, ...) since its last spawn.
struct JoinedElements {
  ms_path Array;
  uint64_t Indices = 0; // bit I: element I joined
};

struct State {
  bool Reachable = false;
  bool Teardown = false; // on every path: a last-reference test succeeded, or a join
  llvm::SmallVector<HeldLock, 4> Locks;         // a must-set
  llvm::SmallVector<ms_path, 2> Maybe; // own locks held on some paths, not all: a may-set
  llvm::SmallVector<ReleasedLock, 2> Released;  // released, not acquired here: a may-set
  llvm::SmallVector<RunningThread, 4> Running;  // a may-set
  llvm::SmallVector<JoinedElements, 1> Elements; // a must-set, by array and index

  void acquire(const ms_path &Lock, ms_lock_mode Mode, ms_id At);
  void release(const ms_path &Lock);
  /// What the callee of CE returned holding is released (a scoped
  /// locker's cleanup).
  void releaseCall(const clang::CallExpr *CE);
  /// A call whose callee may change locks and/or threads.
  void call(const clang::CallExpr *CE, bool Locks, bool Threads);
  void spawned(int Spawn, const ms_path &Handle);
  void spawnFailed(int Spawn);
  /// The threads started with this handle are joined.
  void joined(const ms_path &Handle);
  /// Element Index of the array of Size handles Array is joined; true when
  /// that makes every element joined (the caller then joins the array).
  bool joinedElement(const ms_path &Array, unsigned Index, unsigned Size);
  bool running(int Spawn) const;
  /// Merges another path's state into this one; returns whether it changed.
  bool join(const State &O);
};

struct Assignment {
  const clang::Expr *Value;
  const clang::Stmt *Loop;
  const clang::Expr *Target; // the lvalue assigned (field stores), or null
};

/// What the prepass learns about a function body.
struct BodyFacts {
  llvm::DenseMap<const clang::Stmt *, const clang::Stmt *> LoopParent;
  llvm::DenseMap<const clang::CallExpr *, const clang::Stmt *> CallLoop;
  llvm::DenseMap<const clang::VarDecl *, const clang::Stmt *> VarLoop;
  llvm::DenseMap<const clang::VarDecl *, std::vector<Assignment>> Assigns;
  llvm::DenseMap<const clang::VarDecl *, std::vector<Assignment>> FieldStores; // by base variable
  llvm::DenseMap<const clang::VarDecl *, std::vector<const clang::Expr *>> Escapes; // stored into
  std::vector<const clang::BinaryOperator *> Stores; // assignments to what is not a local variable
  llvm::SmallPtrSet<const clang::VarDecl *, 8> AddressTaken;
  llvm::SmallPtrSet<const clang::ParmVarDecl *, 4> ChangedParams; // assigned, or address taken
  llvm::DenseMap<const clang::VarDecl *, const clang::CallExpr *> TryVars; // results of calls that can fail
  llvm::DenseMap<const clang::VarDecl *, const clang::Expr *> IteratorMaps;
  llvm::DenseMap<const clang::CallExpr *, const clang::Expr *> AssignedTo; // lvalue receiving the result
  llvm::DenseMap<const clang::CallExpr *, const clang::VarDecl *> InitOf;  // variable initialised with it
  llvm::DenseMap<const clang::Stmt *, std::vector<ms_path>> LoopJoins;     // loop -> handles joined
  std::vector<const clang::CallExpr *> Spawns;
  std::vector<const clang::IfStmt *> Ifs; // for lazy creations: `if (!m) m = new()`
  // Calls from which spawns whose threads wait for work run (a pool's first
  // push, or a call handed the pool): indices into Spawns.
  llvm::DenseMap<const clang::CallExpr *, llvm::SmallVector<int, 1>> Starts;
  std::vector<const clang::FunctionDecl *> Callees;
  // What each call is: a rule's function, or one of this file's (callee);
  // both kinds of call in source order.
  llvm::DenseMap<const clang::CallExpr *, const Rule *> Rules;
  std::vector<const clang::CallExpr *> Calls;
  llvm::DenseMap<const clang::CallExpr *, const clang::FunctionDecl *> UserCalls;
  llvm::SmallPtrSet<const clang::CallExpr *, 4> ExternalCalls; // of functions defined elsewhere
  // The expansions of the rules' macros (the function's class has them);
  // the calls that are such an expansion's top (`kh_init_str ()`), by rule.
  const MacroSites *Macros = nullptr;
  llvm::DenseMap<const clang::CallExpr *, const Rule *> MacroCalls;
  // The element of the CFG where the dataflow applies each expansion: the
  // expansions applied at an element, in source order.
  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<unsigned, 1>> MacroAnchors;
  // Whether the body does anything the facts record: map operations, locks, threads.
  bool HasMaps = false, HasLocks = false, HasThreads = false, HasTeardown = false;
};

/// The struct type that declares a field, as messages name it: "struct
/// server", a typedef's name for an anonymous struct, or where it is.
std::string ownerName(const clang::RecordDecl *RD, const clang::ASTContext &Ctx);

/// The variable (local or global, not a parameter) an lvalue's storage
/// belongs to: `v`, `v.f`, `v->f`, `v[i].f`; null for anything else.
const clang::VarDecl *baseVar(const clang::Expr *E);
/// The local (non-parameter) variable an expression names, if any.
const clang::VarDecl *localVar(const clang::Expr *E);
/// Calls OnCall for every call of Body, in source order: a cheap first look.
/// OnAddressTaken, if given, for every function named other than as a callee;
/// OnIf, if given, for the condition of every `if` looked at.  With Sites,
/// the code of the rules' macros is not looked into (userPartsBelow).
void scanCalls(const clang::Stmt *Body, llvm::function_ref<void(const clang::CallExpr *)> OnCall,
               llvm::function_ref<void(const clang::FunctionDecl *)> OnAddressTaken = nullptr,
               llvm::function_ref<void(const clang::Expr *)> OnIf = nullptr,
               const MacroSites *Sites = nullptr);
/// The rule of the macro whose expansion is the whole condition (after any
/// `!`), at any level of nested macros: GLib's atomic last-reference tests
/// are macros that expand to builtins, not calls.  Negated is flipped for
/// every `!`.
const Rule *conditionMacro(const clang::Expr *Cond, const clang::ASTContext &Ctx,
                           const Rules &R, bool &Negated);
/// The full walk over Body, once OnCall has classified its calls into Out.
void prepass(const clang::Stmt *Body, BodyFacts &Out);

} // namespace facts

/// One function turned into facts.
class FactBuilder::FunctionAnalysis {
public:
  FunctionAnalysis(FactBuilder &Builder, const clang::FunctionDecl *FD);

  /// Runs the phases.  False if the function has no facts.
  bool run();

private:
  using CallExpr = clang::CallExpr;
  using Expr = clang::Expr;
  using VarDecl = clang::VarDecl;

  // ---- phases (Dataflow.cpp) ----
  bool prepare();
  bool needsDataflow();
  /// Whether S is part of a map macro's own code (not the user's).
  bool mapMacroCode(const clang::Stmt *S) const {
    int K = Body.Macros ? Body.Macros->siteOf(S) : -1;
    return K >= 0 && Body.Macros->Sites[K].Use->R->mapOp;
  }
  bool recordInOrder();
  bool solve(const clang::CFG &G);
  bool numberCalls(const clang::CFG &G);
  bool record(const clang::CFG &G);
  bool summarise(const clang::CFG *G);

  // ---- paths (ObjectPaths.cpp) ----
  struct AliasInfo {
    ms_path Path;           // what the variable holds
    ms_path Escaped;        // the global or field it is stored into, if Store
    const Expr *Store;      // the lvalue of that one store, or null
    const Expr *Swap;       // a later store of something else into Path: from there the
                            // variable holds what was swapped out (its own), or null
  };
  llvm::DenseMap<const VarDecl *, AliasInfo> AliasMemo;
  llvm::DenseMap<const Expr *, ms_path> PointeeMemo;
  llvm::DenseMap<const VarDecl *, ms_path> VarPathMemo;
  llvm::SmallPtrSet<const VarDecl *, 8> AliasBusy;

  const Rule *ruleOf(const CallExpr *CE) const;
  bool isFresh(const Expr *E) const;
  ms_path pointee(const Expr *E, unsigned Depth = 0);
  ms_path object(const Expr *E, unsigned Depth = 0);
  const AliasInfo &aliasInfo(const VarDecl *VD, unsigned Depth);
  ms_path alias(const VarDecl *VD, unsigned Depth, const Expr *Use = nullptr);
  ms_path varPath(const VarDecl *VD, bool Local);
  ms_path withField(ms_path Base, const clang::FieldDecl *FDecl);
  bool storedInField(const clang::MemberExpr *ME, ms_path &Out, unsigned Depth);
  ms_path resultPath(const CallExpr *CE);
  ms_path handlePath(const Expr *E, bool PointerToHandle);
  ms_path returnedHandle(const CallExpr *CE);
  bool loopWithin(const clang::Stmt *Inner, const clang::Stmt *Outer) const;
  bool freshPerInstance(const Expr *E, const CallExpr *Site);
  ms_value value(const Expr *E, const CallExpr *Site, bool Spawn,
                 std::vector<ms_field_value> &Fields);
  ms_id typeName(const Expr *E);
  ms_id str(llvm::StringRef S);

  /// A rule's operation at one place: a call, or a macro's expansion.
  struct Operation {
    llvm::StringRef Name;          // the function's or the macro's
    clang::SourceLocation Loc;     // where it is told
    clang::SourceRange Range;
    const CallExpr *Call = nullptr; // the call (a macro's: the call it became, if it is one)
    const llvm::SmallVectorImpl<const Expr *> *MacroArgs = nullptr; // a macro's arguments
    const Expr *arg(ArgRef A) const {
      if (!MacroArgs)
        return Call ? facts::argOf(Call, A) : nullptr;
      return A.Index >= 0 && (size_t)A.Index < MacroArgs->size() ? (*MacroArgs)[A.Index] : nullptr;
    }
  };
  static Operation callOperation(const CallExpr *CE);
  Operation macroOperation(const facts::MacroSite &M) const;

  // ---- OpenMP (OpenMP.cpp) ----
  /// A `parallel` region: its body runs on a team of threads, many at
  /// once; the function waits for them at its end.  Its accesses belong to
  /// a function fact of its own, the entry of a spawn at the region.
  struct OmpRegion {
    const clang::Stmt *Dir = nullptr;
    clang::SourceRange Range;                          // of the region's body
    llvm::SmallPtrSet<const clang::VarDecl *, 4> Private; // private, firstprivate, ...
    ms_id Fn = MS_NONE;
    bool Many = true; // a team; one thread for a section
    const clang::Stmt *Group = nullptr; // the directive whose threads run beside this one's
    unsigned Phase = 0;                 // between which barriers
    const clang::Stmt *First = nullptr; // the first element of the CFG in it
    bool Reached = false;
    facts::State Entry; // the encountering thread's state there
  };
  std::vector<OmpRegion> Omp;
  llvm::DenseMap<const clang::Stmt *, unsigned> InOmp; // statements of each region
  // `critical` sections: the lock is held at every element inside (taking
  // it again changes nothing), released at the directive (which the CFG
  // puts after its body).
  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<ms_path, 1>> CriticalEnter;
  llvm::DenseMap<const clang::Stmt *, ms_path> CriticalLeave;
  void findOmpRegions();
  void findOmpAnchors(const clang::CFG &G);
  int ompRegionAt(clang::SourceLocation L) const;
  facts::State ompView(const facts::State &S, unsigned K) const;
  void recordOmpSpawns();
  ms_path ompShared(const VarDecl *VD, const clang::Expr *Use);

  // ---- the transfer functions (Dataflow.cpp) ----
  void site(unsigned K, facts::State &S, bool Record);
  void lockEffect(const Operation &Op, const LockRule &R, facts::State &S, bool Record);
  void findAnchors(const clang::CFG &G);
  void transfer(const clang::CFGBlock *Blk, facts::State &S, bool Record);
  void cleanup(const clang::CFGCleanupFunction &CF, facts::State &S);
  void call(const CallExpr *CE, facts::State &S, bool Record);
  void edge(const clang::CFGBlock *From, unsigned SuccIndex, facts::State &S);
  const CallExpr *testedCall(const Expr *Cond, bool &TrueMeansNonzero);
  llvm::DenseMap<const Expr *, std::pair<const Rule *, bool>> CondMacros; // conditionMacro, per condition
  bool constantElement(const clang::ArraySubscriptExpr *AS, unsigned &Index, unsigned &Size);
  void deferStart(int K);
  void startDeferred(const CallExpr *CE, facts::State &S, bool Record);
  const clang::FunctionDecl *callbackOf(const CallExpr *CE, ArgRef Callback);
  const FunctionClass *userCallee(const CallExpr *CE);

  // ---- writing facts (Dataflow.cpp) ----
  void recordAccess(const Operation &Op, const MapOpRule &Rule, const facts::State &S);
  void recordCall(const CallExpr *CE, const clang::FunctionDecl *Callee, const facts::State &S,
                  std::vector<ms_value> &Args, bool Callback);
  void recordUserCall(const CallExpr *CE, const clang::FunctionDecl *Callee, const facts::State &S);
  void recordCallback(const CallExpr *CE, const clang::FunctionDecl *Cb, ArgRef Data, int Param,
                      const facts::State &S);
  void recordSpawns();
  int flagTest(const CallExpr *CE, const FlagTest &T);
  bool spawnsMany(const CallExpr *CE, const SpawnRule &R);
  bool calledWithFlags(llvm::StringRef Function, const FlagTest &T);
  void recordClear(const clang::BinaryOperator *BO, const facts::State &S);
  void addAccess(const ms_access &A, clang::SourceRange Range);
  const clang::Expr *lazyCreation(clang::SourceLocation At, const ms_path &Map);
  uint32_t nonnullParam(clang::SourceLocation At);
  const std::vector<std::pair<const clang::Stmt *, uint32_t>> &nonnullBranches();
  std::optional<std::vector<std::pair<const clang::Stmt *, uint32_t>>> NonNullBranches;
  /// The state's sets as facts (they point into the Sets storage).
  struct FactSets;
  void setState(ms_access &A, const facts::State &S, FactSets &Sets);
  void toFacts(const facts::State &S, FactSets &Out);
  ms_id callId(const CallExpr *CE) const;

  FactBuilder &Builder;
  const clang::FunctionDecl *FD;
  clang::ASTContext &Ctx;
  const Rules &RuleTable;
  ms_facts *Facts;
  facts::BodyFacts Body;
  ms_id Fn = MS_NONE;     // this function's fact, made once it proves relevant
  ms_id SpawnBase = 0;    // fact id of Body.Spawns[0]
  std::vector<facts::State> In; // per CFG block: the state on entry
  struct SpawnSite {
    bool Reached = false; // the spawn is in reachable code (else it starts nothing)
    bool Deferred = false; // its threads run only from the calls in Body.Starts
    facts::State S;       // the state at the spawn (Deferred: where its threads start)
    ms_path Handle;
  };
  std::vector<SpawnSite> SpawnSites; // parallel to Body.Spawns
  std::vector<ms_path> JoinedHandles;
  std::vector<ms_path> LockInits, LockDestroys; // locks set up and torn down here
  llvm::SmallPtrSet<const clang::BinaryOperator *, 2> Clears; // `m = NULL` of a shared map
  bool Frees = false;                           // frees memory
  llvm::DenseMap<const CallExpr *, ms_id> CallIds; // call facts, numbered before recording
  ms_id NumberedEnd = 0;                           // the id after the last numbered call
};

/// Storage for the sets of one fact (the ms_* structs point into it).
struct FactBuilder::FunctionAnalysis::FactSets {
  std::vector<ms_held> Locks;
  std::vector<ms_running> Running;
  std::vector<ms_release> Releases;
  std::deque<std::vector<ms_id>> Ids;
  std::deque<std::vector<ms_path>> Paths;

  ms_idset ids(std::vector<ms_id> V) {
    Ids.push_back(std::move(V));
    return ms_idset{Ids.back().data(), (uint32_t)Ids.back().size()};
  }
  ms_pathset paths(llvm::ArrayRef<ms_path> V) {
    Paths.emplace_back(V.begin(), V.end());
    return ms_pathset{Paths.back().data(), (uint32_t)Paths.back().size()};
  }
  ms_lockset lockset() { return ms_lockset{Locks.data(), (uint32_t)Locks.size()}; }
  ms_threadset threadset() { return ms_threadset{Running.data(), (uint32_t)Running.size()}; }
  ms_releaseset releaseset() { return ms_releaseset{Releases.data(), (uint32_t)Releases.size()}; }
};


} // namespace mapsafe

#endif
