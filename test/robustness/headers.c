// Races inside header code.  A racy insert in an inline helper of a user
// header (Inputs/table_ops.h, included with quotes) is reported at the
// header's line; the same helper in a system header (Inputs/sys on -isystem)
// is never reported, even with --system-headers, but is once that directory
// is an ordinary -I one.  clang-tidy's --header-filter decides about a
// warning in a header only when none of its notes is in the main file: it
// hides the all-in-header pool (Inputs/pool.h, -DPOOL, whose pool_start()
// nothing here calls) but not the helper, whose notes (spawn, call) are here.
//
// User header, default header filter (clang-tidy 22: all non-system headers).
// RUN: %mapsafe_check %s --prefix=HELPER -- %glib_cflags -pthread -isystem %S/Inputs/sys
// RUN: %mapsafe_check %s --prefix=HELPER --tidy-arg=--header-filter=table_ops \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys
// RUN: %mapsafe_check %s --prefix=HELPER --tidy-arg=--header-filter=nothing-matches \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys // L:new_pool_jobs
// System header: nothing, with or without --system-headers.
// RUN: %mapsafe_check %s --prefix=HELPER --tidy-arg=--header-filter='.*' --tidy-arg=--system-headers \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys
// The same header as a user header: its race is reported.
// RUN: %mapsafe_check %s --prefix=SYSUSER -- %glib_cflags -pthread -I%S/Inputs/sys
//
// Everything in the header: the header filter decides.
// RUN: %mapsafe_check %s --prefix=POOL -- %glib_cflags -pthread -isystem %S/Inputs/sys -DPOOL
// RUN: %mapsafe_check %s --prefix=POOL --tidy-arg=--header-filter=pool \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys -DPOOL
// RUN: %mapsafe_check %s --prefix=HIDDEN --tidy-arg=--header-filter=nothing-matches \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys -DPOOL
// RUN: %mapsafe_check %s --prefix=HIDDEN --tidy-arg=--exclude-header-filter=pool \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys -DPOOL
// ... and clang-tidy says what it hid.
// RUN: %clang_tidy -checks='-*,mapsafe-*' --header-filter=nothing-matches %s \
// RUN:   -- %glib_cflags -pthread -isystem %S/Inputs/sys -DPOOL 2>&1 | FileCheck %s --check-prefix=SUPPRESSED

#include <glib.h>
#include <pthread.h>

#ifdef POOL
#include "Inputs/pool.h"

/* The pool's API is used elsewhere; this file only sizes it. */
int pool_size_hint(void) { return 4; }
#else
#include "Inputs/table_ops.h"
#include <sys_table_ops.h>

static GHashTable *user_table, *sys_table;

static void *worker(void *arg) {
  table_add(user_table, arg); // L:call_user
  sys_table_add(sys_table, arg); // L:call_sys
  return NULL;
}

int main(void) {
  pthread_t th[4];
  user_table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new_user_table
  sys_table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new_sys_table
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, "key"); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  return 0;
}
#endif

// HELPER:      table_ops.h:6:3: warning: unsynchronized write to map 'user_table' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// HELPER-NEXT: table_ops.h:6:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// HELPER-NEXT: headers.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// HELPER-NEXT: headers.c:[[L_call_user]]:3: note: 'table_add' is called from 'worker' here
// HELPER-NEXT: headers.c:[[L_new_user_table]]:16: note: 'user_table' is created here: a GHashTable from string keys to int values

// SYSUSER:      sys_table_ops.h:6:3: warning: unsynchronized write to map 'sys_table' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// SYSUSER-NEXT: sys_table_ops.h:6:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// SYSUSER-NEXT: headers.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// SYSUSER-NEXT: headers.c:[[L_call_sys]]:3: note: 'sys_table_add' is called from 'worker' here
// SYSUSER-NEXT: headers.c:[[L_new_sys_table]]:15: note: 'sys_table' is created here: a GHashTable from string keys to int values
// SYSUSER-NEXT: table_ops.h:6:3: warning: unsynchronized write to map 'user_table' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// SYSUSER-NEXT: table_ops.h:6:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
// SYSUSER-NEXT: headers.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// SYSUSER-NEXT: headers.c:[[L_call_user]]:3: note: 'table_add' is called from 'worker' here
// SYSUSER-NEXT: headers.c:[[L_new_user_table]]:16: note: 'user_table' is created here: a GHashTable from string keys to int values

// POOL:      pool.h:10:3: warning: unsynchronized write to map 'pool_jobs' (g_hash_table_insert) can race with a write in another instance of thread 'pool_worker'; no lock is held [mapsafe-unsynchronized-write]
// POOL-NEXT: pool.h:10:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'pool_worker'
// POOL-NEXT: pool.h:17:5: note: thread 'pool_worker' is started here by the thread calling 'pool_start', with many instances running at once
// POOL-NEXT: pool.h:[[L_new_pool_jobs]]:15: note: 'pool_jobs' is created here: a GHashTable with pointer keys

// SUPPRESSED: Suppressed 1 warnings (1 in non-user code).
