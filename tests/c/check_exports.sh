#!/usr/bin/env bash
# check_exports.sh LIBRARY: the shared library exports exactly the contract's streamdb_*
# functions and nothing else, has soname libstreamdb.so, is marked NODELETE, and was compiled
# with hardware CRC32 instructions (an explicit IlcInstructionSet) and the collector's young
# generation size embedded (GCgen0size, see src/StreamDb.Native/StreamDb.Native.csproj).
set -u
lib=$1
fail=0
expected="streamdb_version streamdb_errmsg streamdb_strerror streamdb_free_buffer streamdb_options_init
streamdb_open streamdb_open_memory streamdb_close streamdb_snapshot streamdb_init streamdb_free
streamdb_write streamdb_insert streamdb_read streamdb_read_into streamdb_read_version streamdb_get
streamdb_stat streamdb_delete streamdb_delete_id streamdb_get_id streamdb_bind streamdb_unbind
streamdb_search streamdb_list_paths streamdb_iter_next streamdb_iter_free streamdb_prefix_search
streamdb_free_results streamdb_reader_open streamdb_reader_size streamdb_reader_next streamdb_reader_seek
streamdb_reader_close streamdb_writer_open streamdb_writer_write streamdb_writer_commit
streamdb_writer_abort streamdb_batch_begin streamdb_batch_write streamdb_batch_delete
streamdb_batch_commit streamdb_batch_abort streamdb_read_async streamdb_op_wait streamdb_op_result
streamdb_op_free streamdb_flush streamdb_set_quick_mode streamdb_stats streamdb_verify streamdb_compact"

# Defined dynamic symbols, version suffixes (name@@V1.0) and the version node itself dropped.
exported=$(nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort)
stray=$(echo "$exported" | grep -v '^streamdb_' || true)
if [ -n "$stray" ]; then echo "exports other than streamdb_*: $stray"; fail=1; fi
for f in $expected; do
    echo "$exported" | grep -qx "$f" || { echo "missing export: $f"; fail=1; }
done
extra=$(comm -13 <(echo "$expected" | tr ' ' '\n' | grep . | sort) <(echo "$exported"))
[ -z "$extra" ] || echo "note: exports beyond the contract (allowed, must be documented): $extra"

readelf -d "$lib" | grep -q 'SONAME.*\[libstreamdb.so\]' || { echo "soname is not libstreamdb.so"; fail=1; }
readelf -d "$lib" | grep -q 'FLAGS_1.*NODELETE' || { echo "not linked with -z nodelete"; fail=1; }
if command -v objdump >/dev/null; then
    crc=$(objdump -d --no-show-raw-insn "$lib" | grep -c 'crc32' || true)
    [ "$crc" -gt 0 ] || { echo "no crc32 instruction: hardware CRC is not compiled in (IlcInstructionSet?)"; fail=1; }
fi
# the embedded runtime settings are name/value strings, each value right after its name
if command -v strings >/dev/null; then
    strings "$lib" | grep -x -A1 GCgen0size | grep -qx 400000 \
        || { echo "GCgen0size=400000 is not embedded (the IlcArg --runtimeopt in StreamDb.Native.csproj)"; fail=1; }
fi
[ $fail -eq 0 ] && echo "exports, soname, nodelete, CRC32 instructions and collector setting as required"
exit $fail
