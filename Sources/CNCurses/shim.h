#ifndef QCOWSCOPE_CNCURSES_SHIM_H
#define QCOWSCOPE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects mutable C globals and cannot expand function-like macros: wrap them. */
static inline WINDOW *qs_stdscr(void) { return stdscr; }
static inline int qs_lines(void) { return LINES; }
static inline int qs_cols(void) { return COLS; }
static inline int qs_colors(void) { return COLORS; }
static inline int qs_color_pairs(void) { return COLOR_PAIRS; }
static inline int qs_key_f(int n) { return KEY_F(n); }
static inline attr_t qs_a_bold(void) { return A_BOLD; }
static inline attr_t qs_a_dim(void) { return A_DIM; }
static inline attr_t qs_a_reverse(void) { return A_REVERSE; }
static inline attr_t qs_a_underline(void) { return A_UNDERLINE; }
static inline attr_t qs_a_normal(void) { return A_NORMAL; }
static inline mmask_t qs_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t qs_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t qs_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t qs_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t qs_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int qs_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int qs_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }
static inline int qs_color_pair(int n) { return (int)COLOR_PAIR(n); }
#endif
