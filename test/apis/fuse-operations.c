// FUSE: the multi-threaded loop calls the operations of a struct
// fuse_operations from many threads at once (rules/fuse.yaml, a callbacks
// table).  The buggy twin's open records the file in a table without the
// lock that release takes; the fixed twin holds it.
// The table may also be filled by assignments (ASSIGN).
// RUN: %mapsafe_check %s -- %glib_cflags %fuse_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %fuse_cflags -DFIXED
// RUN: %mapsafe_check %s -- %glib_cflags %fuse_cflags -DASSIGN
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %fuse_cflags -DASSIGN -DFIXED

#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <glib.h>
#include <errno.h>

static GHashTable *open_files;
static GMutex open_lock;

static int fs_open(const char *path, struct fuse_file_info *fi) { // L:open_fn
#ifdef FIXED
  g_mutex_lock(&open_lock);
#endif
  g_hash_table_add(open_files, g_strdup(path)); // L:add
#ifdef FIXED
  g_mutex_unlock(&open_lock);
#endif
  return 0;
}

static int fs_release(const char *path, struct fuse_file_info *fi) { // L:release_fn
  g_mutex_lock(&open_lock); // L:lock
  g_hash_table_remove(open_files, path); // L:remove
  g_mutex_unlock(&open_lock);
  return 0;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  return -ENOENT;
}

#ifndef ASSIGN
static const struct fuse_operations ops = {
    .getattr = fs_getattr,
    .open = fs_open,
    .release = fs_release,
};
#else
static struct fuse_operations ops;
#endif

int main(int argc, char **argv) {
  open_files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new
#ifdef ASSIGN
  ops.getattr = fs_getattr;
  ops.open = fs_open;
  ops.release = fs_release;
#endif
  return fuse_main(argc, argv, &ops, NULL);
}

// CHECK: fuse-operations.c:[[L_add]]:3: warning: unsynchronized write to map 'open_files' (g_hash_table_add) can race with a write in thread 'fs_release'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: fuse-operations.c:[[L_remove]]:3: note: conflicting write (g_hash_table_remove) in thread 'fs_release'
// CHECK-NEXT: fuse-operations.c:[[L_lock]]:3: note: 'open_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: fuse-operations.c:[[L_release_fn]]:12: note: 'fs_release' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: fuse-operations.c:[[L_open_fn]]:12: note: 'fs_open' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: fuse-operations.c:[[L_new]]:16: note: 'open_files' is created here: a GHashTable with gchar * keys
