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

/* Whether the byte at `offset` is in the page cache: 1 when it is, 0 when reading it would wait
   for the disk (preadv2 with RWF_NOWAIT: EAGAIN), -1 when the kernel cannot say (too old, another
   file system, an error). Reads one byte, never waits for I/O. Linux only. */
#if defined(__linux__)
#include <errno.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
static inline int qs_is_cached(int fd, long long offset) {
#if defined(SYS_preadv2) && defined(RWF_NOWAIT)
    char byte;
    struct iovec v = { &byte, 1 };
    long n = syscall(SYS_preadv2, fd, &v, 1, (unsigned long)offset, 0UL, RWF_NOWAIT);
    if (n >= 0) return 1;
    return errno == EAGAIN ? 0 : -1;
#else
    (void)fd; (void)offset;
    return -1;
#endif
}
#endif

static inline int qs_seek_data(void) { return SEEK_DATA; }
static inline int qs_seek_hole(void) { return SEEK_HOLE; }


#endif
