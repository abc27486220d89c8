//===--- FactBuilder.cpp - from clang's AST and CFG to mapsafe facts ------===//
//
// The translation-unit driver: which functions are the user's, their fact
// ids and locations, and their summaries, computed on demand so that callees
// are analysed before their callers (FunctionAnalysis.h has the per-function
// steps).  Nothing here names an API: every library function is looked up in
// the rules.
//
//===----------------------------------------------------------------------===//
#include "FunctionAnalysis.h"

#include "clang/Basic/SourceManager.h"

namespace mapsafe {

FactBuilder::FactBuilder(ASTContext &Ctx, const Rules &R, ms_facts *F) : Ctx(Ctx), R(R), F(F) {}

FactBuilder::~FactBuilder() {
  for (auto &KV : Summaries)
    delete KV.second;
}

/// Code the user wrote: not in a system header, and not in a library's
/// headers found with -I (pkg-config hands out -I/usr/include/glib-2.0).
bool FactBuilder::isUserCode(SourceLocation L) const {
  const SourceManager &SM = Ctx.getSourceManager();
  if (L.isInvalid())
    return false;
  SourceLocation E = SM.getExpansionLoc(L);
  if (SM.isInSystemHeader(E))
    return false;
  FileID FID = SM.getFileID(E);
  auto It = UserFiles.find(FID);
  if (It != UserFiles.end())
    return It->second;
  llvm::StringRef Name = SM.getFilename(E);
  bool User = !Name.starts_with("/usr/include/") && !Name.starts_with("/usr/lib/") &&
              !Name.starts_with("/usr/local/include/");
  UserFiles[FID] = User;
  return User;
}

ms_id FactBuilder::locId(SourceLocation L) {
  auto Memo = LocIds.find(L.getRawEncoding());
  if (Memo != LocIds.end())
    return Memo->second;
  const SourceManager &SM = Ctx.getSourceManager();
  // In a macro argument, where the argument is written; in a macro body,
  // where the macro is used.
  SourceLocation E = SM.getFileLoc(L);
  FileID FID = SM.getFileID(E);
  auto It = FileNames.find(FID);
  ms_id File;
  if (It != FileNames.end()) {
    File = It->second;
  } else {
    llvm::StringRef Name = SM.getFilename(E);
    File = ms_strn(F, Name.data(), Name.size());
    FileNames[FID] = File;
  }
  ms_id Id = ms_add_loc(F, File, SM.getSpellingLineNumber(E), SM.getSpellingColumnNumber(E));
  if (Id != MS_NONE) {
    if (Locs.size() <= Id)
      Locs.resize(Id + 1);
    Locs[Id] = E;
    LocIds[L.getRawEncoding()] = Id;
  }
  return Id;
}

ms_id FactBuilder::functionId(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = FunctionIds.find(FD);
  if (It != FunctionIds.end())
    return It->second;
  ms_function Fn;
  memset(&Fn, 0, sizeof Fn);
  llvm::StringRef Name = FD->getIdentifier() ? FD->getName() : llvm::StringRef("<anonymous>");
  Fn.name = ms_strn(F, Name.data(), Name.size());
  const FunctionDecl *Def = FD->getDefinition();
  Fn.loc = locId((Def ? Def : FD)->getLocation());
  Fn.param_count = FD->getNumParams();
  Fn.defined = 0;
  ms_id Id = ms_add_function(F, &Fn);
  FunctionIds[FD] = Id;
  return Id;
}

const FactBuilder::Summary *FactBuilder::summaryOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !isUserCode(Def->getLocation()))
    return nullptr;
  Def = Def->getCanonicalDecl();
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second; // done, or in progress (recursion): its current (empty) summary
  if (Depth > 64)
    return nullptr;
  Summary *S = new Summary();
  Summaries[Def] = S;
  ++Depth;
  analyze(FD->getDefinition());
  --Depth;
  return S;
}

void FactBuilder::analyze(const FunctionDecl *FD) {
  if (FD->isInvalidDecl() || FD->isDependentContext()) {
    if (Summary *S = Summaries.lookup(FD->getCanonicalDecl()))
      S->Relevant = false;
    return;
  }
  Summary *S = Summaries.lookup(FD->getCanonicalDecl());
  Summary Local;
  FunctionAnalysis A(*this, FD);
  bool Relevant = A.run(Local);
  if (S) {
    *S = std::move(Local);
    S->Relevant = Relevant;
  }
}

void FactBuilder::run() {
  // The declarations in scope: the whole translation unit for clang-tidy,
  // the main file's top-level declarations in clangd (whose headers sit in
  // a preamble that should not be loaded).
  std::vector<const DeclContext *> Contexts;
  std::vector<const Decl *> Scope;
  for (Decl *D : Ctx.getTraversalScope()) {
    if (const auto *DC = dyn_cast<DeclContext>(D); DC && isa<TranslationUnitDecl>(D))
      Contexts.push_back(DC);
    else
      Scope.push_back(D);
  }
  for (const Decl *D : Scope) {
    if (const auto *LS = dyn_cast<LinkageSpecDecl>(D))
      Contexts.push_back(LS);
    else if (const auto *FD = dyn_cast<FunctionDecl>(D);
             FD && FD->doesThisDeclarationHaveABody() && isUserCode(FD->getLocation()))
      summaryOf(FD);
  }
  while (!Contexts.empty()) {
    const DeclContext *DC = Contexts.back();
    Contexts.pop_back();
    for (const Decl *D : DC->decls()) {
      if (const auto *LS = dyn_cast<LinkageSpecDecl>(D)) {
        Contexts.push_back(LS);
        continue;
      }
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (!FD || !FD->doesThisDeclarationHaveABody() || !isUserCode(FD->getLocation()))
        continue;
      summaryOf(FD);
    }
  }
}

} // namespace mapsafe
