//===--- Prepass.cpp - prepare: one walk over a function body -------------===//
//
// Notes, ahead of the dataflow, what it needs to know: the loop around each
// call, the values assigned to each local, stores into the fields of local
// (and global) structs, locals whose address is taken.  The caller's
// OnCall sees every call, to classify it with the rules.
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace mapsafe {
namespace facts {

const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *N = E->IgnoreParenCasts();
    // (a, b): the value is b's (a scoped-lock macro's `(lock (m), m)`).
    if (const auto *BO = dyn_cast<BinaryOperator>(N); BO && BO->getOpcode() == BO_Comma)
      N = BO->getRHS();
    if (const auto *SE = dyn_cast<StmtExpr>(N)) {
      // ({ ...; value; }) as in GLib's g_new: the value is the last statement.
      const CompoundStmt *CS = SE->getSubStmt();
      const Stmt *Last = CS && !CS->body_empty() ? CS->body_back() : nullptr;
      N = dyn_cast_or_null<Expr>(Last);
    }
    if (N == E)
      return E;
    E = N;
  }
  return E;
}

/// The variable (local or global, not a parameter) an lvalue's storage
/// belongs to: `v`, `v.f`, `v->f`, `v[i].f`; null for anything else.
const VarDecl *baseVar(const Expr *E) {
  E = E->IgnoreParenCasts();
  for (;;) {
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase()->IgnoreParenCasts();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase()->IgnoreParenCasts();
    else
      break;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && !isa<ParmVarDecl>(VD) ? VD : nullptr;
}

/// The local (non-parameter) variable an expression names, if any.
std::string ownerName(const RecordDecl *RD, const ASTContext &Ctx) {
  if (RD->getIdentifier())
    return (RD->getKindName() + " " + RD->getName()).str();
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return TD->getName().str();
  const SourceManager &SM = Ctx.getSourceManager();
  return (llvm::Twine("(anonymous ") + RD->getKindName() + " at " +
          SM.getFilename(SM.getExpansionLoc(RD->getLocation())) + ":" +
          llvm::Twine(SM.getExpansionLineNumber(RD->getLocation())) + ")")
      .str();
}

const VarDecl *localVar(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) ? VD : nullptr;
}

namespace {

/// The walk that fills a BodyFacts: the loops around things, assignments,
/// stores, address-taken locals.  Only a body with facts gets it.
/// Iterative (an explicit stack), so a deeply nested expression cannot
/// exhaust the host's stack; children are visited in source order.
class Prepass {
public:
  explicit Prepass(BodyFacts &Out) : Out(Out) {}

  void walk(const Stmt *Body) {
    struct Item {
      const Stmt *S;
      bool Leave; // leaving a loop
    };
    llvm::SmallVector<Item, 64> Stack{{Body, false}};
    while (!Stack.empty()) {
      Item I = Stack.pop_back_val();
      if (I.Leave) {
        Loops.pop_back();
        continue;
      }
      const Stmt *S = I.S;
      if (!S)
        continue;
      switch (S->getStmtClass()) {
      case Stmt::ForStmtClass:
      case Stmt::WhileStmtClass:
      case Stmt::DoStmtClass:
      case Stmt::CXXForRangeStmtClass:
        Out.LoopParent[S] = loop();
        Loops.push_back(S);
        Stack.push_back({S, true});
        break;
      default:
        visit(S);
        break;
      }
      // Children reversed onto the stack: visited in source order, so facts
      // come out in the order of the code.  A rule macro's own code is the
      // library's: only the arguments in it are looked at.
      size_t First = Stack.size();
      if (const auto *User = Out.Macros ? Out.Macros->userPartsBelow(S) : nullptr) {
        for (const Stmt *C : *User)
          Stack.push_back({C, false});
        std::reverse(Stack.begin() + First, Stack.end());
        continue;
      }
      for (const Stmt *C : S->children())
        if (C)
          Stack.push_back({C, false});
      if (const auto *CS = dyn_cast<CapturedStmt>(S)) // an OpenMP region's body
        Stack.push_back({CS->getCapturedStmt(), false});
      std::reverse(Stack.begin() + First, Stack.end());
    }
  }

private:
  void visit(const Stmt *S) {
    switch (S->getStmtClass()) {
    case Stmt::CallExprClass: {
      // The loop around each call the rules know (spawns and joins in
      // loops, allocations made afresh in a loop).
      const auto *CE = cast<CallExpr>(S);
      if (Out.Rules.count(CE))
        Out.CallLoop[CE] = loop();
      break;
    }
    case Stmt::IfStmtClass:
      Out.Ifs.push_back(cast<IfStmt>(S));
      break;
    case Stmt::DeclStmtClass:
      for (const Decl *D : cast<DeclStmt>(S)->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          var(VD);
      break;
    case Stmt::BinaryOperatorClass:
      if (cast<BinaryOperator>(S)->getOpcode() == BO_Assign)
        assign(cast<BinaryOperator>(S));
      break;
    case Stmt::UnaryOperatorClass: {
      // &p of a pointer variable: p may change behind our back.
      const auto *UO = cast<UnaryOperator>(S);
      if (UO->getOpcode() == UO_AddrOf) {
        if (const VarDecl *VD = localVar(UO->getSubExpr()))
          if (VD->getType()->isPointerType())
            Out.AddressTaken.insert(VD);
        param(UO->getSubExpr());
      }
      break;
    }
    default:
      break;
    }
  }

  void var(const VarDecl *VD) {
    if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      return;
    Out.VarLoop[VD] = loop();
    const Expr *Init = VD->getInit();
    if (!Init)
      return;
    if (const auto *ILE = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts())) {
      // struct ctx c = {.table = t, ...}: stores into the fields of c.
      if (VD->getType()->getAsRecordDecl())
        for (unsigned I = 0; I < ILE->getNumInits(); ++I)
          if (const Expr *V = ILE->getInit(I); V && V->getType()->isPointerType())
            Out.FieldStores[VD].push_back({V, loop(), nullptr});
      return;
    }
    Out.Assigns[VD].push_back({Init, loop(), nullptr});
    if (const auto *CE = dyn_cast_or_null<CallExpr>(strip(Init)))
      Out.InitOf[CE] = VD;
  }

  void assign(const BinaryOperator *BO) {
    const Expr *L = BO->getLHS()->IgnoreParenCasts(), *V = BO->getRHS();
    if (const auto *CE = dyn_cast_or_null<CallExpr>(strip(V)))
      Out.AssignedTo[CE] = L;
    if (const VarDecl *VD = localVar(L)) {
      Out.Assigns[VD].push_back({V, loop(), nullptr});
      return;
    }
    if (param(L))
      return;
    Out.Stores.push_back(BO);
    if (isa<MemberExpr>(L))
      if (const VarDecl *Base = baseVar(L))
        Out.FieldStores[Base].push_back({V, loop(), L});
    if (const VarDecl *Src = localVar(V))
      Out.Escapes[Src].push_back(L);
  }

  /// A parameter changed here (assigned, or its address taken).
  bool param(const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
    const auto *PD = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
    if (PD)
      Out.ChangedParams.insert(PD);
    return PD;
  }

  const Stmt *loop() const { return Loops.empty() ? nullptr : Loops.back(); }
  BodyFacts &Out;
  llvm::SmallVector<const Stmt *, 8> Loops;
};

} // namespace

void scanCalls(const Stmt *Body, llvm::function_ref<void(const CallExpr *)> OnCall,
               llvm::function_ref<void(const FunctionDecl *)> OnAddressTaken,
               llvm::function_ref<void(const Expr *)> OnIf, const MacroSites *Sites) {
  // Depth first with an explicit stack, children in any order (the cheap
  // way), then the calls sorted into source order by where they begin.
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  llvm::SmallVector<const CallExpr *, 32> Calls;
  llvm::SmallPtrSet<const Stmt *, 32> Callees; // names of called functions: no address taken
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      Calls.push_back(CE);
      if (const Expr *Callee = CE->getCallee())
        Callees.insert(Callee->IgnoreParenImpCasts());
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && OnAddressTaken) {
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()); FD && !Callees.count(DRE))
        OnAddressTaken(FD);
    }
    // The branch of `if (0)` / `if (1)` that never runs is not looked at,
    // as clang's CFG prunes it.
    if (const auto *If = dyn_cast<IfStmt>(S); If && OnIf && If->getCond())
      OnIf(If->getCond());
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      const auto *Lit = If->getInit() || If->getConditionVariable() || !If->getCond()
                            ? nullptr
                            : dyn_cast<IntegerLiteral>(If->getCond()->IgnoreParenImpCasts());
      if (Lit) {
        if (const Stmt *Live = Lit->getValue().isZero() ? If->getElse() : If->getThen())
          Stack.push_back(Live);
        continue;
      }
    }
    if (const auto *User = Sites ? Sites->userPartsBelow(S) : nullptr) {
      Stack.append(User->begin(), User->end());
      continue;
    }
    for (const Stmt *C : S->children())
      if (C)
        Stack.push_back(C);
    if (const auto *CS = dyn_cast<CapturedStmt>(S)) // an OpenMP region's body
      Stack.push_back(CS->getCapturedStmt());
  }
  llvm::sort(Calls, [](const CallExpr *A, const CallExpr *B) {
    return A->getBeginLoc().getRawEncoding() < B->getBeginLoc().getRawEncoding();
  });
  for (const CallExpr *CE : Calls)
    OnCall(CE);
}

void prepass(const Stmt *Body, BodyFacts &Out) { Prepass(Out).walk(Body); }

void forEachStmt(const Stmt *Body, llvm::function_ref<bool(const Stmt *)> F) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (!F(S))
      return;
    for (const Stmt *C : childrenOf(S))
      Stack.push_back(C);
  }
}

const Rule *conditionMacro(const Expr *Cond, const ASTContext &Ctx, const Rules &R,
                           bool &Negated) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreParenImpCasts();
  while (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() != UO_LNot)
      return nullptr;
    Negated = !Negated;
    Cond = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = Cond->getBeginLoc();
  for (unsigned Depth = 0; L.isMacroID() && Depth < 16; ++Depth) {
    llvm::StringRef Name = Lexer::getImmediateMacroName(L, SM, Ctx.getLangOpts());
    if (const Rule *Found = Name.empty() ? nullptr : R.lookup(Name))
      return Found;
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return nullptr;
}

const FunctionDecl *entryFunction(const Expr *E, const BodyFacts *Body) {
  if (const FunctionDecl *FD = namedFunction(E))
    return FD;
  const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()) : nullptr;
  const auto *VD = DRE ? dyn_cast_or_null<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || isa<ParmVarDecl>(VD) || VD->getType().isNull() ||
      !VD->getType()->isFunctionPointerType())
    return nullptr;
  const Expr *Init = VD->getInit();
  const FunctionDecl *Named = Init ? namedFunction(Init) : nullptr;
  if (!Named)
    return nullptr;
  if (VD->getType().isConstQualified())
    return Named; // it cannot hold anything else
  if (!VD->hasLocalStorage())
    return nullptr; // a global may be set anywhere
  if (!Body)
    return Named;
  // A local: the initialiser is its only value.
  if (Body->AddressTaken.count(VD))
    return nullptr;
  auto It = Body->Assigns.find(VD);
  return It != Body->Assigns.end() && It->second.size() == 1 && It->second[0].Value == Init
             ? Named
             : nullptr;
}

} // namespace facts
} // namespace mapsafe

namespace mapsafe {
namespace facts {

namespace {
/// The functions stored in fields named one of Fields in an initialiser
/// (through nested structs and unions).
void storedInInit(const Expr *Init, llvm::ArrayRef<std::string> Fields,
                  llvm::SmallPtrSetImpl<const FunctionDecl *> &Out, unsigned Depth = 0) {
  const auto *ILE = dyn_cast_or_null<InitListExpr>(Init ? Init->IgnoreImplicit() : nullptr);
  if (!ILE || Depth > 4)
    return;
  if (ILE->isSyntacticForm() && ILE->getSemanticForm())
    ILE = ILE->getSemanticForm();
  const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
  if (!RD || !RD->getDefinition())
    return;
  RD = RD->getDefinition();
  if (RD->isUnion()) {
    const FieldDecl *FD = ILE->getInitializedFieldInUnion();
    if (FD && ILE->getNumInits() == 1) {
      if (llvm::is_contained(Fields, FD->getName().str()))
        if (const FunctionDecl *Fn = namedFunction(ILE->getInit(0)))
          Out.insert(Fn);
      storedInInit(ILE->getInit(0), Fields, Out, Depth + 1);
    }
    return;
  }
  unsigned I = 0;
  for (const FieldDecl *FD : RD->fields()) {
    if (I >= ILE->getNumInits())
      break;
    const Expr *V = ILE->getInit(I++);
    if (llvm::is_contained(Fields, FD->getName().str()))
      if (const FunctionDecl *Fn = namedFunction(V))
        Out.insert(Fn);
    storedInInit(V, Fields, Out, Depth + 1);
  }
}
} // namespace

const FunctionDecl *spawnEntry(const CallExpr *CE, const SpawnRule &R, const Stmt *FunctionBody,
                               const BodyFacts *Body) {
  const Expr *Arg = argOf(CE, R.Entry);
  if (R.EntryFields.empty())
    return entryFunction(Arg, Body);
  const auto *UO = Arg ? dyn_cast<UnaryOperator>(Arg->IgnoreParenCasts()) : nullptr;
  const auto *DRE = UO && UO->getOpcode() == UO_AddrOf
                        ? dyn_cast<DeclRefExpr>(UO->getSubExpr()->IgnoreParenCasts())
                        : nullptr;
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD)
    return nullptr;
  llvm::SmallPtrSet<const FunctionDecl *, 2> Found;
  storedInInit(VD->getInit(), R.EntryFields, Found);
  // `sa.sa_handler = f` (through the union glibc puts the handlers in).
  bool Other = false; // something else is stored there too
  forEachStmt(FunctionBody, [&](const Stmt *S) {
    const MemberExpr *ME = assignedMember(S);
    if (!ME || !llvm::is_contained(R.EntryFields, ME->getMemberDecl()->getName().str()))
      return true;
    const Expr *Base = ME;
    while (const auto *M = dyn_cast<MemberExpr>(Base->IgnoreParenImpCasts()))
      Base = M->getBase();
    const auto *BaseRef = dyn_cast<DeclRefExpr>(Base->IgnoreParenImpCasts());
    if (!BaseRef || BaseRef->getDecl() != VD)
      return true;
    if (const FunctionDecl *Fn = namedFunction(cast<BinaryOperator>(S)->getRHS()))
      Found.insert(Fn);
    else
      Other = true;
    return !Other;
  });
  if (Other)
    return nullptr;
  // One handler only: otherwise which one runs is not known.
  return Found.size() == 1 ? *Found.begin() : nullptr;
}

} // namespace facts
} // namespace mapsafe
