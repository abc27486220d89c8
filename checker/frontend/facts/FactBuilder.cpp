//===--- FactBuilder.cpp - from clang's AST and CFG to mapsafe facts ------===//
//
// The translation-unit driver: which functions are the user's, their fact
// ids and locations, and their analysis, on demand so that callees are
// analysed before their callers (FunctionAnalysis.h has the per-function
// phases).  Nothing here names an API: every library function is looked up
// in the rules.
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/Basic/SourceManager.h"
#include <cstring>

namespace mapsafe {

using namespace clang;

FactBuilder::FactBuilder(ASTContext &Ctx, const Rules &R, ms_facts *F, bool RecordExternal,
                         const DeclaredConcurrency *Declared, const MacroUses *Macros,
                         const llvm::DenseSet<const FunctionDecl *> *Skipped)
    : Ctx(Ctx), R(R), F(F), RecordExternal(RecordExternal), Declared(Declared), Macros(Macros),
      Skipped(Skipped) {}

bool DeclaredConcurrency::parse(llvm::StringRef List, std::string &Error) {
  std::string Text = List.str();
  std::replace(Text.begin(), Text.end(), ',', ';');
  llvm::SmallVector<llvm::StringRef, 8> Entries;
  llvm::StringRef(Text).split(Entries, ';');
  for (llvm::StringRef E : Entries) {
    E = E.trim();
    if (E.empty())
      continue;
    if (auto [Record, Field] = E.rsplit('.'); !Field.empty() && Field != E) {
      Record = Record.trim();
      Field = Field.trim();
      if (Record.empty() || Field.empty()) {
        Error = "'" + E.str() + "' is not a function, a pattern or RECORD.FIELD";
        return false;
      }
      Fields.emplace_back(Record.str(), Field.str());
      continue;
    }
    Patterns.push_back(E.str()); // the pattern refers to its text
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(Patterns.back());
    if (!P) {
      Error = "'" + E.str() + "' is not a valid pattern: " + llvm::toString(P.takeError());
      return false;
    }
    Functions.push_back(std::move(*P));
  }
  return true;
}

/// A guard the code declares on a map variable or field: guarded_by(L) or
/// pt_guarded_by(L), L a global or a field of the same struct.
void FactBuilder::scanGuardAttributes(const Decl *D, const std::string &Name) {
  auto Add = [&](const Expr *Arg) {
    const Expr *E = Arg ? Arg->IgnoreParenImpCasts() : nullptr;
    const ValueDecl *Lock = nullptr;
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
      Lock = DRE->getDecl();
    else if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
      Lock = ME->getMemberDecl();
    if (const auto *F = dyn_cast_or_null<FieldDecl>(Lock))
      Guards.emplace_back(Name, facts::ownerName(F->getParent(), Ctx) + "." + F->getName().str());
    else if (const auto *V = dyn_cast_or_null<VarDecl>(Lock))
      Guards.emplace_back(Name, V->getName().str());
  };
  for (const auto *A : D->specific_attrs<GuardedByAttr>())
    Add(A->getArg());
  for (const auto *A : D->specific_attrs<PtGuardedByAttr>())
    Add(A->getArg());
}

/// Functions stored in the fields of an operations table that the user
/// declared concurrent: `static struct fuse_operations ops = {.read = f}`,
/// and arrays of such tables.
void FactBuilder::scanStoredFunctions(const Expr *Init, QualType Type) {
  const auto *ILE = dyn_cast_or_null<InitListExpr>(Init ? Init->IgnoreImplicit() : nullptr);
  if (!ILE || !Declared || Declared->Fields.empty())
    return;
  if (ILE->isSyntacticForm() && ILE->getSemanticForm())
    ILE = ILE->getSemanticForm();
  if (const ArrayType *AT = Ctx.getAsArrayType(Type)) {
    for (const Expr *E : ILE->inits())
      scanStoredFunctions(E, AT->getElementType());
    return;
  }
  const RecordDecl *RD = Type->getAsRecordDecl();
  if (!RD || !RD->getDefinition())
    return;
  RD = RD->getDefinition();
  std::string Names[] = {RD->getNameAsString(), "struct " + RD->getNameAsString(),
                         Type.getUnqualifiedType().getAsString()};
  unsigned I = 0;
  for (const FieldDecl *FD : RD->fields()) {
    if (I >= ILE->getNumInits())
      break;
    const Expr *V = ILE->getInit(I++);
    if (V && FD->getType()->isRecordType()) {
      scanStoredFunctions(V, FD->getType());
      continue;
    }
    const FunctionDecl *Fn = V ? facts::entryFunction(V, nullptr) : nullptr;
    if (!Fn)
      continue;
    for (const auto &[Record, Field] : Declared->Fields)
      if ((Field == FD->getName() || Field == "*") && llvm::is_contained(Names, Record))
        InDeclaredFields.insert(Fn->getCanonicalDecl());
  }
}

/// Functions assigned to a field of a struct the user or a rule declared a
/// callback table (`ops.read = fs_read;`, `ops->open = fs_open;`), in the
/// functions in scope.  Looked for only when the file defines such a
/// struct.
void FactBuilder::scanStoredByAssignment(const std::vector<const FunctionDecl *> &Scope) {
  if (!Declared)
    return;
  // Looked for only when the file mentions such a struct's name (a lookup
  // in the identifier table that creates nothing and reads nothing from a
  // precompiled preamble).
  llvm::SmallVector<llvm::StringRef, 2> Tables;
  for (const auto &[Record, Field] : Declared->Fields) {
    llvm::StringRef Name = llvm::StringRef(Record);
    Name.consume_front("struct ");
    if (Field == "*" && Ctx.Idents.find(Name) != Ctx.Idents.end())
      Tables.push_back(Name);
  }
  if (Tables.empty())
    return;
  for (const FunctionDecl *FD : Scope)
    facts::forEachStmt(FD->getBody(), [&](const Stmt *S) {
      const MemberExpr *ME = facts::assignedMember(S);
      const auto *Field = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
      const RecordDecl *RD = Field ? Field->getParent() : nullptr;
      if (RD && RD->getIdentifier() && llvm::is_contained(Tables, RD->getName()))
        if (const FunctionDecl *Fn = facts::namedFunction(cast<BinaryOperator>(S)->getRHS()))
          InDeclaredFields.insert(Fn->getCanonicalDecl());
      return true;
    });
}

FactBuilder::~FactBuilder() = default;

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
    File = check(ms_strn(F, Name.data(), Name.size()));
    FileNames[FID] = File;
  }
  ms_id Id = check(ms_add_loc(F, File, SM.getSpellingLineNumber(E), SM.getSpellingColumnNumber(E)));
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
  std::memset(&Fn, 0, sizeof Fn);
  // Function facts are unified by name: a C function goes by its name (so
  // that its facts meet its callers' in other files); a second function of
  // the same name (C++ overloads, methods) by its qualified signature, and
  // then by a number.
  std::string Name = FD->getIdentifier() ? FD->getName().str() : std::string("<anonymous>");
  if (FunctionNames.count(Name)) {
    Name = FD->getQualifiedNameAsString() + "(";
    for (unsigned I = 0; I < FD->getNumParams(); ++I)
      Name += (I ? ", " : "") + FD->getParamDecl(I)->getType().getAsString();
    Name += ")";
    for (unsigned N = 2; FunctionNames.count(Name); ++N)
      Name = Name.substr(0, Name.rfind(')') + 1) + "#" + std::to_string(N);
  }
  FunctionNames.insert(Name);
  Fn.name = check(ms_strn(F, Name.data(), Name.size()));
  const FunctionDecl *Def = FD->getDefinition();
  Fn.loc = locId((Def ? Def : FD)->getLocation());
  Fn.param_count = FD->getNumParams();
  const FunctionDecl *D = Def ? Def : FD;
  Fn.visibility = D->isMain()                  ? MS_VIS_PROGRAM_ENTRY
                  : D->isExternallyVisible()   ? MS_VIS_EXTERNAL
                  : AddressTaken.count(FD)     ? MS_VIS_ADDRESS_TAKEN
                                               : MS_VIS_INTERNAL;
  Fn.concurrent = InDeclaredFields.count(FD) > 0;
  if (Declared && FD->getIdentifier())
    for (const llvm::GlobPattern &P : Declared->Functions)
      Fn.concurrent |= P.match(FD->getName());
  ms_id Id = check(ms_add_function(F, &Fn));
  FunctionIds[FD] = Id;
  return Id;
}

ms_id FactBuilder::regionFunction(const std::string &Name, SourceLocation Loc) {
  ms_function Fn;
  std::memset(&Fn, 0, sizeof Fn);
  std::string Unique = Name;
  for (unsigned N = 2; FunctionNames.count(Unique); ++N)
    Unique = Name + " #" + std::to_string(N);
  FunctionNames.insert(Unique);
  Fn.name = check(ms_strn(F, Unique.data(), Unique.size()));
  Fn.loc = locId(Loc);
  Fn.visibility = MS_VIS_INTERNAL;
  return check(ms_add_function(F, &Fn));
}

const FactBuilder::FunctionClass *FactBuilder::withFacts(const FunctionDecl *FD) {
  FunctionClass *C = classOf(FD);
  if (!C || !C->Needed || C->Analysis == FunctionClass::WithoutFacts)
    return nullptr;
  if (C->Analysis != FunctionClass::Unanalysed)
    return C; // done, or in progress (recursion): it has facts
  if (Depth > 64)
    return nullptr;
  C->Analysis = FunctionClass::Analysing;
  ++Depth;
  FunctionAnalysis A(*this, FD->getDefinition());
  C->Analysis = A.run() ? FunctionClass::WithFacts : FunctionClass::WithoutFacts;
  --Depth;
  return C->Analysis == FunctionClass::WithFacts ? C : nullptr;
}

bool FactBuilder::run() {
  // The functions in scope: the whole translation unit for clang-tidy, the
  // main file's top-level declarations in clangd (whose headers sit in a
  // preamble that should not be loaded).
  std::vector<const DeclContext *> Contexts;
  std::vector<const FunctionDecl *> Scope;
  auto Take = [&](const Decl *D) {
    // Cheap tests first: most declarations come from headers.
    if (const auto *LS = dyn_cast<LinkageSpecDecl>(D)) {
      Contexts.push_back(LS);
    } else if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->doesThisDeclarationHaveABody() && isUserCode(FD->getLocation()) && !skipped(FD) &&
          !(Macros && Macros->libraryDefinition(FD->getBeginLoc())))
        Scope.push_back(FD);
    } else if (const auto *RD = dyn_cast<RecordDecl>(D)) {
      if (!RD->isThisDeclarationADefinition() ||
          llvm::none_of(RD->fields(), [](const FieldDecl *F) { return F->hasAttrs(); }) ||
          !isUserCode(RD->getLocation()))
        return;
      for (const FieldDecl *FD : RD->fields())
        scanGuardAttributes(FD, facts::ownerName(RD, Ctx) + "." + FD->getName().str());
    } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if ((!VD->hasAttrs() && !VD->getInit()) || !isUserCode(VD->getLocation()))
        return;
      scanGuardAttributes(VD, VD->getName().str());
      if (!VD->getInit())
        return;
      // A function stored in a variable (an operations table) is called
      // through it: its address is taken.
      facts::scanCalls(VD->getInit(), [](const CallExpr *) {}, [&](const FunctionDecl *Taken) {
        AddressTaken.insert(Taken->getCanonicalDecl());
      });
      scanStoredFunctions(VD->getInit(), VD->getType());
    }
  };
  for (Decl *D : Ctx.getTraversalScope()) {
    if (const auto *DC = dyn_cast<DeclContext>(D); DC && isa<TranslationUnitDecl>(D))
      Contexts.push_back(DC);
    else
      Take(D);
  }
  while (!Contexts.empty()) {
    const DeclContext *DC = Contexts.back();
    Contexts.pop_back();
    for (const Decl *D : DC->decls())
      Take(D);
  }
  scanStoredByAssignment(Scope);
  plan(Scope);
  for (const FunctionDecl *FD : Scope) {
    if (Failed)
      break;
    withFacts(FD);
  }
  // Thread entries outside the scope (in a header, for clangd): what the
  // threads do is part of the file's races.
  for (const FunctionDecl *Entry : Entries) {
    if (Failed)
      break;
    withFacts(Entry);
  }
  return !Failed;
}

} // namespace mapsafe
