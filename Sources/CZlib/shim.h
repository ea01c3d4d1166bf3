#ifndef QCOWSCOPE_CZLIB_SHIM_H
#define QCOWSCOPE_CZLIB_SHIM_H
#include <zlib.h>

/// `inflateInit2` is a macro; Swift cannot call it. qcow2 stores raw deflate (no zlib header),
/// so callers pass window bits -12 as QEMU does (block/qcow2-threads.c).
static inline int qs_inflate_init_raw(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
#endif
