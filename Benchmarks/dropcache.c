/* dropcache FILE...: drops the page cache's copy of each file (posix_fadvise(POSIX_FADV_DONTNEED);
 * clean pages only, no root needed), so the next reader finds it cold. Built by Benchmarks/floor.sh. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0) {
            fprintf(stderr, "dropcache: cannot drop %s\n", argv[i]);
            status = 1;
        }
        if (fd >= 0) close(fd);
    }
    return status;
}
