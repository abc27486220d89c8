//===--- TUAnalysis.h - one analysis per translation unit, shared ---------===//
//
// All mapsafe checks read the same analysis of a translation unit: facts
// built once (FactBuilder), the engine run once (ms_analyze).  The first
// check to ask builds it; the others of the same translation unit get the
// same object.  It also writes the map access graph and the facts when the
// options ask for them.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_TUANALYSIS_H
#define MAPSAFE_FRONTEND_CHECKS_TUANALYSIS_H

#include "checks/BrokenCode.h"
#include "facts/FactBuilder.h"
#include "facts/MacroUses.h"
#include "mapsafe/analysis.h"
#include "clang/AST/ASTContext.h"
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mapsafe {

/// Options shared by all mapsafe checks (`mapsafe.<Name>` in CheckOptions).
struct SharedOptions {
  std::string RulesFiles; // extra rule files, separated by ';' or ','
  std::string GraphDir;   // write <file>.mapsafe.json and .dot here
  std::string FactsDir;   // write <file>.facts.json here
  // Guard inference (docs/checks/inconsistent-locking.md); empty: the default.
  std::string MinGuardedSites;             // functions that hold the lock
  std::string MinGuardedRatio;             // share of the weighted functions, 0..1
  std::string ConcurrentExternalFunctions; // true/false
  std::string Guards;                      // MAP=LOCK pairs, separated by ';' or ','
  // Functions (names, patterns, RECORD.FIELD) that run on many threads at once.
  std::string ConcurrentFunctions;
  // true/false: tell, once per file, what the analysis saw (Summary.cpp).
  std::string Summary;
};

class TUAnalysis : public std::enable_shared_from_this<TUAnalysis> {
public:
  /// Before the translation unit is preprocessed: the rules in force, and
  /// the preprocessor told to note where their macros are expanded.  The
  /// first check to ask sets it up; the others get the same object.
  static std::shared_ptr<TUAnalysis> prepare(const clang::SourceManager &SM,
                                             clang::Preprocessor &PP, const SharedOptions &Opts);
  /// The analysis of the translation unit of Ctx, built on first use (with
  /// no macro expansions known when it was not prepared).
  static std::shared_ptr<TUAnalysis> get(clang::ASTContext &Ctx, const SharedOptions &Opts);

  /// MainFile: the translation unit's main file (its real path).
  TUAnalysis(const SharedOptions &Opts, llvm::StringRef MainFile);
  ~TUAnalysis();
  TUAnalysis(const TUAnalysis &) = delete;
  TUAnalysis &operator=(const TUAnalysis &) = delete;

  /// Null when nothing could be analysed (broken code, an error).
  const ms_result *result() const { return Result; }
  clang::SourceLocation location(ms_id Loc) const {
    return Builder ? Builder->location(Loc) : clang::SourceLocation();
  }
  clang::SourceRange accessRange(ms_id Access) const {
    return Builder ? Builder->accessRange(Access) : clang::SourceRange();
  }
  /// What the file's compile errors put out of reach.
  const BrokenCode &broken() const { return Broken; }
  /// Whether finding I involves code the file's errors make uncertain: it
  /// is not reported then.
  bool withheld(uint32_t I) const { return I < Withheld.size() && Withheld[I]; }
  /// Whether the file's errors made mapsafe pause where there is something
  /// to check: a finding withheld, or map operations in the file.
  bool paused() const { return Paused; }
  /// Problems to tell the user once (bad rule files, unwritable outputs).
  const std::vector<std::string> &errors() const { return Errors; }
  /// Whether this is the first call for this object (so that what is told
  /// once per translation unit is told by one check only).
  bool claimOnce() {
    bool First = !Claimed;
    Claimed = true;
    return First;
  }

private:
  void analyse(clang::ASTContext &Ctx, const SharedOptions &Opts);
  void writeOutputs(clang::ASTContext &Ctx, const SharedOptions &Opts);
  bool involvesBroken(const ms_finding &F) const;
  bool touchesMaps() const;
  bool analysisOptions(const SharedOptions &Opts, ms_options &Out,
                       std::vector<ms_declared_guard> &Declared, std::vector<std::string> &Words);

  ms_facts *Facts = nullptr;
  ms_result *Result = nullptr;
  std::unique_ptr<Rules> UserRules;
  const Rules *Active = nullptr; // the rules in force; null: none could be set up
  std::unique_ptr<MacroUses> Macros;
  std::once_flag Analysed;
  DeclaredConcurrency Concurrency;
  std::unique_ptr<FactBuilder> Builder;
  std::vector<std::string> Errors;
  std::string BaseDir; // where the options' relative paths start (OptionPaths.h)
  std::shared_ptr<ErrorLog> CompileErrors; // noted while parsing, when prepared
  BrokenCode Broken;
  std::vector<bool> Withheld; // per finding, when the file has errors
  bool Paused = false;
  const clang::SourceManager *SM = nullptr;
  bool Claimed = false;
};

} // namespace mapsafe

#endif
