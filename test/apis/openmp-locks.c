// OpenMP's lock routines with POSIX threads: omp_lock_t (omp_test_lock
// takes the lock when it returns nonzero) and the nestable omp_nest_lock_t,
// taken again by a helper while its caller holds it.  The buggy twin
// removes a vote in the branch where omp_test_lock failed; the fixed twin
// in the branch where it succeeded.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread %omp_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=GUARD --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- %glib_cflags -pthread %omp_cflags -DFIXED

#include <glib.h>
#include <omp.h>
#include <pthread.h>

static GHashTable *votes;
static omp_lock_t votes_lock;
static GHashTable *tally;
static omp_nest_lock_t tally_lock;

static void bump(const char *who) {
  omp_set_nest_lock(&tally_lock);
  g_hash_table_replace(tally, (gpointer)who, GINT_TO_POINTER(1));
  omp_unset_nest_lock(&tally_lock);
}

static void *voter(void *who) {
  omp_set_lock(&votes_lock); // L:set_lock
  g_hash_table_insert(votes, who, who); // L:insert
  omp_unset_lock(&votes_lock);
  omp_set_nest_lock(&tally_lock);
  bump(who);
  omp_unset_nest_lock(&tally_lock);
  return NULL;
}

static void *counter(void *arg) {
#ifdef FIXED
  if (omp_test_lock(&votes_lock)) {
#else
  if (!omp_test_lock(&votes_lock)) {
#endif
    g_hash_table_remove(votes, "spoiled"); // L:remove
    // CHECK: openmp-locks.c:[[L_remove]]:5: warning: unsynchronized write to map 'votes' (g_hash_table_remove) can race with a write in thread 'voter'; no lock is held [mapsafe-unsynchronized-write]
    // CHECK-NEXT: openmp-locks.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'voter'
    // CHECK-NEXT: openmp-locks.c:[[L_set_lock]]:3: note: 'votes_lock', acquired here, protects the conflicting access but is not held at the reported one
    // CHECK-NEXT: openmp-locks.c:[[L_spawn_voter]]:5: note: thread 'voter' is started here by the main thread, with many instances running at once
    // CHECK-NEXT: openmp-locks.c:[[L_spawn_counter]]:3: note: thread 'counter' is started here by the main thread
    // CHECK-NEXT: openmp-locks.c:[[L_new_votes]]:11: note: 'votes' is created here: a GHashTable with string keys
    // GUARD: openmp-locks.c:[[L_remove]]:5: warning: 'votes' is accessed with 'votes_lock' held in 1 of 2 functions; this write (g_hash_table_remove) does not hold it [mapsafe-inconsistent-locking]
    // GUARD-NEXT: openmp-locks.c:[[L_insert]]:3: note: 'votes_lock' is held here
    // GUARD-NEXT: openmp-locks.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'voter'
    // GUARD-NEXT: openmp-locks.c:[[L_spawn_voter]]:5: note: thread 'voter' is started here by the main thread, with many instances running at once
    // GUARD-NEXT: openmp-locks.c:[[L_spawn_counter]]:3: note: thread 'counter' is started here by the main thread
#ifdef FIXED
    omp_unset_lock(&votes_lock);
#endif
  }
  if (omp_test_nest_lock(&tally_lock)) {
    g_hash_table_remove(tally, "spoiled");
    omp_unset_nest_lock(&tally_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t v[4], c;
  omp_init_lock(&votes_lock);
  omp_init_nest_lock(&tally_lock);
  votes = g_hash_table_new(g_str_hash, g_str_equal); // L:new_votes
  tally = g_hash_table_new(g_str_hash, g_str_equal);
  for (int i = 0; i < 4; i++)
    pthread_create(&v[i], NULL, voter, "alice"); // L:spawn_voter
  pthread_create(&c, NULL, counter, NULL); // L:spawn_counter
  for (int i = 0; i < 4; i++)
    pthread_join(v[i], NULL);
  pthread_join(c, NULL);
  g_hash_table_destroy(votes);
  g_hash_table_destroy(tally);
  omp_destroy_lock(&votes_lock);
  omp_destroy_nest_lock(&tally_lock);
  return 0;
}
