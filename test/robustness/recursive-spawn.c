// A thread that starts another instance of itself (a recursive divide and
// conquer) is one thread with many instances, not an endless chain of new
// ones: the analysis ends, and the unlocked insert is reported.  The fixed
// twin takes the lock.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *visited;
static pthread_mutex_t visited_lock = PTHREAD_MUTEX_INITIALIZER;

static void *explore(void *arg) {
  long depth = (long)arg;
#ifdef FIXED
  pthread_mutex_lock(&visited_lock);
#endif
  g_hash_table_add(visited, arg); // L:add
  // CHECK: recursive-spawn.c:[[L_add]]:3: warning: unsynchronized write to map 'visited' (g_hash_table_add) can race with a write in another instance of thread 'explore'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: recursive-spawn.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'explore'
  // CHECK-NEXT: recursive-spawn.c:[[L_child]]:5: note: thread 'explore' is started here by thread 'explore', with many instances running at once
  // CHECK-NEXT: recursive-spawn.c:[[L_new]]:13: note: 'visited' is created here: a GHashTable with pointer keys
#ifdef FIXED
  pthread_mutex_unlock(&visited_lock);
#endif
  if (depth > 0) {
    pthread_t left, right;
    pthread_create(&left, NULL, explore, (void *)(depth - 1)); // L:child
    pthread_create(&right, NULL, explore, (void *)(depth - 1));
    pthread_join(left, NULL);
    pthread_join(right, NULL);
  }
  return NULL;
}

int main(void) {
  pthread_t root;
  visited = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  pthread_create(&root, NULL, explore, (void *)8L);
  pthread_join(root, NULL);
  return 0;
}
