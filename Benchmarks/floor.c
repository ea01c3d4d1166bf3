/* The floor of a scan (issue 15): the time it takes only to read the metadata a command needs,
 * decoding nothing. Built by Benchmarks/floor.sh with cc.
 *
 *   floor [--map] [--runs N] [--cold] IMAGE
 *
 * Untimed, it works out the ranges from the image (header and its extensions, snapshot table,
 * L1 tables, refcount table, bitmap directory): what the scan (check, layout, frag) reads is the
 * header, the snapshot table, every L1 table (active and snapshots'), each distinct L2 table once
 * in file order, the refcount table, the bitmap directory and tables, and the refcount blocks
 * covering the file; with --map only the header, the active L1 and its L2 tables in guest order.
 * Ranges that touch are merged up to the scan's buffer size (max(cluster, 256 KiB)), as the scan
 * merges neighbouring L2 tables.
 * Timed, it `pread`s exactly those ranges into one reusable buffer, once to warm up and then N
 * times (default 5), and prints "wall-seconds cpu-seconds reads bytes" (medians; CPU time is what
 * the process spent, which a machine shared with other work does not inflate). With --cold the image's pages are
 * dropped (posix_fadvise(POSIX_FADV_DONTNEED)) before each timed pass and there is no warm-up, and the pass
 * first asks the kernel to read every range (posix_fadvise(POSIX_FADV_WILLNEED), all at once, in order), then
 * preads them: the fastest of the ways tried on the benchmark machine (plain preads in order; 4, 16 or 64
 * threads of preads; the same advice from a second thread was no faster), so the cold floor is what the
 * disk can deliver.
 * Only for the benchmark images: it trusts them (a damaged image gives a meaningless floor). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct range { uint64_t offset, length; };
static struct range *ranges;
static size_t nranges, cap;
static int fd;
static uint64_t file_size, buffer_size;

static void die(const char *what) { fprintf(stderr, "floor: %s\n", what); exit(1); }

static uint64_t be64(const unsigned char *p) { uint64_t v = 0; for (int i = 0; i < 8; i++) v = v << 8 | p[i]; return v; }
static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Reads len bytes at offset (zeros past the end of the file) into a new allocation: untimed. */
static unsigned char *load(uint64_t offset, uint64_t len) {
    unsigned char *p = calloc(1, len ? len : 1);
    if (!p) die("out of memory");
    if (offset < file_size && pread(fd, p, len, (off_t)offset) < 0) die("read failed");
    return p;
}

static void add(uint64_t offset, uint64_t length) {
    if (length == 0) return;
    if (nranges == cap) {
        cap = cap ? cap * 2 : 4096;
        ranges = realloc(ranges, cap * sizeof *ranges);
        if (!ranges) die("out of memory");
    }
    ranges[nranges++] = (struct range){offset, length};
}

static int by_offset(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double seconds(struct timespec a, struct timespec b) {
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static double median(double *v, int n) {
    for (int i = 1; i < n; i++)  /* insertion sort: a handful of runs */
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) { double x = v[j]; v[j] = v[j - 1]; v[j - 1] = x; }
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define L1_MASK 0x00fffffffffffe00ULL
#define REFTABLE_MASK 0xfffffffffffffe00ULL

int main(int argc, char **argv) {
    int map = 0, cold = 0, runs = 5;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--map")) map = 1;
        else if (!strcmp(argv[i], "--cold")) cold = 1;
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else path = argv[i];
    }
    if (!path || runs < 1) die("usage: floor [--map] [--cold] [--runs N] IMAGE");
    fd = open(path, O_RDONLY);
    if (fd < 0) die("cannot open the image");
    file_size = (uint64_t)lseek(fd, 0, SEEK_END);

    unsigned char *h = load(0, 4096);
    if (be32(h) != 0x514649fb) die("not a qcow2 image");
    uint32_t version = be32(h + 4), cluster_bits = be32(h + 20);
    uint64_t cs = 1ULL << cluster_bits;
    uint32_t l1_size = be32(h + 36);
    uint64_t l1_offset = be64(h + 40), reftable_offset = be64(h + 48);
    uint32_t reftable_clusters = be32(h + 56), nb_snapshots = be32(h + 60);
    uint64_t snapshots_offset = be64(h + 64);
    uint32_t refcount_order = version >= 3 ? be32(h + 96) : 4;
    uint32_t header_length = version >= 3 ? be32(h + 100) : 72;
    buffer_size = cs > (256 << 10) ? cs : (256 << 10);

    /* The header and its extensions, up to the end marker; the bitmaps extension if any. */
    uint64_t ext = header_length, bitmap_dir = 0, bitmap_dir_size = 0;
    while (ext + 8 <= 4096) {
        uint32_t type = be32(h + ext), len = be32(h + ext + 4);
        if (type == 0) { ext += 8; break; }
        if (type == 0x23852875 && ext + 32 <= 4096) { bitmap_dir_size = be64(h + ext + 16); bitmap_dir = be64(h + ext + 24); }
        ext += 8 + ((len + 7ULL) & ~7ULL);
    }
    add(0, ext < 4096 ? ext : 4096);

    /* The L1 tables: the active one, then each snapshot's (as the snapshot table lists them). */
    uint64_t l1s[4097][2];
    size_t nl1 = 0;
    l1s[nl1][0] = l1_offset; l1s[nl1++][1] = (uint64_t)l1_size * 8;
    if (!map && nb_snapshots > 0) {
        uint64_t guess = (uint64_t)nb_snapshots * 1024 + 65536;
        unsigned char *t = load(snapshots_offset, guess);
        uint64_t at = 0;
        for (uint32_t i = 0; i < nb_snapshots && at + 40 <= guess; i++) {
            uint64_t entry = 40 + be32(t + at + 36) + be16(t + at + 12) + be16(t + at + 14);
            if (nl1 < 4097) { l1s[nl1][0] = be64(t + at); l1s[nl1++][1] = (uint64_t)be32(t + at + 8) * 8; }
            at += (entry + 7) & ~7ULL;
        }
        free(t);
        add(snapshots_offset, at);
    }
    for (size_t i = 0; i < nl1; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++) seen |= l1s[j][0] == l1s[i][0] && l1s[j][1] == l1s[i][1];
        if (!seen) add(l1s[i][0], l1s[i][1]);
    }

    /* The L2 tables: each distinct one in file order (the scan), or the active ones in guest order (map). */
    size_t nl2 = 0, l2cap = 0;
    uint64_t *l2 = NULL;
    for (size_t i = 0; i < nl1; i++) {
        unsigned char *t = load(l1s[i][0], l1s[i][1]);
        for (uint64_t j = 0; j < l1s[i][1] / 8; j++) {
            uint64_t o = be64(t + j * 8) & L1_MASK;
            if (!o) continue;
            if (nl2 == l2cap) { l2cap = l2cap ? l2cap * 2 : 4096; l2 = realloc(l2, l2cap * 8); if (!l2) die("out of memory"); }
            l2[nl2++] = o;
        }
        free(t);
    }
    if (!map) qsort(l2, nl2, 8, by_offset);
    for (size_t i = 0; i < nl2; i++) if (i == 0 || l2[i] != l2[i - 1]) add(l2[i], cs);

    if (!map) {
        /* The refcount table, the bitmap directory and tables, then the blocks covering the file. */
        uint64_t reftable_bytes = (uint64_t)reftable_clusters * cs;
        add(reftable_offset, reftable_bytes);
        if (bitmap_dir_size > 0) {
            add(bitmap_dir, bitmap_dir_size);
            unsigned char *d = load(bitmap_dir, bitmap_dir_size);
            for (uint64_t at = 0; at + 24 <= bitmap_dir_size;) {
                add(be64(d + at), (uint64_t)be32(d + at + 8) * 8);
                uint64_t entry = 24 + be32(d + at + 20) + be16(d + at + 18);
                at += (entry + 7) & ~7ULL;
            }
            free(d);
        }
        unsigned char *t = load(reftable_offset, reftable_bytes);
        uint64_t per_block = cs * 8 >> refcount_order;
        uint64_t blocks = ((file_size + cs - 1) / cs + 1 + per_block - 1) / per_block;
        for (uint64_t b = 0; b < blocks && b < reftable_bytes / 8; b++) {
            uint64_t o = be64(t + b * 8) & REFTABLE_MASK;
            if (o) add(o, cs);
        }
        free(t);
    }

    /* Neighbouring ranges in this order become one read, up to the buffer; longer ones are split. */
    size_t n = 0;
    for (size_t i = 0; i < nranges; i++) {
        if (n > 0 && ranges[n - 1].offset + ranges[n - 1].length == ranges[i].offset
            && ranges[n - 1].length + ranges[i].length <= buffer_size) {
            ranges[n - 1].length += ranges[i].length;
        } else {
            ranges[n++] = ranges[i];
        }
    }
    nranges = n;

    unsigned char *buffer = aligned_alloc(4096, buffer_size);
    if (!buffer) die("out of memory");
    double *walls = calloc((size_t)runs, sizeof *walls), *cpus = calloc((size_t)runs, sizeof *cpus);
    if (!walls || !cpus) die("out of memory");
    uint64_t reads = 0, bytes = 0;
    for (int pass = cold ? 1 : 0; pass <= runs; pass++) {
        if (cold && posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0) die("posix_fadvise failed");
        struct timespec start, end, cpu_start, cpu_end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_start);
        reads = bytes = 0;
        if (cold)
            for (size_t i = 0; i < nranges; i++)
                posix_fadvise(fd, (off_t)ranges[i].offset, (off_t)ranges[i].length, POSIX_FADV_WILLNEED);
        for (size_t i = 0; i < nranges; i++) {
            for (uint64_t done = 0; done < ranges[i].length;) {
                uint64_t len = ranges[i].length - done < buffer_size ? ranges[i].length - done : buffer_size;
                if (pread(fd, buffer, len, (off_t)(ranges[i].offset + done)) < 0) die("read failed");
                reads++; bytes += len; done += len;
            }
        }
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu_end);
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (pass > 0) {
            walls[pass - 1] = seconds(start, end);
            cpus[pass - 1] = seconds(cpu_start, cpu_end);
        }
    }
    printf("%.6f %.6f %llu %llu\n", median(walls, runs), median(cpus, runs), (unsigned long long)reads, (unsigned long long)bytes);
    return 0;
}
