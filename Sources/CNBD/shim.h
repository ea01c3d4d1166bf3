#ifndef QCOWSCOPE_CNBD_SHIM_H
#define QCOWSCOPE_CNBD_SHIM_H
#include <stddef.h>
#include <libnbd.h>

/// An asynchronous read with no completion callback (NBD_NULL_COMPLETION is a macro Swift cannot
/// use); the caller polls `nbd_aio_command_completed` for the cookie.
static inline int64_t qs_nbd_aio_pread(struct nbd_handle *h, void *buf, size_t count, uint64_t offset) {
    return nbd_aio_pread(h, buf, count, offset, NBD_NULL_COMPLETION, 0);
}
#endif
