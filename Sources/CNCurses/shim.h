#ifndef QCOWSCOPE_CNCURSES_SHIM_H
#define QCOWSCOPE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects mutable C globals and cannot expand function-like macros: wrap them. */
static inline WINDOW *qs_stdscr(void) { return stdscr; }
static inline int qs_colors(void) { return COLORS; }
static inline int qs_color_pairs(void) { return COLOR_PAIRS; }
static inline int qs_key_f(int n) { return KEY_F(n); }
static inline int qs_err(void) { return ERR; }
static inline int qs_ok(void) { return OK; }
static inline attr_t qs_a_bold(void) { return A_BOLD; }
static inline attr_t qs_a_dim(void) { return A_DIM; }
static inline attr_t qs_a_reverse(void) { return A_REVERSE; }
static inline attr_t qs_a_underline(void) { return A_UNDERLINE; }
static inline attr_t qs_a_normal(void) { return A_NORMAL; }
static inline int qs_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int qs_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }
static inline int qs_color_pair(int n) { return (int)COLOR_PAIR(n); }

/* ---- Terminal start and restore (used by CursesBackend.CursesTerminal) ---- */

/* Set while curses owns the terminal, so the signal and exit hooks restore it only then. */
static volatile sig_atomic_t qs_curses_active = 0;

static inline void qs_set_active(int active) { qs_curses_active = active ? 1 : 0; }
static inline int qs_is_active(void) { return qs_curses_active ? 1 : 0; }

/* newterm on the process's stdout/stdin (stdout/stdin are C globals Swift 6 refuses). Returns
   NULL when TERM names no usable terminal; unlike initscr it never exits the process. */
static inline SCREEN *qs_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline int qs_stdin_stdout_are_ttys(void) { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

/* Whether the current locale's character set is UTF-8 (call after setlocale(LC_ALL, "")). */
static inline int qs_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) return 0;
    return strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0;
}

static inline int qs_setlocale_from_environment(void) { return setlocale(LC_ALL, "") != NULL; }

static void qs_restore_on_signal(int sig) {
    if (qs_curses_active) {
        qs_curses_active = 0;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void qs_restore_at_exit(void) {
    if (qs_curses_active) {
        qs_curses_active = 0;
        endwin();
    }
}

/* SIGINT/SIGTERM/SIGHUP and exit() give the terminal back before the process ends. Installed
   once per process; ncurses keeps handlers that are already installed. */
static inline void qs_install_restore_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = qs_restore_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    atexit(qs_restore_at_exit);
}

/* ---- Drawing ---- */

/* Writes n wide characters at (y, x) in stdscr with the given attributes and colour pair. */
static inline int qs_draw_run(int y, int x, const wchar_t *text, int n, attr_t attrs, int pair) {
    int extended = pair;
    wattr_set(stdscr, attrs, (short)(pair <= 32767 ? pair : 0), pair > 32767 ? &extended : NULL);
    return mvwaddnwstr(stdscr, y, x, text, n);
}

static inline int qs_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

/* ---- Input ---- */

/* One key: returns OK (a character in *ch), KEY_CODE_YES (a key code in *ch) or ERR (timeout). */
static inline int qs_get_wch(int *ch) {
    wint_t value = 0;
    int rc = wget_wch(stdscr, &value);
    *ch = (int)value;
    return rc;
}

static inline int qs_key_code_yes(void) { return KEY_CODE_YES; }

/* Mouse reporting without motion events (REPORT_MOUSE_POSITION floods the input). */
static inline mmask_t qs_mouse_buttons_and_wheel(void) { return ALL_MOUSE_EVENTS; }

/* Decodes the pending mouse event. kind: 0 press, 1 release, 2 wheel up, 3 wheel down, -1 other;
   button: 1 left, 2 middle, 3 right, 0 none. Returns OK or ERR. */
static inline int qs_get_mouse(int *x, int *y, int *kind, int *button) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *x = event.x;
    *y = event.y;
    *kind = -1;
    *button = 0;
    mmask_t s = event.bstate;
    if (s & BUTTON4_PRESSED) { *kind = 2; return OK; }
#if NCURSES_MOUSE_VERSION > 1
    if (s & BUTTON5_PRESSED) { *kind = 3; return OK; }
#endif
    if (s & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) { *kind = 0; *button = 1; }
    else if (s & (BUTTON2_PRESSED | BUTTON2_CLICKED)) { *kind = 0; *button = 2; }
    else if (s & (BUTTON3_PRESSED | BUTTON3_CLICKED)) { *kind = 0; *button = 3; }
    else if (s & BUTTON1_RELEASED) { *kind = 1; *button = 1; }
    else if (s & BUTTON2_RELEASED) { *kind = 1; *button = 2; }
    else if (s & BUTTON3_RELEASED) { *kind = 1; *button = 3; }
    return OK;
}
#endif
