//===--- MacroUses.cpp - where the rules' macros are expanded -------------===//
#include "facts/MacroUses.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"
#include "llvm/ADT/DenseMap.h"
#include <algorithm>

namespace mapsafe {

namespace {
class Recorder : public clang::PPCallbacks {
public:
  Recorder(MacroUses &Out, const clang::SourceManager &SM, std::shared_ptr<void> KeepAlive)
      : Out(Out), SM(SM), KeepAlive(std::move(KeepAlive)) {
    // Most expansions (GLib's G_ and g_ macros, libc's _ ones) are told
    // apart from the rules' by their first character alone.
    Out.rules().forEachMacro([&](llvm::StringRef Name) {
      if (!Name.empty())
        First[static_cast<unsigned char>(Name[0])] = true;
    });
  }

  void MacroExpands(const clang::Token &NameTok, const clang::MacroDefinition &MD,
                    clang::SourceRange Range, const clang::MacroArgs *Args) override {
    const clang::IdentifierInfo *II = NameTok.getIdentifierInfo();
    if (!II || !First[static_cast<unsigned char>(*II->getNameStart())])
      return;
    // Most expansions are of a few macros again and again: their rule (or
    // none) is remembered by identifier.
    auto [It, New] = Seen.try_emplace(II, nullptr);
    if (New)
      It->second = Out.rules().lookupMacro(II->getName());
    const Rule *R = It->second;
    if (!R)
      return;
    MacroUses::Use U;
    U.R = R;
    U.Name = NameTok.getLocation();
    U.Range = Range;
    U.Shown = II->getName().str();
    // Written through a short name (`#define hmget stbds_hmget`): that name.
    if (U.Name.isMacroID() && !SM.isMacroArgExpansion(U.Name)) {
      clang::CharSourceRange Up = SM.getImmediateExpansionRange(U.Name);
      if (Up.getBegin() == Up.getEnd() && Up.getBegin().isFileID())
        U.Shown = clang::Lexer::getImmediateMacroName(U.Name, SM, clang::LangOptions()).str();
    }
    if (const clang::MacroInfo *MI = MD.getMacroInfo()) {
      U.Defined = MI->getDefinitionLoc();
      Out.definedAt(MI, U.Defined);
    }
    if (Args)
      for (unsigned I = 0, N = Args->getNumMacroArguments(); I < N; ++I) {
        const clang::Token *T = Args->getUnexpArgument(I);
        clang::SourceLocation First, Last;
        for (; T && T->isNot(clang::tok::eof); ++T) {
          if (First.isInvalid())
            First = T->getLocation();
          Last = T->getLocation();
        }
        U.Args.emplace_back(First, Last);
      }
    Out.add(std::move(U));
  }

private:
  MacroUses &Out;
  const clang::SourceManager &SM;
  llvm::DenseMap<const clang::IdentifierInfo *, const Rule *> Seen;
  bool First[256] = {};
  std::shared_ptr<void> KeepAlive;
};
} // namespace

std::unique_ptr<clang::PPCallbacks> MacroUses::callbacks(std::shared_ptr<void> KeepAlive) {
  return std::make_unique<Recorder>(*this, SM, std::move(KeepAlive));
}

void MacroUses::add(Use U) {
  clang::SourceLocation At = SM.getExpansionLoc(U.Name);
  auto [File, Offset] = SM.getDecomposedLoc(At);
  ByName[U.Name.getRawEncoding()] = static_cast<unsigned>(Uses.size());
  std::vector<unsigned> &Offsets = InFile[File];
  if (Offsets.empty() || Offsets.back() <= Offset)
    Offsets.push_back(Offset);
  else
    Offsets.insert(std::upper_bound(Offsets.begin(), Offsets.end(), Offset), Offset);
  Uses.push_back(std::move(U));
}

void MacroUses::definedAt(const void *Macro, clang::SourceLocation At) {
  if (DefinedBy.insert(Macro).second && At.isFileID())
    DefiningFiles.insert(SM.getFileID(At));
}

bool MacroUses::libraryDefinition(clang::SourceLocation Loc) const {
  if (!Loc.isMacroID() || DefiningFiles.empty())
    return false;
  clang::SourceLocation Spelled = SM.getSpellingLoc(Loc);
  return Spelled.isFileID() && DefiningFiles.count(SM.getFileID(Spelled));
}

bool MacroUses::anyWithin(clang::SourceLocation Begin, clang::SourceLocation End) const {
  if (Uses.empty() || Begin.isInvalid() || End.isInvalid())
    return false;
  auto [File, From] = SM.getDecomposedLoc(SM.getExpansionLoc(Begin));
  auto [EndFile, To] = SM.getDecomposedLoc(SM.getExpansionLoc(End));
  if (File != EndFile)
    return true; // cannot tell: look
  auto It = InFile.find(File);
  if (It == InFile.end())
    return false;
  auto First = std::lower_bound(It->second.begin(), It->second.end(), From);
  return First != It->second.end() && *First <= To;
}

} // namespace mapsafe
