// mapsafe-incomplete-analysis tells, once at the top of the file, when the
// analysis stopped at one of its bounds, so that a partly analysed file does
// not look clean.  Here the workers reach their unlocked insert through a
// chain of calls: 21 calls deep (DEPTH=20) the race is found and nothing is
// said about bounds; 31 calls deep (DEPTH=30) the chain passes the bound of
// 24 calls, the race is not reported, and the remark says why.  The remark is
// a check of its own: -checks=-mapsafe-incomplete-analysis silences it.
// RUN: %mapsafe_check %s --prefix=SHALLOW -- %glib_cflags -pthread -DDEPTH=20
// RUN: %mapsafe_check %s --prefix=DEEP -- %glib_cflags -pthread -DDEPTH=30
// RUN: %clang_tidy -checks='-*,mapsafe-*,-mapsafe-incomplete-analysis' %s \
// RUN:   -- %glib_cflags -pthread -DDEPTH=30 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty


#include <glib.h>
#include <pthread.h>

static GHashTable *seen;

static void f0(void *item) { g_hash_table_add(seen, item); } // L:add
#define STEP(n, m) static void f##n(void *item) { f##m(item); }
STEP(1, 0) STEP(2, 1) STEP(3, 2) STEP(4, 3) STEP(5, 4) STEP(6, 5) STEP(7, 6) STEP(8, 7)
STEP(9, 8) STEP(10, 9) STEP(11, 10) STEP(12, 11) STEP(13, 12) STEP(14, 13) STEP(15, 14)
STEP(16, 15) STEP(17, 16) STEP(18, 17) STEP(19, 18) STEP(20, 19) STEP(21, 20) STEP(22, 21)
STEP(23, 22) STEP(24, 23) STEP(25, 24) STEP(26, 25) STEP(27, 26) STEP(28, 27) STEP(29, 28)
STEP(30, 29)
#define CALL(n) f##n
#define TOP(n) CALL(n)

static void *worker(void *arg) {
  TOP(DEPTH)(arg);
  return NULL;
}

int main(void) {
  pthread_t th[4];
  seen = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, &th[i]); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  return 0;
}

// SHALLOW:      incomplete-analysis.c:[[L_add]]:30: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// SHALLOW-NEXT: incomplete-analysis.c:[[L_add]]:30: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// SHALLOW-NEXT: incomplete-analysis.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// SHALLOW-COUNT-21: incomplete-analysis.c:{{[0-9]+}}:{{[0-9]+}}: note: 'f{{[0-9]+}}' is called from '{{worker|f[0-9]+}}' here
// SHALLOW-NEXT: incomplete-analysis.c:[[L_new]]:10: note: 'seen' is created here: a GHashTable with pointer keys

// DEEP: incomplete-analysis.c:1:1: warning: mapsafe did not analyse this file completely: a call path is deeper than the bound of 24 calls; races beyond it are not reported [mapsafe-incomplete-analysis]

// QUIET-NOT: warning:
