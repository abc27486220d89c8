//===--- FactBuilder.h - from clang's AST and CFG to mapsafe facts --------===//
//
// FactBuilder reads one translation unit and writes its facts (facts.h):
// for every function defined in the user's code (not in system headers) it
// runs a dataflow over clang's CFG that tracks, at each program point,
//
//   - the locks held (a must-set: intersected where paths join), with
//     trylock results followed into the branch where they succeeded;
//   - the threads possibly running (a may-set of spawn facts: added at a
//     spawn, removed at the join of their handle, including the usual
//     "join every handle in a loop" shape);
//
// and records a fact at each call the rules (Rules.h) say something about,
// and at each call of another function of the file.  Callees are analysed
// first, so that a function that returns holding a lock (a lock wrapper)
// or leaves threads running acts on its callers' state.
//
// Objects are named by paths (ms_path) built from the expressions: a global
// variable, a parameter, a field, or a local variable followed to the value
// it holds (a fresh map or allocation, another object, a parameter).
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_FACTBUILDER_H
#define MAPSAFE_FRONTEND_FACTBUILDER_H

#include "Rules.h"
#include "mapsafe/facts.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include <vector>

namespace mapsafe {

class FactBuilder {
public:
  FactBuilder(clang::ASTContext &Ctx, const Rules &R, ms_facts *F);
  ~FactBuilder();

  /// Builds the facts of every user function of the translation unit.
  void run();

  /// The source location of a loc id of the facts.
  clang::SourceLocation location(ms_id Loc) const {
    return Loc < Locs.size() ? Locs[Loc] : clang::SourceLocation();
  }

  struct Summary; // what a function does to its callers' state
  class FunctionAnalysis;

private:
  friend class FunctionAnalysis;

  ms_id functionId(const clang::FunctionDecl *FD);
  ms_id locId(clang::SourceLocation L);
  const Summary *summaryOf(const clang::FunctionDecl *FD);
  bool isUserCode(clang::SourceLocation L) const;
  void analyze(const clang::FunctionDecl *FD);

  clang::ASTContext &Ctx;
  const Rules &R;
  ms_facts *F;
  std::vector<clang::SourceLocation> Locs;
  llvm::DenseMap<const clang::FunctionDecl *, ms_id> FunctionIds;
  llvm::DenseMap<clang::FileID, ms_id> FileNames;
  mutable llvm::DenseMap<clang::FileID, bool> UserFiles;
  llvm::DenseMap<clang::SourceLocation::UIntTy, ms_id> LocIds;
  llvm::DenseMap<const clang::FunctionDecl *, Summary *> Summaries;
  unsigned Depth = 0;
};

} // namespace mapsafe

#endif
