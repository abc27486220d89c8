/* A user header (included with quotes by headers.c): its inline helper's
   insert is where the race is.  Line numbers are checked by headers.c. */
#include <glib.h>

static inline void table_add(GHashTable *t, const char *key) {
  g_hash_table_insert(t, g_strdup(key), GINT_TO_POINTER(1));
}
