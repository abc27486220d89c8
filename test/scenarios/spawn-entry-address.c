// A thread entry given as `&worker`, or through a cast of the function
// (`(GThreadFunc) &worker`, `(void *(*)(void *)) worker`), starts the same
// thread as `worker`: main's unlocked write to each worker's map races with
// it.  The fixed twin writes under the lock the workers take.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

static GHashTable *by_addr, *by_gcast, *by_pcast;
static GMutex names_lock;

static void *by_address(void *arg) {
  g_mutex_lock(&names_lock); // L:lock1
  g_hash_table_insert(by_addr, arg, "a"); // L:insert1
  g_mutex_unlock(&names_lock);
  return NULL;
}

static gpointer by_glib_cast(gpointer arg) {
  g_mutex_lock(&names_lock); // L:lock2
  g_hash_table_insert(by_gcast, arg, "g"); // L:insert2
  g_mutex_unlock(&names_lock);
  return NULL;
}

struct job {
  int id;
};

static void *by_pthread_cast(struct job *j) {
  g_mutex_lock(&names_lock); // L:lock3
  g_hash_table_insert(by_pcast, j, "p"); // L:insert3
  g_mutex_unlock(&names_lock);
  return NULL;
}

int main(void) {
  pthread_t a, p;
  static struct job j = {1};
  by_addr = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new1
  by_gcast = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new2
  by_pcast = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new3
  pthread_create(&a, NULL, &by_address, "x"); // L:spawn1
  GThread *g = g_thread_new("g", (GThreadFunc) &by_glib_cast, "y"); // L:spawn2
  pthread_create(&p, NULL, (void *(*)(void *)) by_pthread_cast, &j); // L:spawn3
#ifdef FIXED
  g_mutex_lock(&names_lock);
#endif
  g_hash_table_remove(by_addr, "x"); // L:remove1
  // CHECK: spawn-entry-address.c:[[L_remove1]]:3: warning: unsynchronized write to map 'by_addr' (g_hash_table_remove) can race with a write in thread 'by_address'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-entry-address.c:[[L_insert1]]:3: note: conflicting write (g_hash_table_insert) in thread 'by_address'
  // CHECK-NEXT: spawn-entry-address.c:[[L_lock1]]:3: note: 'names_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: spawn-entry-address.c:[[L_spawn1]]:3: note: thread 'by_address' is started here by the main thread
  // CHECK-NEXT: spawn-entry-address.c:[[L_new1]]:13: note: 'by_addr' is created here: a GHashTable with pointer keys
  g_hash_table_remove(by_gcast, "y"); // L:remove2
  // CHECK: spawn-entry-address.c:[[L_remove2]]:3: warning: unsynchronized write to map 'by_gcast' (g_hash_table_remove) can race with a write in thread 'by_glib_cast'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-entry-address.c:[[L_insert2]]:3: note: conflicting write (g_hash_table_insert) in thread 'by_glib_cast'
  // CHECK-NEXT: spawn-entry-address.c:[[L_lock2]]:3: note: 'names_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: spawn-entry-address.c:[[L_spawn2]]:16: note: thread 'by_glib_cast' is started here by the main thread
  // CHECK-NEXT: spawn-entry-address.c:[[L_new2]]:14: note: 'by_gcast' is created here: a GHashTable with pointer keys
  g_hash_table_remove(by_pcast, &j); // L:remove3
  // CHECK: spawn-entry-address.c:[[L_remove3]]:3: warning: unsynchronized write to map 'by_pcast' (g_hash_table_remove) can race with a write in thread 'by_pthread_cast'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-entry-address.c:[[L_insert3]]:3: note: conflicting write (g_hash_table_insert) in thread 'by_pthread_cast'
  // CHECK-NEXT: spawn-entry-address.c:[[L_lock3]]:3: note: 'names_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: spawn-entry-address.c:[[L_spawn3]]:3: note: thread 'by_pthread_cast' is started here by the main thread
  // CHECK-NEXT: spawn-entry-address.c:[[L_new3]]:14: note: 'by_pcast' is created here: a GHashTable with pointer keys
#ifdef FIXED
  g_mutex_unlock(&names_lock);
#endif
  pthread_join(a, NULL);
  g_thread_join(g);
  pthread_join(p, NULL);
  g_hash_table_destroy(by_addr);
  g_hash_table_destroy(by_gcast);
  g_hash_table_destroy(by_pcast);
  return 0;
}
