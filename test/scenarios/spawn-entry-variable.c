// A thread entry kept in a local function pointer with a single
// initialiser, as the type-checking spawn macros of real code expand to,
// starts the same thread as the function it was initialised with.  A
// pointer assigned two functions names neither: no thread is assumed, and
// main's write to the map of those two is not reported.  The fixed twin
// writes under the workers' lock.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

#define SPAWN(t, f, a)                                                         \
  do {                                                                         \
    void *(*spawn_fn_)(void *) = (f);                                          \
    pthread_create((t), NULL, spawn_fn_, (a));                                 \
  } while (0)

static GHashTable *seen_direct, *seen_macro, *picked;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void *direct(void *arg) {
  pthread_mutex_lock(&seen_lock); // L:lock1
  g_hash_table_add(seen_direct, arg); // L:add1
  pthread_mutex_unlock(&seen_lock);
  return NULL;
}

static void *through_macro(void *arg) {
  pthread_mutex_lock(&seen_lock); // L:lock2
  g_hash_table_add(seen_macro, arg); // L:add2
  pthread_mutex_unlock(&seen_lock);
  return NULL;
}

static void *pick_a(void *arg) {
  g_hash_table_add(picked, arg);
  return NULL;
}

static void *pick_b(void *arg) {
  g_hash_table_add(picked, arg);
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t a, b, c;
  seen_direct = g_hash_table_new(g_str_hash, g_str_equal); // L:new1
  seen_macro = g_hash_table_new(g_str_hash, g_str_equal); // L:new2
  picked = g_hash_table_new(g_str_hash, g_str_equal);
  void *(*fn)(void *) = direct;
  pthread_create(&a, NULL, fn, "a"); // L:spawn1
  SPAWN(&b, through_macro, "b"); // L:spawn2
  void *(*pick)(void *) = pick_a;
  if (argc > 1)
    pick = pick_b;
  pthread_create(&c, NULL, pick, argv[0]);
#ifdef FIXED
  pthread_mutex_lock(&seen_lock);
#endif
  g_hash_table_remove(seen_direct, "a"); // L:remove1
  // CHECK: spawn-entry-variable.c:[[L_remove1]]:3: warning: unsynchronized write to map 'seen_direct' (g_hash_table_remove) can race with a write in thread 'direct'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-entry-variable.c:[[L_add1]]:3: note: conflicting write (g_hash_table_add) in thread 'direct'
  // CHECK-NEXT: spawn-entry-variable.c:[[L_lock1]]:3: note: 'seen_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: spawn-entry-variable.c:[[L_spawn1]]:3: note: thread 'direct' is started here by the main thread
  // CHECK-NEXT: spawn-entry-variable.c:[[L_new1]]:17: note: 'seen_direct' is created here: a GHashTable with string keys
  g_hash_table_remove(seen_macro, "b"); // L:remove2
  // CHECK: spawn-entry-variable.c:[[L_remove2]]:3: warning: unsynchronized write to map 'seen_macro' (g_hash_table_remove) can race with a write in thread 'through_macro'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: spawn-entry-variable.c:[[L_add2]]:3: note: conflicting write (g_hash_table_add) in thread 'through_macro'
  // CHECK-NEXT: spawn-entry-variable.c:[[L_lock2]]:3: note: 'seen_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: spawn-entry-variable.c:[[L_spawn2]]:3: note: thread 'through_macro' is started here by the main thread
  // CHECK-NEXT: spawn-entry-variable.c:[[L_new2]]:16: note: 'seen_macro' is created here: a GHashTable with string keys
#ifdef FIXED
  pthread_mutex_unlock(&seen_lock);
#endif
  g_hash_table_remove(picked, "c");
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
  g_hash_table_destroy(seen_direct);
  g_hash_table_destroy(seen_macro);
  g_hash_table_destroy(picked);
  return 0;
}
