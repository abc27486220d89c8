/*
** The growing text buffer of textbuf.h.
*/
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ms__text_put(ms_textbuf *t, const char *s, size_t n) {
  if (t->oom) return;
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 128;
    while (t->len + n + 1 > cap) cap *= 2;
    char *p = realloc(t->s, cap);
    if (!p) {
      t->oom = 1;
      return;
    }
    t->s = p;
    t->cap = cap;
  }
  memcpy(t->s + t->len, s, n);
  t->len += n;
  t->s[t->len] = '\0';
}

void ms__text_puts(ms_textbuf *t, const char *s) { ms__text_put(t, s, strlen(s)); }

void ms__text_printf(ms_textbuf *t, const char *fmt, ...) {
  char small[128];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    t->oom = 1;
    return;
  }
  if ((size_t)n < sizeof small) {
    ms__text_put(t, small, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) {
    t->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  ms__text_put(t, big, (size_t)n);
  free(big);
}

char *ms__text_take(ms_textbuf *t) {
  ms__text_put(t, "", 0);
  if (t->oom) {
    free(t->s);
    t->s = NULL;
    return NULL;
  }
  char *s = t->s;
  t->s = NULL;
  t->len = t->cap = 0;
  return s;
}
