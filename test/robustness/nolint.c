// clang-tidy's suppression comments work for the mapsafe checks: at the
// reported line, on the line before (the next-line form) and around it (the
// begin/end form), naming the check, a mapsafe-* glob or no check at all.
// One naming another check, the other mapsafe check, or the wrong line, does
// not suppress.  Each table below is written by many worker instances
// without a lock, so each would race: the ALL run checks a copy with every
// suppression comment defused, and all ten are reported there.
//
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: rm -rf %t && mkdir -p %t
// RUN: sed 's/NO[L]INT/defused/g' %s > %t/nolint.c
// RUN: %mapsafe_check %t/nolint.c --prefix=ALL -- %glib_cflags -pthread
// A suppression at a note's line (the spawn site) keeps the warning and all
// its notes: the note whose own line would hide it is told at the warning's
// line, saying where it belongs, and no suppression is counted for it.
// RUN: %mapsafe_check %s --prefix=SPAWN -- %glib_cflags -pthread -DSPAWN_NOLINT

#include <glib.h>
#include <pthread.h>

static GHashTable *t1, *t2, *t3, *t4, *t5, *t6, *t7, *t8, *t9, *t10;

static void *worker(void *arg) {
  g_hash_table_add(t1, arg); // NOLINT(mapsafe-unsynchronized-write) // L:t1
  // NOLINTNEXTLINE(mapsafe-unsynchronized-write)
  g_hash_table_add(t2, arg); // L:t2
  g_hash_table_add(t3, arg); // NOLINT(mapsafe-*) // L:t3
  g_hash_table_add(t4, arg); // NOLINT // L:t4
  // NOLINTBEGIN(mapsafe-unsynchronized-write)
  g_hash_table_add(t5, arg); // L:t5
  // NOLINTEND(mapsafe-unsynchronized-write)
  // NOLINTNEXTLINE(mapsafe-*)
  g_hash_table_add(t6, arg); // L:t6

  g_hash_table_add(t7, arg); // NOLINT(bugprone-branch-clone) // L:t7
  g_hash_table_add(t8, arg); // NOLINT(mapsafe-unsynchronized-read) // L:t8
  // NOLINTNEXTLINE(mapsafe-unsynchronized-write)

  g_hash_table_add(t9, arg); // L:t9
  g_hash_table_add(t10, arg); // NOLINTNEXTLINE(mapsafe-unsynchronized-write) // L:t10
  return NULL;
}

int main(void) {
  pthread_t th[4];
  t1 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t1
  t2 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t2
  t3 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t3
  t4 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t4
  t5 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t5
  t6 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t6
  t7 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t7
  t8 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t8
  t9 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t9
  t10 = g_hash_table_new(g_str_hash, g_str_equal); // L:new_t10
  for (int i = 0; i < 4; i++)
#ifdef SPAWN_NOLINT
    pthread_create(&th[i], NULL, worker, "x"); // NOLINT(mapsafe-unsynchronized-write) // L:spawn_nolint
#else
    pthread_create(&th[i], NULL, worker, "x"); // L:spawn
#endif
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  return 0;
}

// CHECK:      nolint.c:[[L_t7]]:3: warning: unsynchronized write to map 't7' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: nolint.c:[[L_t7]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: nolint.c:[[L_new_t7]]:8: note: 't7' is created here: a GHashTable with string keys
// CHECK-NEXT: nolint.c:[[L_t8]]:3: warning: unsynchronized write to map 't8' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: nolint.c:[[L_t8]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: nolint.c:[[L_new_t8]]:8: note: 't8' is created here: a GHashTable with string keys
// CHECK-NEXT: nolint.c:[[L_t9]]:3: warning: unsynchronized write to map 't9' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: nolint.c:[[L_t9]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: nolint.c:[[L_new_t9]]:8: note: 't9' is created here: a GHashTable with string keys
// CHECK-NEXT: nolint.c:[[L_t10]]:3: warning: unsynchronized write to map 't10' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: nolint.c:[[L_t10]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// CHECK-NEXT: nolint.c:[[L_new_t10]]:9: note: 't10' is created here: a GHashTable with string keys

// ALL:      nolint.c:[[L_t1]]:3: warning: unsynchronized write to map 't1' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t1]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t1]]:8: note: 't1' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t2]]:3: warning: unsynchronized write to map 't2' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t2]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t2]]:8: note: 't2' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t3]]:3: warning: unsynchronized write to map 't3' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t3]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t3]]:8: note: 't3' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t4]]:3: warning: unsynchronized write to map 't4' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t4]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t4]]:8: note: 't4' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t5]]:3: warning: unsynchronized write to map 't5' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t5]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t5]]:8: note: 't5' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t6]]:3: warning: unsynchronized write to map 't6' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t6]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t6]]:8: note: 't6' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t7]]:3: warning: unsynchronized write to map 't7' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t7]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t7]]:8: note: 't7' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t8]]:3: warning: unsynchronized write to map 't8' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t8]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t8]]:8: note: 't8' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t9]]:3: warning: unsynchronized write to map 't9' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t9]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t9]]:8: note: 't9' is created here: a GHashTable with string keys
// ALL-NEXT: nolint.c:[[L_t10]]:3: warning: unsynchronized write to map 't10' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint.c:[[L_t10]]:3: note: the same write{{.*}}
// ALL-NEXT: nolint.c:[[L_spawn]]:5: note: thread 'worker' is started here{{.*}}
// ALL-NEXT: nolint.c:[[L_new_t10]]:9: note: 't10' is created here: a GHashTable with string keys

// SPAWN:      nolint.c:[[L_t7]]:3: warning: unsynchronized write to map 't7' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// SPAWN-NEXT: nolint.c:[[L_t7]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// SPAWN-NEXT: nolint.c:[[L_t7]]:3: note: thread 'worker' is started here by the main thread, with many instances running at once (at nolint.c:[[L_spawn_nolint]]:5)
// SPAWN-NEXT: nolint.c:[[L_new_t7]]:8: note: 't7' is created here: a GHashTable with string keys
// SPAWN-NEXT: nolint.c:[[L_t8]]:3: warning: unsynchronized write to map 't8' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// SPAWN-NEXT: nolint.c:[[L_t8]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// SPAWN-NEXT: nolint.c:[[L_t8]]:3: note: thread 'worker' is started here by the main thread, with many instances running at once (at nolint.c:[[L_spawn_nolint]]:5)
// SPAWN-NEXT: nolint.c:[[L_new_t8]]:8: note: 't8' is created here: a GHashTable with string keys
// SPAWN-NEXT: nolint.c:[[L_t9]]:3: warning: unsynchronized write to map 't9' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// SPAWN-NEXT: nolint.c:[[L_t9]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// SPAWN-NEXT: nolint.c:[[L_t9]]:3: note: thread 'worker' is started here by the main thread, with many instances running at once (at nolint.c:[[L_spawn_nolint]]:5)
// SPAWN-NEXT: nolint.c:[[L_new_t9]]:8: note: 't9' is created here: a GHashTable with string keys
// SPAWN-NEXT: nolint.c:[[L_t10]]:3: warning: unsynchronized write to map 't10' (g_hash_table_add) {{.*}} [mapsafe-unsynchronized-write]
// SPAWN-NEXT: nolint.c:[[L_t10]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// SPAWN-NEXT: nolint.c:[[L_t10]]:3: note: thread 'worker' is started here by the main thread, with many instances running at once (at nolint.c:[[L_spawn_nolint]]:5)
// SPAWN-NEXT: nolint.c:[[L_new_t10]]:9: note: 't10' is created here: a GHashTable with string keys
