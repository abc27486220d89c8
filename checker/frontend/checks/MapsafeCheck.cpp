//===--- MapsafeCheck.cpp - what every mapsafe check shares ---------------===//
#include "checks/MapsafeCheck.h"

#include "checks/TellOnce.h"

#include "mapsafe/explain.h"
#include "mapsafe/messages.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/NoLintDirectiveHandler.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Tooling/Core/Diagnostic.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

using namespace clang::ast_matchers;

namespace mapsafe {

namespace {
const char *const SharedOptionNames[] = {"RulesFiles",      "GraphDir",        "FactsDir",
                                         "MinGuardedSites", "MinGuardedRatio",
                                         "ConcurrentExternalFunctions", "Guards",
                                         "ConcurrentFunctions", "Summary"};

/// The options all mapsafe checks share are named `mapsafe.X`.
clang::tidy::ClangTidyCheck::OptionsView sharedView(clang::tidy::ClangTidyContext *Context) {
  return clang::tidy::ClangTidyCheck::OptionsView("mapsafe", Context->getOptions().CheckOptions,
                                                  Context);
}

/// Streams a message's arguments into a diagnostic built from its format.
void streamArgs(clang::DiagnosticBuilder &D, const ms_message &M) {
  for (unsigned I = 0; I < M.arg_count; ++I) {
    if (M.args[I].is_number)
      D << M.args[I].number;
    else
      D << llvm::StringRef(M.args[I].text);
  }
}

/// The text of a message, formatted by the engine (for messages nested in
/// another one).
std::string formatted(const ms_message &M) {
  char *S = ms_format(&M);
  std::string Out = S ? S : "";
  std::free(S);
  return Out;
}

/// The value of a shared option: `mapsafe.X` when set, else the value one of
/// the mapsafe checks was given (`mapsafe-<check>.X`, the first in name
/// order), else empty.  Every check computes the same, so one analysis of
/// a file serves them all.
std::string sharedValue(clang::tidy::ClangTidyContext *Context, llvm::StringRef Name) {
  if (std::optional<llvm::StringRef> V = sharedView(Context).get(Name))
    return V->str();
  const clang::tidy::ClangTidyOptions::OptionMap &Options = Context->getOptions().CheckOptions;
  for (llvm::StringRef Check : MapsafeCheck::checkNames()) // in name order
    if (auto It = Options.find((Check + "." + Name).str()); It != Options.end())
      return It->getValue().Value;
  return std::string();
}
} // namespace

MapsafeCheck::MapsafeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), TidyContext(Context) {
  for (const char *Option : SharedOptionNames)
    (void)Options.get(Option); // known under this check's name too
  Shared.RulesFiles = sharedValue(Context, "RulesFiles");
  Shared.GraphDir = sharedValue(Context, "GraphDir");
  Shared.FactsDir = sharedValue(Context, "FactsDir");
  Shared.MinGuardedSites = sharedValue(Context, "MinGuardedSites");
  Shared.MinGuardedRatio = sharedValue(Context, "MinGuardedRatio");
  Shared.ConcurrentExternalFunctions = sharedValue(Context, "ConcurrentExternalFunctions");
  Shared.Guards = sharedValue(Context, "Guards");
  Shared.ConcurrentFunctions = sharedValue(Context, "ConcurrentFunctions");
  Shared.Summary = sharedValue(Context, "Summary");
}

unsigned MapsafeCheck::enabledChecks() {
  if (!EnabledChecks) {
    EnabledChecks = 0;
    for (int C = 0; C < MS_CHECK_COUNT; ++C)
      if (TidyContext->isCheckEnabled(std::string("mapsafe-") + ms_check_name((ms_check)C)))
        *EnabledChecks |= 1u << C;
  }
  return *EnabledChecks;
}

/// Every mapsafe check lists the options they share, with the value in
/// force (clang-tidy --dump-config shows only options named after a check).
void MapsafeCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "RulesFiles", Shared.RulesFiles);
  Options.store(Opts, "GraphDir", Shared.GraphDir);
  Options.store(Opts, "FactsDir", Shared.FactsDir);
  Options.store(Opts, "MinGuardedSites",
                Shared.MinGuardedSites.empty() ? std::to_string(MS_DEFAULT_MIN_GUARDED_SITES)
                                               : Shared.MinGuardedSites);
  Options.store(Opts, "MinGuardedRatio",
                Shared.MinGuardedRatio.empty() ? std::string("0.5") : Shared.MinGuardedRatio);
  Options.store(Opts, "ConcurrentExternalFunctions",
                Shared.ConcurrentExternalFunctions.empty() ? std::string("true")
                                                           : Shared.ConcurrentExternalFunctions);
  Options.store(Opts, "Guards", Shared.Guards);
  Options.store(Opts, "ConcurrentFunctions", Shared.ConcurrentFunctions);
  Options.store(Opts, "Summary", Shared.Summary.empty() ? std::string("false") : Shared.Summary);
}

void MapsafeCheck::registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                                       clang::Preprocessor *) {
  // Before preprocessing: the rules' macros are matched where they expand.
  Reported = false;
  Analysis = PP ? TUAnalysis::prepare(SM, *PP, Shared) : nullptr;
}

void MapsafeCheck::registerMatchers(MatchFinder *Finder) {
  // One match starts the analysis of the whole translation unit.  clang-tidy
  // visits the translation unit itself: matching it costs nothing.  clangd
  // visits only the main file's top-level declarations (and is the host
  // that asks for self-contained diagnostics): there, any function
  // definition starts it.
  if (TidyContext->areDiagsSelfContained())
    Finder->addMatcher(functionDecl(isDefinition()).bind("fn"), this);
  else
    Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}


/// A problem of the configuration, under clang-tidy's own name for those:
/// once per run in clang-tidy (TellOnce.h); at the top of each file in an editor, which
/// shows only what has a place in the file.
void MapsafeCheck::tellConfigurationError(const std::string &Error) {
  ms_message M;
  ms_error_message(Error.c_str(), &M);
  std::string Text = formatted(M);
  if (TidyContext->areDiagsSelfContained())
    TidyContext->diag("clang-tidy-config", FileStart, Text, clang::DiagnosticIDs::Error);
  else if (firstTellingInRun(Text))
    TidyContext->configurationDiag(Text, clang::DiagnosticIDs::Error);
}

/// Where the file's compile errors paused the analysis.
void MapsafeCheck::pausedMessage(const TUAnalysis &A, ms_message &M) {
  const BrokenCode &B = A.broken();
  ms_paused_message(B.WholeFile || B.FirstName.empty() ? nullptr : B.FirstName.c_str(),
                    B.FirstLine, &M);
}


/// What is told once per translation unit, by the first check to get
/// there: problems with the configuration (a malformed rule file, an
/// unwritable output directory) as errors, so that clang-tidy fails and
/// clangd shows them; option names no check knows.  clang-tidy tells each
/// one once per run, as a problem of the configuration, not of a check;
/// clangd shows it at the top of every file it concerns, which is where an
/// editor shows it.
void MapsafeCheck::tellProblemsOnce(TUAnalysis &A) {
  if (!A.claimOnce())
    return;
  bool Editor = TidyContext->areDiagsSelfContained();
  for (const std::string &E : A.errors())
    tellConfigurationError(E);
  // Compile errors made mapsafe pause where there is something to check:
  // where, as information (a remark; clangd, which takes remarks for notes
  // of the diagnostic before them, gets a warning).
  if (A.paused()) {
    ms_message M;
    pausedMessage(A, M);
    clang::DiagnosticBuilder D = TidyContext->diag(
        "mapsafe-incomplete-analysis", FileStart, M.format,
        Editor ? clang::DiagnosticIDs::Warning : clang::DiagnosticIDs::Remark);
    streamArgs(D, M);
  }
  std::vector<std::string> Unknown;
  for (const auto &KV : TidyContext->getOptions().CheckOptions) {
    llvm::StringRef Key = KV.getKey();
    if (!Key.starts_with("mapsafe.") && !Key.starts_with("mapsafe-"))
      continue;
    // mapsafe.X, or mapsafe-<check>.X for one of the checks: X is shared.
    auto [Owner, Option] = Key.rsplit('.');
    bool KnownOwner = Owner == "mapsafe" || llvm::is_contained(checkNames(), Owner);
    if (!KnownOwner || !llvm::is_contained(SharedOptionNames, Option))
      Unknown.push_back(Key.str());
  }
  std::sort(Unknown.begin(), Unknown.end());
  for (const std::string &Name : Unknown) {
    ms_message M;
    ms_unknown_option_message(Name.c_str(), &M);
    if (!Editor && !firstTellingInRun(formatted(M)))
      continue;
    clang::DiagnosticBuilder D = configurationDiag(M.format);
    streamArgs(D, M);
  }
}

void MapsafeCheck::check(const MatchFinder::MatchResult &Result) {
  if (Reported)
    return;
  Reported = true;
  Analysis = TUAnalysis::get(*Result.Context, Shared);
  AST = Result.Context;
  const clang::SourceManager &SM = *Result.SourceManager;
  FileStart = SM.getLocForStartOfFile(SM.getMainFileID());
  tellProblemsOnce(*Analysis);
  tellSummary(*Analysis);
  const ms_result *R = Analysis->result();
  if (!R)
    return;
  for (uint32_t I = 0, N = ms_finding_count(R); I < N; ++I)
    if (!Analysis->withheld(I))
      report(*Analysis, *ms_finding_at(R, I));
  reportFile(*Analysis);
}

clang::DiagnosticBuilder MapsafeCheck::emit(clang::SourceLocation Loc, const ms_message &M,
                                            clang::DiagnosticIDs::Level Level) {
  clang::DiagnosticBuilder D = diag(Loc, M.format, Level);
  streamArgs(D, M);
  return D;
}

/// Whether a note of this check at Loc would be dropped by a NOLINT comment
/// there; clang-tidy then drops the notes after it too, and counts a
/// suppression that did not happen.
bool MapsafeCheck::noteHidden(clang::SourceLocation Loc) {
  if (!NoLint)
    NoLint = std::make_unique<clang::tidy::NoLintDirectiveHandler>();
  clang::DiagnosticStorage Storage;
  clang::Diagnostic Probe(&AST->getDiagnostics(), Loc, 0, Storage, "");
  llvm::SmallVector<clang::tooling::Diagnostic, 1> Errors;
  return NoLint->shouldSuppress(clang::DiagnosticsEngine::Note, Probe, getID(), Errors,
                               /*AllowIO=*/false, /*EnableNoLintBlocks=*/true);
}

void MapsafeCheck::emit(const TUAnalysis &A, const ms_finding &F) {
  const ms_result *R = A.result();
  clang::SourceLocation Loc = A.location(ms_finding_loc(R, &F));
  if (Loc.isInvalid())
    return;
  ms_message M;
  ms_finding_message(R, &F, &M);
  emit(Loc, M) << A.accessRange(ms_finding_access(R, &F));
  ms_explanation E;
  if (ms_explain(R, &F, &E))
    return;
  const clang::SourceManager &SM = AST->getSourceManager();
  for (uint32_t I = 0; I < E.count; ++I) {
    clang::SourceLocation L = A.location(E.steps[I].loc);
    if (L.isInvalid())
      continue;
    ms_step_message(R, &E.steps[I], &M);
    if (!noteHidden(L)) {
      emit(L, M, clang::DiagnosticIDs::Note);
      continue;
    }
    // Told at the warning's line instead, saying where it belongs.
    std::string Note = formatted(M);
    std::string File = llvm::sys::path::filename(SM.getFilename(L)).str();
    ms_message Moved;
    ms_moved_note_message(Note.c_str(), File.c_str(), SM.getSpellingLineNumber(L),
                          SM.getSpellingColumnNumber(L), &Moved);
    emit(Loc, Moved, clang::DiagnosticIDs::Note);
  }
  ms_explanation_free(&E);
}

} // namespace mapsafe
