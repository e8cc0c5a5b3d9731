/* header_c99.c: include/streamdb.h compiles as strict C99 with every warning an error, and
 * every type, macro and function of the contract is declared with the right shape. */
#include "streamdb.h"

typedef int (*write_fn)(streamdb *, const char *, size_t, const void *, size_t, streamdb_id *);
typedef int (*read_fn)(streamdb *, const char *, size_t, void **, size_t *);
typedef void *(*get_fn)(streamdb *, const char *, size_t, size_t *);
typedef streamdb_result *(*prefix_fn)(streamdb *, const char *, size_t);
typedef int (*op_wait_fn)(streamdb_op *, int32_t);

int header_c99_uses_everything(void);
int header_c99_uses_everything(void) {
    write_fn w = streamdb_write;
    read_fn r = streamdb_read;
    get_fn g = streamdb_get;
    prefix_fn p = streamdb_prefix_search;
    op_wait_fn o = streamdb_op_wait;
    streamdb_options opts;
    struct streamdb_stats stats;
    streamdb_doc_info info;
    streamdb_id id;
    streamdb_result node;
    streamdb_iter *it = 0;
    streamdb_reader *rd = 0;
    streamdb_writer *wr = 0;
    streamdb_batch *b = 0;
    streamdb_op *op = 0;
    int codes = STREAMDB_OK + STREAMDB_DONE + STREAMDB_ERR_IO + STREAMDB_ERR_NOT_FOUND + STREAMDB_ERR_INVALID +
                STREAMDB_ERR_INTERNAL + STREAMDB_ERR_CORRUPTED + STREAMDB_ERR_TOO_LARGE + STREAMDB_ERR_FULL +
                STREAMDB_ERR_BUSY + STREAMDB_ERR_READ_ONLY + STREAMDB_ERR_BUFFER_TOO_SMALL + STREAMDB_ERR_TIMEOUT;
    unsigned flags = STREAMDB_OPEN_READ_ONLY | STREAMDB_OPEN_NO_CREATE | STREAMDB_OPEN_COMPRESS |
                     STREAMDB_OPEN_QUICK | STREAMDB_OPEN_NO_SYNC;
    const char *v = STREAMDB_VERSION_STRING;
    opts.struct_size = sizeof opts;
    stats.struct_size = sizeof stats;
    info.struct_size = sizeof info;
    id.bytes[0] = 0;
    node.next = &node;
    (void)w; (void)r; (void)g; (void)p; (void)o; (void)it; (void)rd; (void)wr; (void)b; (void)op; (void)v;
    (void)streamdb_version; (void)streamdb_errmsg; (void)streamdb_strerror; (void)streamdb_free_buffer;
    (void)streamdb_options_init; (void)streamdb_open; (void)streamdb_open_memory; (void)streamdb_close;
    (void)streamdb_snapshot; (void)streamdb_init; (void)streamdb_free; (void)streamdb_insert;
    (void)streamdb_read_into; (void)streamdb_read_version; (void)streamdb_stat; (void)streamdb_delete;
    (void)streamdb_delete_id; (void)streamdb_get_id; (void)streamdb_bind; (void)streamdb_unbind;
    (void)streamdb_search; (void)streamdb_list_paths; (void)streamdb_iter_next; (void)streamdb_iter_free;
    (void)streamdb_free_results; (void)streamdb_reader_open; (void)streamdb_reader_size;
    (void)streamdb_reader_next; (void)streamdb_reader_seek; (void)streamdb_reader_close;
    (void)streamdb_writer_open; (void)streamdb_writer_write; (void)streamdb_writer_commit;
    (void)streamdb_writer_abort; (void)streamdb_batch_begin; (void)streamdb_batch_write;
    (void)streamdb_batch_delete; (void)streamdb_batch_commit; (void)streamdb_batch_abort;
    (void)streamdb_read_async; (void)streamdb_op_result; (void)streamdb_op_free; (void)streamdb_flush;
    (void)streamdb_set_quick_mode; (void)streamdb_stats; (void)streamdb_verify; (void)streamdb_compact;
    return codes + (int)flags + (int)opts.struct_size + (int)stats.struct_size + (int)info.struct_size + id.bytes[0];
}
