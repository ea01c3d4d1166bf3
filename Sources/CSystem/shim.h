#ifndef QCOWSCOPE_CSYSTEM_SHIM_H
#define QCOWSCOPE_CSYSTEM_SHIM_H

/* The platform's lseek whence values for holes. Swift's Glibc module leaves SEEK_DATA and
   SEEK_HOLE out (<unistd.h> defines them only under _GNU_SOURCE); Linux's own uapi header
   defines them unconditionally, Darwin's <unistd.h> always. */
#if defined(__linux__)
#include <linux/fs.h>
#else
#include <unistd.h>
#endif

static inline int qs_seek_data(void) { return SEEK_DATA; }
static inline int qs_seek_hole(void) { return SEEK_HOLE; }


#endif
