// Code that does not compile never gets mapsafe diagnostics, and never
// crashes clang-tidy: the racy pattern below (workers inserting into a global
// table through a helper, no lock) is reported when the file is whole (OK),
// and each variant breaks it in a different place.  clang-tidy then prints
// its own clang-diagnostic-* errors and exits with status 1 ("Found compiler
// error(s)."); those are expected, but no mapsafe-* line may appear, no
// crash, and no other exit status.
//
// REQUIRES: clangd
// RUN: %mapsafe_check %s --prefix=OK -- %glib_cflags -pthread
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: for v in ERR_IN_RACY FEW_ARGS UNDECLARED_MAP ERR_IN_ENTRY IMPLICIT_DECL ERR_IN_MAIN ERR_AT_EOF; do \
// RUN:   %clang_tidy -checks='-*,mapsafe-*' %s -- %glib_cflags -pthread -D$v \
// RUN:     > %t/$v.out 2> %t/$v.err; echo "exit status $?" >> %t/$v.err; \
// RUN: done
// RUN: FileCheck %s --input-file=%t/ERR_IN_RACY.out --check-prefix=RACY $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/FEW_ARGS.out --check-prefix=FEW $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/UNDECLARED_MAP.out --check-prefix=UNDECL $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_IN_ENTRY.out --check-prefix=ENTRY $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/IMPLICIT_DECL.out --check-prefix=IMPLICIT $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_IN_MAIN.out --check-prefix=MAIN $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_AT_EOF.out --check-prefix=EOF $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: for v in ERR_IN_RACY FEW_ARGS UNDECLARED_MAP ERR_IN_ENTRY IMPLICIT_DECL ERR_IN_MAIN ERR_AT_EOF; do \
// RUN:   FileCheck %s --input-file=%t/$v.err --check-prefix=STDERR --implicit-check-not='[mapsafe-' \
// RUN:     --implicit-check-not='Stack dump' --implicit-check-not='PLEASE' || exit 1; \
// RUN: done
//
// The same in mapsafe-clangd, where half-typed code is the normal case: its
// --check mode (which also runs every editor feature at every token) reports
// the compiler errors, no mapsafe diagnostic, and exits with status 3 ("check
// failed": the file has errors), not with a crash.
// RUN: mkdir -p %t/clangd && cp %s %t/clangd/broken-code.c
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/clangd/.clangd
// RUN: cd %t/clangd && for v in ERR_IN_RACY FEW_ARGS UNDECLARED_MAP ERR_IN_ENTRY IMPLICIT_DECL ERR_IN_MAIN ERR_AT_EOF; do \
// RUN:   printf '%%s\n' %glib_cflags -pthread -D$v > compile_flags.txt; \
// RUN:   %mapsafe_clangd --check=broken-code.c --check-warnings --resource-dir=/usr/lib/llvm-22/lib/clang/22 \
// RUN:     > $v.log 2>&1; echo "exit status $?" >> $v.log; \
// RUN:   FileCheck %s --input-file=$v.log --check-prefix=CLANGD --implicit-check-not='[mapsafe-' \
// RUN:     --implicit-check-not='Stack dump' || exit 1; \
// RUN: done
// And the whole file is clean there: the race is reported.
// RUN: cd %t/clangd && printf '%%s\n' %glib_cflags -pthread > compile_flags.txt && \
// RUN:   %mapsafe_clangd --check=broken-code.c --check-warnings --resource-dir=/usr/lib/llvm-22/lib/clang/22 \
// RUN:     > whole.log 2>&1
// RUN: FileCheck %s --input-file=%t/clangd/whole.log --check-prefix=CLANGD-OK $(mapsafe-lines %s)

#include <glib.h>
#include <pthread.h>

static GHashTable *cache;

static void remember(const char *k) {
#if defined(ERR_IN_RACY)
  // An unterminated call: the racy call itself is broken.
  g_hash_table_insert(cache, g_strdup(k), GINT_TO_POINTER(1); // L:unterminated
#elif defined(FEW_ARGS)
  // The racy call lacks the argument the rules call the value.
  g_hash_table_insert(cache, g_strdup(k)); // L:few
#elif defined(UNDECLARED_MAP)
  // A typo in the map: clang recovers with a RecoveryExpr.
  g_hash_table_insert(cachee, g_strdup(k), GINT_TO_POINTER(1)); // L:undeclared
#else
  g_hash_table_insert(cache, g_strdup(k), GINT_TO_POINTER(1)); // L:insert
#endif
}

static void *worker(void *arg) {
#if defined(ERR_IN_ENTRY)
  // The thread entry is half typed: a missing ';' and an undeclared name.
  remember(arg) // L:missing_semi
  counter += 1; // L:undeclared_counter
#elif defined(IMPLICIT_DECL)
  // Only an implicit function declaration, an error by default in C99.
  remember(arg);
  log_key(arg); // L:implicit
#else
  remember(arg); // L:call
#endif
  return NULL;
}

int main(void) {
  pthread_t th[4];
  cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new_cache
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, "key"); // L:spawn
#if defined(ERR_IN_MAIN)
  for (int i = 0; i < 4; i++ // L:unclosed_for
    pthread_join(th[i], NULL); // L:join
#else
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
#endif
  return 0;
}


// OK: broken-code.c:[[L_insert]]:3: warning: unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// OK-NEXT: broken-code.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// OK-NEXT: broken-code.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// OK-NEXT: broken-code.c:[[L_call]]:3: note: 'remember' is called from 'worker' here
// OK-NEXT: broken-code.c:[[L_new_cache]]:11: note: 'cache' is created here: a GHashTable from string keys to int values

// RACY: {{.*}}broken-code.c:[[L_unterminated]]:61: error: expected ')' [clang-diagnostic-error]
// RACY: {{.*}}broken-code.c:[[L_unterminated]]:22: note: to match this '('
// FEW: {{.*}}broken-code.c:[[L_few]]:41: error: too few arguments to function call, expected 3, have 2 [clang-diagnostic-error]
// UNDECL: {{.*}}broken-code.c:[[L_undeclared]]:23: error: use of undeclared identifier 'cachee'; did you mean 'cache'? [clang-diagnostic-error]
// ENTRY: {{.*}}broken-code.c:[[L_missing_semi]]:16: error: expected ';' after expression [clang-diagnostic-error]
// ENTRY: {{.*}}broken-code.c:[[L_undeclared_counter]]:3: error: use of undeclared identifier 'counter' [clang-diagnostic-error]
// IMPLICIT: {{.*}}broken-code.c:[[L_implicit]]:3: error: call to undeclared function 'log_key'; ISO C99 and later do not support implicit function declarations [clang-diagnostic-implicit-function-declaration]
// MAIN: {{.*}}broken-code.c:[[L_join]]:5: error: expected ')' [clang-diagnostic-error]
// MAIN: {{.*}}broken-code.c:[[L_unclosed_for]]:7: note: to match this '('
// EOF: {{.*}}broken-code.c:[[L_half]]:25: error: expected ';' after expression [clang-diagnostic-error]
// EOF: {{.*}}broken-code.c:{{[0-9]+}}:{{[0-9]+}}: error: expected '}' [clang-diagnostic-error]

// CLANGD: Building AST...
// CLANGD: E[{{.*}}] [{{[^]]+}}] Line {{[0-9]+}}: {{.+}}
// CLANGD: All checks completed, {{[1-9][0-9]*}} errors
// CLANGD-NEXT: exit status 3
// CLANGD-OK: E[{{.*}}] [mapsafe-unsynchronized-write] Line [[L_insert]]: unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held
// CLANGD-OK: All checks completed, 0 errors

// STDERR: Error while processing {{.*}}broken-code.c.
// STDERR: Found compiler error(s).
// STDERR-NEXT: exit status 1

#if defined(ERR_AT_EOF)
// A half-typed function at the end of the file: the call and the body are
// never closed.
static void half_typed(GHashTable *h) {
  g_hash_table_remove(h, // L:half
#endif
