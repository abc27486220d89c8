// A malformed rule file in mapsafe.RulesFiles is an error at the top of the
// analysed file naming FILE:LINE:COL and what is wrong, told once (not once
// per mapsafe check), never a crash; clang-tidy exits with status 1, and
// clangd shows it.  The broken file adds nothing, and the other rules keep
// working: the GLib race below (OK) is still reported (KEPT).
//
// RUN: %mapsafe_check %s --prefix=OK \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/my_table.yaml'}}" \
// RUN:   -- %glib_cflags -pthread
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: for r in bad-syntax bad-unknown-key bad-unknown-kind bad-arg-index bad-negative-index \
// RUN:          bad-thread-kind bad-started-by bad-top-level bad-shape missing \
// RUN:          bad-macro-try bad-macro-both bad-no-name bad-handle bad-callbacks \
// RUN:          bad-callback-rule bad-after bad-empty-entry bad-entry-name \
// RUN:          bad-keeps; do \
// RUN:   %clang_tidy -checks='-*,mapsafe-*' \
// RUN:     --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/$r.yaml'}}" \
// RUN:     %s -- %glib_cflags -pthread > %t/$r.out 2>&1; echo "exit status $?" >> %t/$r.out; \
// RUN:   FileCheck %s --input-file=%t/$r.out --check-prefixes=$r,KEPT --match-full-lines \
// RUN:     --implicit-check-not='{{warning|error|note}}:' \
// RUN:     --implicit-check-not='Stack dump' || exit 1; \
// RUN: done
//
// Two bad files: both are told, in whichever order clang-tidy sorts them.
// RUN: not %clang_tidy -checks='-*,mapsafe-*' \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/bad-unknown-kind.yaml;%S/Inputs/rules/missing.yaml'}}" \
// RUN:   %s -- %glib_cflags -pthread > %t/two.out 2>&1
// RUN: FileCheck %s --input-file=%t/two.out --check-prefixes=TWO,KEPT --match-full-lines \
// RUN:   --implicit-check-not='{{warning|error|note}}:'
//
// A good file followed by a bad one: the good one counts.
// RUN: %clang_tidy -checks='-*,mapsafe-*' \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/my_table.yaml,%S/Inputs/rules/bad-top-level.yaml'}}" \
// RUN:   %s -- %glib_cflags -pthread > %t/good-bad.out 2>&1; echo "exit status $?" >> %t/good-bad.out
// RUN: FileCheck %s --input-file=%t/good-bad.out --check-prefixes=bad-top-level,KEPT --match-full-lines \
// RUN:   --implicit-check-not='{{warning|error|note}}:'
//
// --warnings-as-errors changes nothing: it is an error already.
// RUN: %clang_tidy -checks='-*,mapsafe-*' --warnings-as-errors='*' \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/bad-syntax.yaml'}}" \
// RUN:   %s -- %glib_cflags -pthread > %t/wae.out 2>&1; echo "exit status $?" >> %t/wae.out
// RUN: FileCheck %s --input-file=%t/wae.out --check-prefix=WAE --match-full-lines \
// RUN:   --implicit-check-not='{{warning|error|note}}:'

#include <glib.h>
#include <pthread.h>

static GHashTable *jobs;

static void *worker(void *arg) {
  g_hash_table_insert(jobs, arg, arg); // L:insert
  return NULL;
}

int main(void) {
  pthread_t th[2];
  jobs = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_jobs
  for (int i = 0; i < 2; i++)
    pthread_create(&th[i], NULL, worker, &th[i]); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  return 0;
}

// OK:      malformed-rules.c:[[L_insert]]:3: warning: unsynchronized write to map 'jobs' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// OK-NEXT: malformed-rules.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// OK-NEXT: malformed-rules.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// OK-NEXT: malformed-rules.c:[[L_new_jobs]]:10: note: 'jobs' is created here: a GHashTable with pointer keys


// TWO-DAG: error: mapsafe: {{.*}}/Inputs/rules/missing.yaml: cannot read rule file: No such file or directory [clang-tidy-config]
// TWO-DAG: error: mapsafe: {{.*}}/Inputs/rules/bad-unknown-kind.yaml:5:10: unknown map operation kind 'peek' (expected read, write, iterate, create or destroy) [clang-tidy-config]
// bad-syntax:         error: mapsafe: {{.*}}/Inputs/rules/bad-syntax.yaml:6:9: Unexpected token. Expected Key, Flow Entry, or Flow Mapping End. [clang-tidy-config]
// bad-unknown-key:    error: mapsafe: {{.*}}/Inputs/rules/bad-unknown-key.yaml:4:55: unknown key 'colour' [clang-tidy-config]
// bad-unknown-kind:   error: mapsafe: {{.*}}/Inputs/rules/bad-unknown-kind.yaml:5:10: unknown map operation kind 'peek' (expected read, write, iterate, create or destroy) [clang-tidy-config]
// bad-arg-index:      error: mapsafe: {{.*}}/Inputs/rules/bad-arg-index.yaml:4:10: 'map' must be an argument index (0, 1, ...) or 'return', not 'first' [clang-tidy-config]
// bad-negative-index: error: mapsafe: {{.*}}/Inputs/rules/bad-negative-index.yaml:3:6: 'lock' must be an argument index (0, 1, ...) or 'return', not '-1' [clang-tidy-config]
// bad-thread-kind:    error: mapsafe: {{.*}}/Inputs/rules/bad-thread-kind.yaml:2:6: unknown thread kind 'fork' (expected spawn, join or callbacks) [clang-tidy-config]
// bad-started-by:     error: mapsafe: {{.*}}/Inputs/rules/bad-started-by.yaml:2:6: 'started-by' applies only to spawn [clang-tidy-config]
// bad-top-level:      error: mapsafe: {{.*}}/Inputs/rules/bad-top-level.yaml:4:1: unknown key 'mutexes' [clang-tidy-config]
// bad-shape:          error: mapsafe: {{.*}}/Inputs/rules/bad-shape.yaml:1:8: expected a list here (lines starting with '- '), not a single value or a mapping [clang-tidy-config]
// missing:            error: mapsafe: {{.*}}/Inputs/rules/missing.yaml: cannot read rule file: No such file or directory [clang-tidy-config]
// bad-macro-try:      error: mapsafe: {{.*}}/Inputs/rules/bad-macro-try.yaml:2:6: macro 'SPIN_TRY': a macro can acquire, release, init or destroy a lock; 'try-acquire' and 'returns' apply only to functions [clang-tidy-config]
// bad-macro-both:     error: mapsafe: {{.*}}/Inputs/rules/bad-macro-both.yaml:4:10: map operation 't_put' names both a 'function' and a 'macro' [clang-tidy-config]
// bad-no-name:        error: mapsafe: {{.*}}/Inputs/rules/bad-no-name.yaml:4:10: map operation needs 'function' or 'macro': the name it is called by [clang-tidy-config]
// bad-callbacks:      error: mapsafe: {{.*}}/Inputs/rules/bad-callbacks.yaml:2:6: a 'callbacks' rule has 'record' (the struct type of the table) and no other key [clang-tidy-config]
// bad-callback-rule:  error: mapsafe: {{.*}}/Inputs/rules/bad-callback-rule.yaml:2:6: callback rule 'run_all' needs 'callback': the index of the function it calls [clang-tidy-config]
// bad-after:          error: mapsafe: {{.*}}/Inputs/rules/bad-after.yaml:2:6: 'after-param' needs 'after': the function the caller's thread runs afterwards [clang-tidy-config]
// bad-empty-entry:    error: mapsafe: {{.*}}/Inputs/rules/bad-empty-entry.yaml:5:1: expected a single value here (a word or a number), not a list, a mapping or nothing [clang-tidy-config]
// bad-entry-name:     error: mapsafe: {{.*}}/Inputs/rules/bad-entry-name.yaml:2:5: 'entry' must be an argument index (0, 1, ...), not 'start_it' [clang-tidy-config]
// bad-keeps:          error: mapsafe: {{.*}}/Inputs/rules/bad-keeps.yaml:2:6: 'keeps' must be 'none' or the index of the one argument the function keeps (0, 1, ...), not 'all' [clang-tidy-config]
// bad-handle:         error: mapsafe: {{.*}}/Inputs/rules/bad-handle.yaml:2:5: unknown 'handle' value 'borrowed' (expected own or element) [clang-tidy-config]
// KEPT:      {{.*}}malformed-rules.c:{{[0-9]+}}:3: warning: unsynchronized write to map 'jobs' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// KEPT:      {{.*}}malformed-rules.c:{{[0-9]+}}:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// KEPT:      {{.*}}malformed-rules.c:{{[0-9]+}}:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// KEPT:      {{.*}}malformed-rules.c:{{[0-9]+}}:10: note: 'jobs' is created here: a GHashTable with pointer keys
// bad-syntax:         exit status 1
// bad-unknown-key:    exit status 1
// bad-unknown-kind:   exit status 1
// bad-arg-index:      exit status 1
// bad-negative-index: exit status 1
// bad-thread-kind:    exit status 1
// bad-started-by:     exit status 1
// bad-top-level:      exit status 1
// bad-shape:          exit status 1
// missing:            exit status 1
// bad-macro-try:      exit status 1
// bad-macro-both:     exit status 1
// bad-no-name:        exit status 1
// bad-handle:         exit status 1
// bad-callbacks:      exit status 1
// bad-callback-rule:  exit status 1
// bad-after:          exit status 1
// bad-empty-entry:    exit status 1
// bad-entry-name:     exit status 1
// bad-keeps:          exit status 1


// WAE:      error: mapsafe: {{.*}}/Inputs/rules/bad-syntax.yaml:6:9: Unexpected token. Expected Key, Flow Entry, or Flow Mapping End. [clang-tidy-config]
// WAE:      {{.*}}malformed-rules.c:{{[0-9]+}}:3: error: unsynchronized write to map 'jobs' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write,-warnings-as-errors]
// WAE-COUNT-3: {{.*}}: note: {{.*}}
// WAE:      exit status 1
