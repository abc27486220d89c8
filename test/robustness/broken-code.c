// Code that does not compile never crashes clang-tidy or clangd, and
// mapsafe keeps quiet wherever the errors make it unsure.  The racy pattern
// below (workers inserting into a global table through a helper, no lock)
// is reported when the file is whole (OK); each variant breaks the file in
// a different place.  When the error lies in a function the race involves
// (the access, the call path, the thread entry, the spawning function, a
// lock wrapper called on the way), the race is not reported; when it lies
// elsewhere (ERR_IN_OTHER, ERR_AT_EOF), it still is.  Either way a remark at
// the top of the file says where mapsafe paused (a warning in clangd, which
// shows remarks only as notes of other diagnostics).  clang-tidy prints its own
// clang-diagnostic-* errors and exits with status 1 ("Found compiler
// error(s)."); no other mapsafe line may appear, no crash, no other status.
// LOCKED is the fixed twin of BROKEN_LOCK: the insert under a lock taken in
// a wrapper, which BROKEN_LOCK breaks.
//
// REQUIRES: clangd
// RUN: %mapsafe_check %s --prefix=OK -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=LOCKED -- %glib_cflags -pthread -DLOCKED
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: for v in ERR_IN_RACY FEW_ARGS UNDECLARED_MAP ERR_IN_ENTRY IMPLICIT_DECL ERR_IN_MAIN ERR_AT_EOF ERR_IN_OTHER BROKEN_LOCK; do \
// RUN:   %clang_tidy -checks='-*,mapsafe-*' %s -- %glib_cflags -pthread -D$v \
// RUN:     > %t/$v.out 2> %t/$v.err; echo "exit status $?" >> %t/$v.err; \
// RUN: done
// RUN: FileCheck %s --input-file=%t/ERR_IN_RACY.out --check-prefixes=RACY,PAUSED-REMEMBER $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/FEW_ARGS.out --check-prefixes=FEW,PAUSED-REMEMBER $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/UNDECLARED_MAP.out --check-prefixes=UNDECL,PAUSED-REMEMBER $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_IN_ENTRY.out --check-prefixes=ENTRY,PAUSED-WORKER $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/IMPLICIT_DECL.out --check-prefixes=IMPLICIT,PAUSED-WORKER $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_IN_MAIN.out --check-prefixes=MAIN,PAUSED-MAIN $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_AT_EOF.out --check-prefixes=EOF,REPORTED $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/ERR_IN_OTHER.out --check-prefixes=OTHER,REPORTED $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: FileCheck %s --input-file=%t/BROKEN_LOCK.out --check-prefixes=BROKEN-LOCK $(mapsafe-lines %s) --implicit-check-not='[mapsafe-' --implicit-check-not='warning:'
// RUN: for v in ERR_IN_RACY FEW_ARGS UNDECLARED_MAP ERR_IN_ENTRY IMPLICIT_DECL ERR_IN_MAIN ERR_AT_EOF ERR_IN_OTHER BROKEN_LOCK; do \
// RUN:   FileCheck %s --input-file=%t/$v.err --check-prefix=STDERR --implicit-check-not='[mapsafe-' \
// RUN:     --implicit-check-not='Stack dump' --implicit-check-not='PLEASE' || exit 1; \
// RUN: done
//
// The same in mapsafe-clangd, where half-typed code is the normal case: its
// --check mode (which also runs every editor feature at every token) reports
// the compiler errors and exits with status 3 ("check failed": the file has
// errors), not with a crash; the race only where the errors leave it certain.
// RUN: mkdir -p %t/clangd && cp %s %t/clangd/broken-code.c
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: Loose\n' > %t/clangd/.clangd
// RUN: cd %t/clangd && for v in ERR_IN_RACY FEW_ARGS UNDECLARED_MAP ERR_IN_ENTRY IMPLICIT_DECL ERR_IN_MAIN BROKEN_LOCK; do \
// RUN:   printf '%%s\n' %glib_cflags -pthread -D$v > compile_flags.txt; \
// RUN:   %mapsafe_clangd --check=broken-code.c --check-warnings --resource-dir=/usr/lib/llvm-22/lib/clang/22 \
// RUN:     > $v.log 2>&1; echo "exit status $?" >> $v.log; \
// RUN:   FileCheck %s --input-file=$v.log --check-prefix=CLANGD --implicit-check-not='[mapsafe-unsynchronized' \
// RUN:     --implicit-check-not='Stack dump' || exit 1; \
// RUN: done
// RUN: cd %t/clangd && for v in ERR_AT_EOF ERR_IN_OTHER; do \
// RUN:   printf '%%s\n' %glib_cflags -pthread -D$v > compile_flags.txt; \
// RUN:   %mapsafe_clangd --check=broken-code.c --check-warnings --resource-dir=/usr/lib/llvm-22/lib/clang/22 \
// RUN:     > $v.log 2>&1; echo "exit status $?" >> $v.log; \
// RUN:   FileCheck %s --input-file=$v.log --check-prefixes=CLANGD,CLANGD-REPORTED $(mapsafe-lines %s) \
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

#if defined(LOCKED) || defined(BROKEN_LOCK)
static GMutex cache_lock;

static void lock_cache(void) { // L:lock_cache
  g_mutex_lock(&cache_lock);
#if defined(BROKEN_LOCK)
  lock_count++; // L:lock_count
#endif
}

static void unlock_cache(void) { g_mutex_unlock(&cache_lock); }
#endif

static void remember(const char *k) { // L:remember
#if defined(LOCKED) || defined(BROKEN_LOCK)
  lock_cache();
  g_hash_table_insert(cache, g_strdup(k), GINT_TO_POINTER(1));
  unlock_cache();
#elif defined(ERR_IN_RACY)
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

static void *worker(void *arg) { // L:worker
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

#if defined(ERR_IN_OTHER)
// A function the race does not involve, half typed.
static int unrelated(void) { // L:unrelated
  return missing_name; // L:missing_name
}
#endif

int main(void) { // L:main
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

// PAUSED-REMEMBER: broken-code.c:1:1: remark: mapsafe paused in 'remember' (line [[L_remember]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis]
// PAUSED-WORKER: broken-code.c:1:1: remark: mapsafe paused in 'worker' (line [[L_worker]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis]
// PAUSED-MAIN: broken-code.c:1:1: remark: mapsafe paused in 'main' (line [[L_main]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis]
// EOF: broken-code.c:1:1: remark: mapsafe paused in 'half_typed' (line [[L_half_typed]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis]
// OTHER: broken-code.c:1:1: remark: mapsafe paused in 'unrelated' (line [[L_unrelated]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis]
// BROKEN-LOCK: broken-code.c:1:1: remark: mapsafe paused in 'lock_cache' (line [[L_lock_cache]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile [mapsafe-incomplete-analysis]
// REPORTED: {{.*}}broken-code.c:[[L_insert]]:3: warning: unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// REPORTED: {{.*}}broken-code.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// REPORTED: {{.*}}broken-code.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// REPORTED: {{.*}}broken-code.c:[[L_call]]:3: note: 'remember' is called from 'worker' here
// REPORTED: {{.*}}broken-code.c:[[L_new_cache]]:11: note: 'cache' is created here: a GHashTable from string keys to int values
// OTHER: {{.*}}broken-code.c:[[L_missing_name]]:10: error: use of undeclared identifier 'missing_name' [clang-diagnostic-error]
// BROKEN-LOCK: {{.*}}broken-code.c:[[L_lock_count]]:3: error: use of undeclared identifier 'lock_count' [clang-diagnostic-error]
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
// CLANGD-REPORTED: E[{{.*}}] [mapsafe-unsynchronized-write] Line [[L_insert]]: unsynchronized write to map 'cache' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held
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
static void half_typed(GHashTable *h) { // L:half_typed
  g_hash_table_remove(h, // L:half
#endif
