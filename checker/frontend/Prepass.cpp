//===--- Prepass.cpp - step 1: one walk over a function body --------------===//
//
// Notes, ahead of the dataflow, what it needs to know: the loop around each
// call, the values assigned to each local, stores into the fields of local
// (and global) structs, locals whose address is taken.  The caller's
// OnCall sees every call, to classify it with the rules.
//
//===----------------------------------------------------------------------===//
#include "FunctionAnalysis.h"

namespace mapsafe {
namespace fb {

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
const VarDecl *localVar(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) ? VD : nullptr;
}

namespace {

/// Step 1: one walk over the body, filling a Prepared.  Iterative (an
/// explicit stack), so a deeply nested expression cannot exhaust the host's
/// stack; children are visited in source order.
class Prepass {
public:
  Prepass(Prepared &Out, llvm::function_ref<void(const CallExpr *)> OnCall)
      : Out(Out), OnCall(OnCall) {}

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
      // come out in the order of the code.
      size_t First = Stack.size();
      for (const Stmt *C : S->children())
        if (C)
          Stack.push_back({C, false});
      std::reverse(Stack.begin() + First, Stack.end());
    }
  }

private:
  void visit(const Stmt *S) {
    switch (S->getStmtClass()) {
    case Stmt::CallExprClass: {
      const auto *CE = cast<CallExpr>(S);
      Out.CallLoop[CE] = loop();
      OnCall(CE);
      break;
    }
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
      if (UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *VD = localVar(UO->getSubExpr()))
          if (VD->getType()->isPointerType())
            Out.AddressTaken.insert(VD);
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
    if (isa<MemberExpr>(L))
      if (const VarDecl *Base = baseVar(L))
        Out.FieldStores[Base].push_back({V, loop(), L});
    if (const VarDecl *Src = localVar(V))
      Out.Escapes[Src].push_back(L);
  }

  const Stmt *loop() const { return Loops.empty() ? nullptr : Loops.back(); }
  Prepared &Out;
  llvm::function_ref<void(const CallExpr *)> OnCall;
  llvm::SmallVector<const Stmt *, 8> Loops;
};

} // namespace

void prepass(const Stmt *Body, Prepared &Out, llvm::function_ref<void(const CallExpr *)> OnCall) {
  Prepass(Out, OnCall).walk(Body);
}

} // namespace fb
} // namespace mapsafe
