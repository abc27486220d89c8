/* Stands in for a system header (headers.c puts Inputs/sys on -isystem): the
   same racy helper as table_ops.h.  Line numbers are checked by headers.c. */
#include <glib.h>

static inline void sys_table_add(GHashTable *t, const char *key) {
  g_hash_table_insert(t, g_strdup(key), GINT_TO_POINTER(1));
}
