//===--- Summary.cpp - what the analysis of a file saw, as a remark -------===//
//
// With `mapsafe.Summary: true`, each analysed file gets one remark at its
// top: what mapsafe saw there (thread roots, maps, map operations, locks,
// guards, findings), or plainly that it sees nothing concurrent, with notes
// for the details: a remark in clang-tidy, a warning in clangd (below).  The engine counts (summary.h) and words it
// (messages.h); this streams it.  It is told by the first mapsafe check
// that is enabled, in name order, so that it is told once whichever checks
// run.  docs/checks/incomplete-analysis.md#summary
//
//===----------------------------------------------------------------------===//
#include "checks/MapsafeCheck.h"

#include "mapsafe/messages.h"
#include "mapsafe/summary.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/StringSwitch.h"
#include <optional>
#include <string>

namespace mapsafe {

namespace {
/// The option's value: false when unset; nullopt when it is not a boolean.
std::optional<bool> summaryWanted(llvm::StringRef Value) {
  Value = Value.trim();
  if (Value.empty())
    return false;
  return llvm::StringSwitch<std::optional<bool>>(Value.lower())
      .Cases({"true", "1", "yes", "on"}, true)
      .Cases({"false", "0", "no", "off"}, false)
      .Default(std::nullopt);
}
} // namespace

void MapsafeCheck::tellSummary(const TUAnalysis &A) {
  std::optional<bool> Wanted = summaryWanted(Shared.Summary);
  if (Wanted && !*Wanted)
    return;
  // Told by the first mapsafe check enabled, in name order.
  for (llvm::StringRef Name : checkNames())
    if (TidyContext->isCheckEnabled(Name)) {
      if (Name != getID())
        return;
      break;
    }
  ms_message M;
  if (!Wanted) {
    tellConfigurationError("option Summary: '" + llvm::StringRef(Shared.Summary).trim().str() +
                           "' is not true or false");
    return;
  }
  // clang-tidy prints a remark as `remark:`, counts it as no warning, and
  // --warnings-as-errors leaves it alone.  clangd takes a remark for a note:
  // it is attached to the diagnostic before it, and dropped when there is
  // none (a clean file, just where the summary matters); so clangd (the
  // host that asks for self-contained diagnostics) gets a warning.
  clang::DiagnosticIDs::Level Level = TidyContext->areDiagsSelfContained()
                                          ? clang::DiagnosticIDs::Warning
                                          : clang::DiagnosticIDs::Remark;
  const ms_result *R = A.result();
  if (!R) {
    ms_unanalysed_summary_message(!A.errors().empty(), &M);
    emit(fileStart(), M, Level);
    return;
  }
  ms_summary S;
  if (ms_summarize(R, enabledChecks(), &S))
    return; // out of memory: nothing to tell
  ms_summary_message(&S, &M);
  emit(fileStart(), M, Level);
  for (uint32_t I = 0; ms_summary_note(R, &S, I, &M); ++I)
    emit(fileStart(), M, clang::DiagnosticIDs::Note);
  if (A.broken().any()) {
    pausedMessage(A, M);
    emit(fileStart(), M, clang::DiagnosticIDs::Note);
  }
  ms_summary_free(&S);
}

} // namespace mapsafe
