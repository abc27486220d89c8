//===--- MapsafeCheck.cpp - what every mapsafe check shares ---------------===//
#include "MapsafeCheck.h"

#include "mapsafe/report.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace mapsafe {

namespace {
std::string sharedOption(clang::tidy::ClangTidyContext *Context, llvm::StringRef Name) {
  const auto &Opts = Context->getOptions().CheckOptions;
  auto It = Opts.find(("mapsafe." + Name).str());
  return It == Opts.end() ? std::string() : It->second.Value;
}
} // namespace

MapsafeCheck::MapsafeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context) {
  Shared.RulesFiles = sharedOption(Context, "RulesFiles");
  Shared.GraphDir = sharedOption(Context, "GraphDir");
  Shared.FactsDir = sharedOption(Context, "FactsDir");
}

void MapsafeCheck::registerMatchers(MatchFinder *Finder) {
  // Any function definition starts the analysis of the whole translation
  // unit, once.  (clangd traverses only the main file's top-level
  // declarations, never the translation unit itself.)
  Finder->addMatcher(functionDecl(isDefinition()).bind("fn"), this);
}

void MapsafeCheck::check(const MatchFinder::MatchResult &Result) {
  if (Analysis)
    return;
  Analysis = TUAnalysis::get(*Result.Context, Shared);
  // Problems with the configuration (a malformed rule file) are errors at
  // the top of the file, so that clang-tidy fails and clangd shows them.
  if (Analysis->claimErrors()) {
    const clang::SourceManager &SM = *Result.SourceManager;
    for (const std::string &E : Analysis->errors())
      diag(SM.getLocForStartOfFile(SM.getMainFileID()), "mapsafe: %0",
           clang::DiagnosticIDs::Error)
          << E;
  }
  const ms_result *R = Analysis->result();
  if (!R)
    return;
  for (uint32_t I = 0; I < R->findings.count; ++I)
    report(*Analysis, R->findings.items[I]);
}

void MapsafeCheck::emit(const TUAnalysis &A, const ms_finding &F, llvm::StringRef Message) {
  const ms_result *R = A.result();
  const ms_access &Acc = R->facts->accesses.items[R->instances.items[F.instance].access];
  clang::SourceLocation Loc = A.location(Acc.loc);
  if (Loc.isInvalid())
    return;
  diag(Loc, "%0") << Message;
  ms_step Steps[MS_MAX_STEPS];
  uint32_t N = ms_explain(R, &F, Steps, MS_MAX_STEPS);
  for (uint32_t I = 0; I < N; ++I) {
    clang::SourceLocation L = A.location(Steps[I].loc);
    if (L.isValid())
      diag(L, "%0", clang::DiagnosticIDs::Note) << Steps[I].text;
  }
}

} // namespace mapsafe
