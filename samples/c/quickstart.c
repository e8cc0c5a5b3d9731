/* quickstart.c: open a database file, write, read, search, delete, close.
 * Build: cc quickstart.c $(pkg-config --cflags --libs streamdb) -o quickstart */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "streamdb.h"

/* Prints the library's message and leaves when a call fails. */
static void check(int status, const char *what) {
    if (status < 0) {
        fprintf(stderr, "%s failed: %s (%s)\n", what, streamdb_strerror(status), streamdb_errmsg());
        exit(1);
    }
}

int main(void) {
    streamdb *db = NULL;
    printf("libstreamdb %s\n", streamdb_version());
    check(streamdb_open("quickstart.sdb", NULL, &db), "open");
    printf("opened quickstart.sdb\n");

    const char *docs[][2] = {
        {"notes/2024/hello.txt", "Hello, StreamDb!"},
        {"notes/2024/todo.txt", "1. write  2. read  3. search"},
        {"images/logo.svg", "<svg/>"},
    };
    for (int i = 0; i < 3; i++) {
        check(streamdb_write(db, docs[i][0], strlen(docs[i][0]), docs[i][1], strlen(docs[i][1]), NULL), "write");
        printf("wrote %-22s (%zu bytes)\n", docs[i][0], strlen(docs[i][1]));
    }

    void *data = NULL;
    size_t len = 0;
    check(streamdb_read(db, "notes/2024/hello.txt", 20, &data, &len), "read");
    printf("read  notes/2024/hello.txt: \"%.*s\"\n", (int)len, (const char *)data);
    streamdb_free_buffer(data);

    streamdb_iter *it = NULL;
    const char *path;
    size_t path_len;
    check(streamdb_search(db, "notes/", 6, &it), "search");
    printf("paths under notes/:\n");
    while (streamdb_iter_next(it, &path, &path_len) == STREAMDB_OK) printf("  %.*s\n", (int)path_len, path);
    streamdb_iter_free(it);

    check(streamdb_delete(db, "images/logo.svg", 15), "delete");
    int status = streamdb_read(db, "images/logo.svg", 15, &data, &len);
    printf("after delete, reading images/logo.svg gives %s: %s\n", streamdb_strerror(status), streamdb_errmsg());

    check(streamdb_close(db), "close");
    printf("closed; everything written is on disk in quickstart.sdb\n");
    return 0;
}
