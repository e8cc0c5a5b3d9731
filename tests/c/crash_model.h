/* crash_model.h: what the crash writer writes, shared by the writer (tests/c/crash_writer.c)
 * and the checker (tests/c/test_crash.c): document idx at version ver has a path and bytes
 * that both sides compute from (idx, ver) alone. */
#ifndef STREAMDB_CRASH_MODEL_H
#define STREAMDB_CRASH_MODEL_H

#include <stdint.h>
#include <stdio.h>

#define CRASH_IDX_PER_ROUND 100000u

static inline uint32_t crash_mix(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static inline void crash_path(char *out, size_t cap, uint32_t idx) { snprintf(out, cap, "crash/%08u", idx); }

/* Mostly small documents, some multi-page, a few large ones. */
static inline size_t crash_size(uint32_t idx, uint32_t ver) {
    uint32_t h = crash_mix(idx * 31u + ver * 7u + 1u);
    uint32_t kind = h % 100;
    if (kind < 70) return 1 + h % 3000;
    if (kind < 95) return 3000 + h % 37000;
    return 40000 + h % 260000;
}

/* Half the documents are noise, half compress well (a short pattern that drifts per 4 KiB),
 * so rounds that open the file with STREAMDB_OPEN_COMPRESS store both kinds. */
static inline void crash_fill(unsigned char *buf, size_t len, uint32_t idx, uint32_t ver) {
    uint32_t x = crash_mix(idx ^ (ver * 2654435761u)) | 1u;
    if (x & 0x100) {
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)((x >> (i % 24)) + (i % 61) + (i >> 12));
        return;
    }
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)(x >> 3);
    }
}

#endif
