//===--- BrokenCode.cpp - which findings a file's errors leave standing ---===//
#include "checks/BrokenCode.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include <algorithm>

namespace mapsafe {

namespace {
/// Passes every diagnostic on to the consumer it replaces, noting the errors.
class ErrorWatch : public clang::DiagnosticConsumer {
public:
  ErrorWatch(clang::DiagnosticConsumer *Inner, std::unique_ptr<clang::DiagnosticConsumer> Owned,
             std::shared_ptr<ErrorLog> Log)
      : Inner(Inner), Owned(std::move(Owned)), Log(std::move(Log)) {}

  void BeginSourceFile(const clang::LangOptions &LO, const clang::Preprocessor *PP) override {
    Inner->BeginSourceFile(LO, PP);
    sync();
  }
  void EndSourceFile() override {
    Inner->EndSourceFile();
    sync();
  }
  void finish() override {
    Inner->finish();
    sync();
  }
  void clear() override {
    Inner->clear();
    sync();
  }
  bool IncludeInDiagnosticCounts() const override { return Inner->IncludeInDiagnosticCounts(); }
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override {
    if (Level >= clang::DiagnosticsEngine::Error) {
      if (Level == clang::DiagnosticsEngine::Fatal || Info.getLocation().isInvalid())
        Log->Unplaced = true;
      else
        Log->Errors.push_back(Info.getLocation());
    }
    Inner->HandleDiagnostic(Level, Info);
    sync();
  }

private:
  /// The counts are the inner consumer's, which may also be given
  /// diagnostics by other engines (clang-tidy's checks): those who ask
  /// this one (`N warnings generated.`) read them.
  void sync() {
    NumWarnings = Inner->getNumWarnings();
    NumErrors = Inner->getNumErrors();
  }

  clang::DiagnosticConsumer *Inner;
  std::unique_ptr<clang::DiagnosticConsumer> Owned; // Inner, when the engine owned it
  std::shared_ptr<ErrorLog> Log;
};

/// A function definition of the main file and the offsets it spans.
struct Definition {
  const clang::FunctionDecl *FD;
  unsigned Begin, End;
};

/// What a function's body shows: whether clang patched it up, and the
/// functions it calls or names.
struct BodyScan : clang::RecursiveASTVisitor<BodyScan> {
  bool Patched = false;
  llvm::SmallVector<const clang::FunctionDecl *, 8> Uses;

  bool VisitDecl(clang::Decl *D) {
    Patched |= D->isInvalidDecl();
    return true;
  }
  bool VisitExpr(clang::Expr *E) {
    Patched |= E->containsErrors();
    return true;
  }
  bool VisitDeclRefExpr(clang::DeclRefExpr *E) {
    const clang::ValueDecl *D = E->getDecl();
    Patched |= D->isInvalidDecl();
    if (const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D))
      Uses.push_back(FD->getCanonicalDecl());
    return true;
  }
};

void addDefinition(const clang::Decl *D, const clang::SourceManager &SM,
                   std::vector<Definition> &Out);

void collect(const clang::DeclContext *DC, const clang::SourceManager &SM,
             std::vector<Definition> &Out) {
  for (const clang::Decl *D : DC->decls())
    addDefinition(D, SM, Out);
}

/// D if it is a function definition of the main file (or the definitions
/// in it, for an extern "C" block).
void addDefinition(const clang::Decl *D, const clang::SourceManager &SM,
                   std::vector<Definition> &Out) {
  if (const auto *LS = llvm::dyn_cast<clang::LinkageSpecDecl>(D)) {
    collect(LS, SM, Out);
    return;
  }
  const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D);
  if (!FD || !FD->doesThisDeclarationHaveABody())
    return;
  clang::CharSourceRange R = SM.getExpansionRange(FD->getSourceRange());
  clang::SourceLocation B = R.getBegin(), E = R.getEnd();
  if (B.isInvalid() || !SM.isWrittenInMainFile(B))
    return;
  unsigned Begin = SM.getFileOffset(B);
  // A definition the file ends in the middle of spans to the end.
  unsigned End = E.isValid() && SM.isWrittenInMainFile(E)
                     ? SM.getFileOffset(E)
                     : SM.getBufferData(SM.getMainFileID()).size();
  Out.push_back({FD, Begin, std::max(Begin, End)});
}
} // namespace

void watchErrors(clang::DiagnosticsEngine &Diags, std::shared_ptr<ErrorLog> Log) {
  clang::DiagnosticConsumer *Inner = Diags.getClient();
  if (!Inner) {
    Log->Unplaced = true; // nothing to pass diagnostics on to: not watched
    return;
  }
  std::unique_ptr<clang::DiagnosticConsumer> Owned;
  if (Diags.ownsClient())
    Owned = Diags.takeClient();
  Diags.setClient(new ErrorWatch(Inner, std::move(Owned), std::move(Log)), /*ShouldOwnClient=*/true);
}

bool BrokenCode::suspect(const clang::SourceManager &SM, clang::SourceLocation L) const {
  if (WholeFile)
    return true;
  if (L.isInvalid())
    return false;
  clang::SourceLocation E = SM.getExpansionLoc(L);
  if (!SM.isWrittenInMainFile(E))
    return false;
  unsigned Off = SM.getFileOffset(E);
  return llvm::any_of(Suspect, [&](const auto &R) { return R.first <= Off && Off <= R.second; });
}

BrokenCode brokenFunctions(clang::ASTContext &Ctx, const ErrorLog &Log) {
  const clang::SourceManager &SM = Ctx.getSourceManager();
  BrokenCode B;
  B.WholeFile = Log.Unplaced;
  std::vector<unsigned> Offsets;
  for (clang::SourceLocation L : Log.Errors) {
    clang::SourceLocation E = SM.getExpansionLoc(L);
    if (SM.isWrittenInMainFile(E))
      Offsets.push_back(SM.getFileOffset(E));
    else
      B.WholeFile = true; // in a header: which declarations it broke is unknown
  }
  std::vector<Definition> Defs;
  // The whole translation unit (clang-tidy), or the main file's top-level
  // declarations (clangd): in source order either way.
  for (clang::Decl *D : Ctx.getTraversalScope()) {
    if (const auto *TU = llvm::dyn_cast<clang::TranslationUnitDecl>(D))
      collect(TU, SM, Defs);
    else
      addDefinition(D, SM, Defs);
  }
  // Which definitions are broken; who calls (or names) whom.
  llvm::DenseMap<const clang::FunctionDecl *, llvm::SmallVector<size_t, 2>> Users;
  std::vector<bool> Out(Defs.size());
  std::vector<size_t> Work;
  for (size_t I = 0; I < Defs.size(); ++I) {
    const Definition &Def = Defs[I];
    BodyScan Scan;
    Scan.TraverseDecl(const_cast<clang::FunctionDecl *>(Def.FD));
    bool Broken = Scan.Patched || Def.FD->isInvalidDecl() ||
                  llvm::any_of(Offsets, [&](unsigned O) { return Def.Begin <= O && O <= Def.End; });
    for (const clang::FunctionDecl *Used : Scan.Uses)
      Users[Used].push_back(I);
    if (Broken) {
      B.Broken.insert(Def.FD->getCanonicalDecl());
      if (B.FirstName.empty()) {
        B.FirstName = Def.FD->getNameAsString();
        B.FirstLine = SM.getExpansionLineNumber(Def.FD->getLocation());
      }
      Out[I] = true;
      Work.push_back(I);
    }
  }
  // Their callers, and theirs: what the broken ones do for them is unknown.
  while (!Work.empty()) {
    size_t I = Work.back();
    Work.pop_back();
    auto It = Users.find(Defs[I].FD->getCanonicalDecl());
    if (It == Users.end())
      continue;
    for (size_t U : It->second)
      if (!Out[U]) {
        Out[U] = true;
        Work.push_back(U);
      }
  }
  for (size_t I = 0; I < Defs.size(); ++I)
    if (Out[I])
      B.Suspect.emplace_back(Defs[I].Begin, Defs[I].End);
  return B;
}

} // namespace mapsafe
