/* crash_writer DBFILE SEED ROUND: the child of test_crash. Opens DBFILE (with
 * STREAMDB_OPEN_COMPRESS in odd rounds, so the file mixes both storages) and writes documents
 * (single writes, overwrites, 3-document batches) until it is killed. On stdout (a pipe) it
 * reports "R" once open, then for each operation "I n idx ver ..." before it and "D" after it
 * returned success; each line is one write(2), so a kill never leaves half a line. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash_model.h"
#include "streamdb.h"

static void say(const char *line) {
    size_t len = strlen(line);
    if (write(STDOUT_FILENO, line, len) != (ssize_t)len) _exit(3); /* the parent is gone */
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: crash_writer DBFILE SEED ROUND\n");
        return 2;
    }
    uint32_t seed = (uint32_t)strtoul(argv[2], NULL, 10);
    uint32_t round = (uint32_t)strtoul(argv[3], NULL, 10);
    streamdb_options opts;
    streamdb_options_init(&opts);
    if (round % 2 == 1) opts.flags = STREAMDB_OPEN_COMPRESS;
    streamdb *db = NULL;
    if (streamdb_open(argv[1], &opts, &db) != STREAMDB_OK) {
        fprintf(stderr, "crash_writer: open: %s\n", streamdb_errmsg());
        return 1;
    }
    say("R\n");
    unsigned char *buf = malloc(400000);
    uint32_t rng = crash_mix(seed ^ (round * 0x9e3779b9u)) | 1u;
    uint32_t first = round * CRASH_IDX_PER_ROUND, next = first, ver = round * 1000000u;
    char line[256], path[64];
    for (;;) {
        rng = crash_mix(rng + 1);
        uint32_t op = rng % 100;
        uint32_t idx[3];
        int n = 1;
        if (op < 65 || next == first) {
            idx[0] = next++;
        } else if (op < 75) {
            idx[0] = first + rng % (next - first); /* overwrite one of this round's */
        } else if (op < 85 && round > 0) {
            uint32_t r = (rng >> 8) % round; /* an earlier round's document, or a new one there */
            idx[0] = r * CRASH_IDX_PER_ROUND + (rng >> 16) % 40;
        } else {
            n = 3;
            idx[0] = next++;
            idx[1] = next++;
            idx[2] = first + rng % (next - first);
            if (idx[2] == idx[0] || idx[2] == idx[1]) idx[2] = next++;
        }
        ver++;
        int at = snprintf(line, sizeof line, "I %d", n);
        for (int i = 0; i < n; i++) at += snprintf(line + at, sizeof line - (size_t)at, " %u %u", idx[i], ver);
        snprintf(line + at, sizeof line - (size_t)at, "\n");
        say(line);
        int status;
        if (n == 1) {
            size_t size = crash_size(idx[0], ver);
            crash_fill(buf, size, idx[0], ver);
            crash_path(path, sizeof path, idx[0]);
            status = streamdb_write(db, path, strlen(path), buf, size, NULL);
        } else {
            streamdb_batch *b = NULL;
            status = streamdb_batch_begin(db, &b);
            for (int i = 0; i < n && status == STREAMDB_OK; i++) {
                size_t size = crash_size(idx[i], ver);
                crash_fill(buf, size, idx[i], ver);
                crash_path(path, sizeof path, idx[i]);
                status = streamdb_batch_write(b, path, strlen(path), buf, size);
            }
            status = status == STREAMDB_OK ? streamdb_batch_commit(b) : status;
        }
        if (status != STREAMDB_OK) {
            fprintf(stderr, "crash_writer: write failed (%d): %s\n", status, streamdb_errmsg());
            return 1;
        }
        say("D\n");
    }
}
