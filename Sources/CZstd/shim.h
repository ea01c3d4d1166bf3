#ifndef QCOWSCOPE_CZSTD_SHIM_H
#define QCOWSCOPE_CZSTD_SHIM_H
#include <zstd.h>
#endif
