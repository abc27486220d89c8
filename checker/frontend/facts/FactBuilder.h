//===--- FactBuilder.h - from clang's AST and CFG to mapsafe facts --------===//
//
// FactBuilder reads one translation unit and writes its facts (facts.h):
// for every function defined in the user's code (not in system headers) that
// touches maps, locks or threads, it runs a dataflow over clang's CFG that
// tracks, at each program point,
//
//   - the locks held (a must-set: intersected where paths join), with
//     trylock results followed into the branch where they succeeded;
//   - the threads possibly running (a may-set of spawns: added at a spawn,
//     removed at the join of their handle, including the usual "join every
//     handle in a loop" shape);
//   - after a call of a function that may lock, unlock, start or join: a
//     reference to that call, for the engine to resolve with the callee's
//     effects;
//
// and records a fact at each call the rules (Rules.h) say something about,
// and at each call of another function of the file that has facts.
//
// Objects are named by paths (ms_path) built from the expressions: a global
// variable, a parameter, a field, or a local variable followed to the value
// it holds (a fresh map or allocation, another object, a parameter).
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_FACTS_FACTBUILDER_H
#define MAPSAFE_FRONTEND_FACTS_FACTBUILDER_H

#include "rules/Rules.h"
#include "mapsafe/facts.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"
#include <deque>
#include <memory>
#include <vector>

namespace mapsafe {

/// The functions the user declares to run on many threads at once
/// (mapsafe.ConcurrentFunctions): by name or glob pattern, and whatever
/// function an operations table stores in a named field.
struct DeclaredConcurrency {
  std::vector<llvm::GlobPattern> Functions;
  std::deque<std::string> Patterns; // the texts Functions refer to
  std::vector<std::pair<std::string, std::string>> Fields; // record ("struct ops" or "ops"), field
  /// Parses "handle_*;struct fuse_operations.read"; false with Error on a bad entry.
  bool parse(llvm::StringRef List, std::string &Error);
};

class MacroUses;

class FactBuilder {
public:
  /// RecordExternal: also record calls of the user's functions that are
  /// defined in other files (for a whole program's merged facts).  Macros,
  /// if given, are the expansions of the rules' macros the preprocessor saw.
  /// Skipped, if given, are functions analysed as if they had no body
  /// (the compile errors lie in them).
  FactBuilder(clang::ASTContext &Ctx, const Rules &R, ms_facts *F, bool RecordExternal = false,
              const DeclaredConcurrency *Declared = nullptr, const MacroUses *Macros = nullptr,
              const llvm::DenseSet<const clang::FunctionDecl *> *Skipped = nullptr);
  ~FactBuilder();
  FactBuilder(const FactBuilder &) = delete;
  FactBuilder &operator=(const FactBuilder &) = delete;

  /// Builds the facts of every user function of the translation unit.
  /// False when the fact set could not be completed (memory ran out): the
  /// facts must not be analysed then.
  bool run();

  /// The source location of a loc id of the facts.
  clang::SourceLocation location(ms_id Loc) const {
    return Loc < Locs.size() ? Locs[Loc] : clang::SourceLocation();
  }
  /// The guards the code declares with guarded_by / pt_guarded_by
  /// attributes: (map, lock) by the names messages give them.
  const std::vector<std::pair<std::string, std::string>> &declaredGuards() const {
    return Guards;
  }
  /// The source range of an access fact's call.
  clang::SourceRange accessRange(ms_id Access) const {
    return Access < AccessRanges.size() ? AccessRanges[Access] : clang::SourceRange();
  }

  struct FunctionClass;
  class FunctionAnalysis;
  /// Whether each call of FD owns its local VD: a struct on its stack, or a
  /// fresh allocation held in it, whose address never leaves the call
  /// (Ownership.cpp).
  bool ownedLocal(const clang::FunctionDecl *FD, const clang::VarDecl *VD) {
    return ownership(FD, VD).What == Ownership::Always;
  }
  /// Whether the call owns VD where Use reads it: always, or before the
  /// point where the call publishes it (stores its address where others
  /// can reach it), when that point is certain to come after Use.
  bool ownedAt(const clang::FunctionDecl *FD, const clang::VarDecl *VD, const clang::Expr *Use);
  /// Where the call publishes VD, a local it owns until then; invalid when
  /// it owns it throughout, or never.
  clang::SourceLocation publishedAt(const clang::FunctionDecl *FD, const clang::VarDecl *VD) {
    const Ownership &O = ownership(FD, VD);
    return O.What == Ownership::Until ? O.End : clang::SourceLocation();
  }
  /// Whether handing the local VD to a thread at Spawn hands it over whole:
  /// the call keeps it nowhere else (before the spawn it only fills it;
  /// after, it only tests or frees the pointer).
  bool handedOverAt(const clang::FunctionDecl *FD, const clang::VarDecl *VD,
                    const clang::Expr *Spawn);
  /// A unique name for a local of FD: its own name, or, where FD declares
  /// two locals of that name, the name and the line of the declaration.
  std::string localName(const clang::FunctionDecl *FD, const clang::VarDecl *VD);

private:
  friend class FunctionAnalysis;

  ms_id functionId(const clang::FunctionDecl *FD);
  /// A function fact for a part of a function that runs as a thread of its
  /// own (an OpenMP parallel region).
  ms_id regionFunction(const std::string &Name, clang::SourceLocation Loc);
  ms_id locId(clang::SourceLocation L);
  /// What a function's calls are, from a first cheap look (Classify.cpp);
  /// null for a function that is not the user's or has no body.
  FunctionClass *classOf(const clang::FunctionDecl *FD);
  /// Decides which of the functions reachable from Scope need facts; notes
  /// in Entries the thread entries among them.
  void plan(const std::vector<const clang::FunctionDecl *> &Scope);
  /// The class of a function that has facts, analysing it on first use (one
  /// being analysed has them: recursion); null for the others.
  const FunctionClass *withFacts(const clang::FunctionDecl *FD);
  bool isUserCode(clang::SourceLocation L) const;
  /// Notes that a builder of facts.h failed (memory ran out); returns Id.
  ms_id check(ms_id Id) {
    if (Id == MS_NONE)
      Failed = true;
    return Id;
  }

  clang::ASTContext &Ctx;
  const Rules &R;
  ms_facts *F;
  bool RecordExternal;
  bool Failed = false;
  std::vector<clang::SourceLocation> Locs;
  std::vector<clang::SourceRange> AccessRanges;
  llvm::DenseMap<const clang::FunctionDecl *, ms_id> FunctionIds;
  llvm::StringSet<> FunctionNames; // the names function facts go by
  llvm::SmallPtrSet<const clang::FunctionDecl *, 16> AddressTaken; // named other than in a call
  const DeclaredConcurrency *Declared;
  const MacroUses *Macros;
  const llvm::DenseSet<const clang::FunctionDecl *> *Skipped; // canonical declarations
  bool skipped(const clang::FunctionDecl *FD) const {
    return Skipped && Skipped->count(FD->getCanonicalDecl());
  }
  /// Whether a type is a map handle: the type of a map that a map
  /// operation of the file is given or creates (classOf collects them).
  bool isMapType(clang::QualType T) const {
    return !T.isNull() && MapTypes.count(T.getCanonicalType().getUnqualifiedType().getTypePtr());
  }
  llvm::SmallPtrSet<const clang::Type *, 8> MapTypes;
  std::vector<std::pair<std::string, std::string>> Guards;
  void scanGuardAttributes(const clang::Decl *D, const std::string &Name);
  llvm::SmallPtrSet<const clang::FunctionDecl *, 4> InDeclaredFields; // stored in such a field
  void scanStoredFunctions(const clang::Expr *Init, clang::QualType Type);
  void scanStoredByAssignment(const std::vector<const clang::FunctionDecl *> &Scope);
  llvm::DenseMap<clang::FileID, ms_id> FileNames;
  mutable llvm::DenseMap<clang::FileID, bool> UserFiles;
  llvm::DenseMap<clang::SourceLocation::UIntTy, ms_id> LocIds;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionClass>> Classes;
  /// The lock rule a declaration's capability attributes make
  /// (acquire_capability(m) on `void lock(mutex *m)`), or null.
  const Rule *attributeRule(const clang::FunctionDecl *FD);
  std::deque<LockRule> AttributeLocks;
  std::deque<Rule> AttributeRules;
  llvm::DenseMap<const clang::FunctionDecl *, const Rule *> AttributeRuleOf;
  std::vector<const clang::FunctionDecl *> Entries; // of the spawns, in plan's order
  // Ownership.cpp: the uses of variables, and which parameters functions store.
  struct UseMap;
  /// What each call of a function owns of a local (Ownership.cpp).
  struct Ownership {
    enum Kind { Never, Always, Until } What = Never;
    clang::SourceLocation End;                        // Until: where it is published
    llvm::SmallVector<const clang::Expr *, 2> Escapes; // the uses that publish it
  };
  const Ownership &ownership(const clang::FunctionDecl *FD, const clang::VarDecl *VD);
  llvm::DenseMap<const clang::VarDecl *, Ownership> Owned;
  const UseMap *usesOf(const clang::FunctionDecl *FD);
  bool paramCaptured(const clang::FunctionDecl *FD, unsigned N, unsigned Depth);
  bool valueEscapes(const UseMap &U, const clang::Expr *E, unsigned Depth);
  bool lvalueEscapes(const UseMap &U, const clang::Expr *E, unsigned Depth);
  bool localEscapes(const UseMap &U, const clang::VarDecl *VD, unsigned Depth);
  bool memberEscapes(const UseMap &U, const clang::MemberExpr *M, unsigned Depth);
  bool argEscapes(const UseMap *U, const clang::CallExpr *CE, unsigned I, unsigned Depth);
  bool freshOrNull(const clang::Expr *E);
  llvm::DenseMap<const clang::FunctionDecl *, std::shared_ptr<UseMap>> UseMaps; // deleter from Ownership.cpp
  llvm::DenseMap<std::pair<const clang::FunctionDecl *, unsigned>, int> Captured;
  unsigned Depth = 0;
};

} // namespace mapsafe

#endif
