//===--- MapsafeCheck.h - what every mapsafe check shares -----------------===//
//
// A mapsafe check does not walk the AST itself: it asks for the shared
// analysis of the translation unit (TUAnalysis) and selects the findings it
// is about (report()).  This base class does the asking, reads and stores
// the options every mapsafe check shares, and turns a finding into a
// clang-tidy warning: the engine's message (messages.h) streamed into a
// diagnostic, the access's source range, and the explanation as notes.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_MAPSAFECHECK_H
#define MAPSAFE_FRONTEND_CHECKS_MAPSAFECHECK_H

#include "checks/TUAnalysis.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/NoLintDirectiveHandler.h"
#include <optional>

struct ms_message;

namespace mapsafe {

class MapsafeCheck : public clang::tidy::ClangTidyCheck {
public:
  MapsafeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

  /// The names of the mapsafe checks, in name order (MapsafeTidyModule.cpp).
  static llvm::ArrayRef<llvm::StringRef> checkNames();

protected:
  /// Called for every finding of the translation unit; a check reports the
  /// ones it is about with emit().
  virtual void report(const TUAnalysis &A, const ms_finding &F) = 0;
  /// Called once per translation unit after the findings.
  virtual void reportFile(const TUAnalysis &A) {}

  /// Emits a warning at the finding's access, with the finding's message,
  /// the access's source range, and the explanation as notes.
  void emit(const TUAnalysis &A, const ms_finding &F);
  /// Emits a message as a diagnostic of this check.
  clang::DiagnosticBuilder emit(clang::SourceLocation Loc, const ms_message &M,
                                clang::DiagnosticIDs::Level Level = clang::DiagnosticIDs::Warning);
  /// The mapsafe checks enabled, as bits 1 << ms_check.
  unsigned enabledChecks();
  /// The start of the main file: where problems of the whole file are told.
  clang::SourceLocation fileStart() const { return FileStart; }

private:
  void tellProblemsOnce(TUAnalysis &A);
  static void pausedMessage(const TUAnalysis &A, ms_message &M);
  void tellConfigurationError(const std::string &Error);
  /// With mapsafe.Summary, the remark that tells what the analysis saw,
  /// by the first mapsafe check enabled (Summary.cpp).
  void tellSummary(const TUAnalysis &A);
  bool noteHidden(clang::SourceLocation Loc);

  SharedOptions Shared;
  std::unique_ptr<clang::tidy::NoLintDirectiveHandler> NoLint; // one per file: it caches
  clang::tidy::ClangTidyContext *TidyContext;
  std::shared_ptr<TUAnalysis> Analysis;
  bool Reported = false; // this translation unit's findings are told
  const clang::ASTContext *AST = nullptr;
  clang::SourceLocation FileStart;
  std::optional<unsigned> EnabledChecks; // enabledChecks(), once
};

} // namespace mapsafe

#endif
