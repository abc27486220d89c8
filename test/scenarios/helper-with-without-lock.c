// A helper that touches the table is called by one thread with the lock
// held and by another without it: the helper's write is reported, through
// the unlocked call path.  In the fixed twin both callers hold the lock.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>

struct conn {
  int fd;
  char *peer;
};

static GHashTable *conns;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;

static void track(struct conn *c) {
  g_hash_table_insert(conns, GINT_TO_POINTER(c->fd), c); // L:insert
  // CHECK: helper-with-without-lock.c:[[L_insert]]:3: warning: unsynchronized write to map 'conns' (g_hash_table_insert) can race with a write in thread 'acceptor'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: helper-with-without-lock.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'acceptor'
  // CHECK-NEXT: helper-with-without-lock.c:[[L_lock]]:3: note: 'conns_lock', acquired here, protects the conflicting access but is not held at the reported one
  // CHECK-NEXT: helper-with-without-lock.c:[[L_spawn_acceptor]]:3: note: thread 'acceptor' is started here by the main thread
  // CHECK-NEXT: helper-with-without-lock.c:[[L_spawn_reconnector]]:3: note: thread 'reconnector' is started here by the main thread
  // CHECK-NEXT: helper-with-without-lock.c:[[L_call_unlocked]]:3: note: 'track' is called from 'reconnector' here
  // CHECK-NEXT: helper-with-without-lock.c:[[L_call_locked]]:3: note: 'track' is called from 'acceptor' here
  // CHECK-NEXT: helper-with-without-lock.c:[[L_new_conns]]:11: note: 'conns' is created here: a GHashTable from pointer keys to struct conn * values
}

static void *acceptor(void *arg) {
  struct conn *c = arg;
  pthread_mutex_lock(&conns_lock); // L:lock
  track(c); // L:call_locked
  pthread_mutex_unlock(&conns_lock);
  return NULL;
}

static void *reconnector(void *arg) {
  struct conn *c = arg;
#ifdef FIXED
  pthread_mutex_lock(&conns_lock);
#endif
  track(c); // L:call_unlocked
#ifdef FIXED
  pthread_mutex_unlock(&conns_lock);
#endif
  return NULL;
}

int main(void) {
  static struct conn a = {3, "a"}, b = {4, "b"};
  pthread_t t1, t2;
  conns = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_conns
  pthread_create(&t1, NULL, acceptor, &a); // L:spawn_acceptor
  pthread_create(&t2, NULL, reconnector, &b); // L:spawn_reconnector
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  g_hash_table_destroy(conns);
  return 0;
}
