/*
** A growing text buffer (internal): messages.c formats into one, graph.c
** writes DOT into one.  Out of memory is sticky: once `oom` is set, appends
** do nothing and the owner gives NULL instead of half a text.
*/
#ifndef MAPSAFE_TEXTBUF_H
#define MAPSAFE_TEXTBUF_H

#include <stddef.h>

typedef struct ms_textbuf {
  char *s;    /* NUL-terminated once anything was appended; owned */
  size_t len;
  size_t cap;
  int oom;
} ms_textbuf;

/* Appends n bytes of s. */
void ms__text_put(ms_textbuf *t, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void ms__text_puts(ms_textbuf *t, const char *s);
/* Appends printf-formatted text. */
void ms__text_printf(ms_textbuf *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text (malloc'ed, never NULL unless memory ran out), taken from t. */
char *ms__text_take(ms_textbuf *t);

#endif /* MAPSAFE_TEXTBUF_H */
