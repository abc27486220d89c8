// A map's lifetime: an object's table is looked up under the object's lock
// while another thread may drop it.  Unref'ing it and clearing the pointer
// outside the mutex races with the lookups (T5; `m = NULL` is a write of
// the map's place, like its destruction).  Fixed twin: both under the lock.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// FIXED-NOT: warning:

#include <glib.h>

typedef struct {
  GMutex lock;
  GHashTable *children;
} Node;

gpointer node_child(Node *n, const char *name) {
  g_mutex_lock(&n->lock);
  gpointer c = n->children ? g_hash_table_lookup(n->children, name) : NULL; // L:lookup
  g_mutex_unlock(&n->lock);
  return c;
}

void node_adopt(Node *n, const char *name, gpointer child) {
  g_mutex_lock(&n->lock);
  g_hash_table_insert(n->children, (gpointer)name, child); // L:insert
  g_mutex_unlock(&n->lock);
}

void node_drop_children(Node *n) { // L:drop_fn
#ifdef FIXED
  g_mutex_lock(&n->lock);
#endif
  g_hash_table_unref(n->children); // L:unref
  n->children = NULL; // L:clear
#ifdef FIXED
  g_mutex_unlock(&n->lock);
#endif
}

// CHECK: guard-clear-outside-lock.c:[[L_unref]]:3: warning: 'Node.children' is accessed with 'Node.lock' held in 2 of 3 functions; this destruction (g_hash_table_unref) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_lookup]]:30: note: 'Node.lock' is held here
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_insert]]:3: note: 'Node.lock' is held here
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_drop_fn]]:6: note: 'node_drop_children' has external linkage: any thread may call it
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_clear]]:3: warning: 'Node.children' is accessed with 'Node.lock' held in 2 of 3 functions; this destruction (= NULL) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_lookup]]:30: note: 'Node.lock' is held here
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_insert]]:3: note: 'Node.lock' is held here
// CHECK-NEXT: guard-clear-outside-lock.c:[[L_drop_fn]]:6: note: 'node_drop_children' has external linkage: any thread may call it
