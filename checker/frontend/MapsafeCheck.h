//===--- MapsafeCheck.h - what every mapsafe check shares -----------------===//
//
// A mapsafe check does not walk the AST itself: it asks for the shared
// analysis of the translation unit (TUAnalysis) and selects the findings it
// is about (report()).  This base class does the asking, and turns a
// finding into a clang-tidy warning with the engine's explanation as notes.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_MAPSAFECHECK_H
#define MAPSAFE_FRONTEND_MAPSAFECHECK_H

#include "TUAnalysis.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace mapsafe {

class MapsafeCheck : public clang::tidy::ClangTidyCheck {
public:
  MapsafeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;

protected:
  /// Called for every finding of the translation unit; a check reports the
  /// ones it is about with emit().
  virtual void report(const TUAnalysis &A, const ms_finding &F) = 0;

  /// Emits a warning at the finding's access, with the given message, and
  /// the finding's explanation as notes.
  void emit(const TUAnalysis &A, const ms_finding &F, llvm::StringRef Message);

private:
  SharedOptions Shared;
  std::shared_ptr<TUAnalysis> Analysis;
};

} // namespace mapsafe

#endif
