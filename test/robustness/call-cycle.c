// Functions that call each other, and that nothing else in the file calls
// (here: main reaches them only through a function pointer), are still
// analysed: the cycle is entered at its first function.  The workers it
// starts insert without a lock (buggy twin) or under the lock (fixed twin).
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *done;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
#ifdef FIXED
  pthread_mutex_lock(&done_lock);
#endif
  g_hash_table_add(done, arg); // L:add
#ifdef FIXED
  pthread_mutex_unlock(&done_lock);
#endif
  return NULL;
}

static void run_batch(int n);

static void run_level(int n) {
  pthread_t th[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&th[i], NULL, worker, &th[i]); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  run_batch(n - 1);
}

static void run_batch(int n) {
  if (n > 0)
    run_level(n); // L:call_level
}

int main(void) {
  void (*start)(int) = run_batch;
  done = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  start(3);
  return 0;
}

// CHECK:      call-cycle.c:[[L_add]]:3: warning: unsynchronized write to map 'done' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: call-cycle.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// CHECK-NEXT: call-cycle.c:[[L_spawn]]:5: note: thread 'worker' is started here by the thread calling 'run_batch', with many instances running at once
// CHECK-NEXT: call-cycle.c:[[L_call_level]]:5: note: 'run_level' is called from 'run_batch' here
// CHECK-NEXT: call-cycle.c:[[L_new]]:10: note: 'done' is created here: a GHashTable with pointer keys
