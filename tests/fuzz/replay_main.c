/*
 * replay_main.c - runs a fuzz target over files instead of under libFuzzer, so that
 * the regression inputs (tests/data/fuzz-regressions/) and the seed corpora are
 * replayed by every build, with any compiler, normally and under ASan/UBSan.
 *
 * Usage: replay_<target> PATH...; a PATH that is a directory stands for the files in
 * it. Exits 0 when every input ran (a crash, a failed check or a sanitizer report
 * ends the process before), 2 when a path cannot be read.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t size = 0, cap = 0, got;

    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    do {
        if (size == cap) {
            unsigned char *p = realloc(data, cap = cap ? cap * 2 : 65536);
            if (!p) {
                fclose(f);
                free(data);
                return -1;
            }
            data = p;
        }
        got = fread(data + size, 1, cap - size, f);
        size += got;
    } while (got > 0);
    fclose(f);
    /* a copy of exactly `size` bytes, so that ASan sees a read past the end */
    unsigned char *exact = malloc(size ? size : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    if (size)
        memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 2;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) < 0)
                return 2;
            count++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        char **names = NULL;
        size_t n = 0, cap = 0;
        if (!d) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 2;
        }
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            if (n == cap) {
                char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*p));
                if (!p)
                    return 2;
                names = p;
            }
            size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
            if (!(names[n] = malloc(len)))
                return 2;
            snprintf(names[n++], len, "%s/%s", argv[i], e->d_name);
        }
        closedir(d);
        if (n > 1)
            qsort(names, n, sizeof(*names), cmp_names);
        for (size_t k = 0; k < n; k++) {
            if (run_file(names[k]) < 0)
                return 2;
            free(names[k]);
            count++;
        }
        free(names);
    }
    printf("replay: %zu inputs ran\n", count);
    return 0;
}
