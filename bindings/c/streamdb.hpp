// streamdb.hpp: a header-only C++17 RAII wrapper over the C interface of libstreamdb.
//
//   StreamDb::Database db = StreamDb::Database::open("data.sdb");
//   db.write("docs/a", "hello");
//   std::string text = db.read_string("docs/a");
//   for (auto it = db.search("docs/"); auto path = it.next();) { ... }
//
// Every failure throws StreamDb::Error, which carries the status code (STREAMDB_ERR_*) and the
// library's message. Handles are move-only and released by their destructors (a writer or
// batch that was not committed is aborted). Thread rules are the C library's: a Database may be
// shared between threads, the other objects are used by one thread at a time.
//
// SPDX-License-Identifier: LGPL-3.0-or-later
#ifndef STREAMDB_HPP
#define STREAMDB_HPP

#include "streamdb.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace StreamDb {

/// A failed call: status() is the STREAMDB_ERR_* code, what() the library's message.
class Error : public std::runtime_error {
public:
    Error(int status, const std::string &message) : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

namespace detail {
inline int check(int status) {
    if (status < 0) {
        const char *message = streamdb_errmsg();
        throw Error(status, *message ? std::string(message) : std::string(streamdb_strerror(status)));
    }
    return status;
}

/// Owns a malloc'd buffer from the library.
struct Buffer {
    void *data = nullptr;
    size_t size = 0;
    Buffer() = default;
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;
    ~Buffer() { streamdb_free_buffer(data); }
    std::vector<std::uint8_t> bytes() const {
        auto p = static_cast<const std::uint8_t *>(data);
        return std::vector<std::uint8_t>(p, p + size);
    }
    std::string text() const { return std::string(static_cast<const char *>(data), size); }
};

/// A move-only owner of a library handle, released with Release(handle).
template <typename T, void (*Release)(T *)>
class Handle {
public:
    Handle() = default;
    explicit Handle(T *handle) noexcept : handle_(handle) {}
    Handle(Handle &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Handle &operator=(Handle &&other) noexcept {
        if (this != &other) {
            reset();
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    ~Handle() { reset(); }

    T *get() const noexcept { return handle_; }
    T *release() noexcept { return std::exchange(handle_, nullptr); }
    void reset() noexcept {
        if (handle_) Release(std::exchange(handle_, nullptr));
    }
    explicit operator bool() const noexcept { return handle_ != nullptr; }

private:
    T *handle_ = nullptr;
};

inline void close_db(streamdb *db) { streamdb_close(db); }
}  // namespace detail

/// Paths of a search or of a document, in byte order.
class Iterator {
public:
    explicit Iterator(streamdb_iter *it) : it_(it) {}

    /// The next path, or std::nullopt at the end. The view is valid until the next call.
    std::optional<std::string_view> next() {
        const char *path = nullptr;
        size_t len = 0;
        if (detail::check(streamdb_iter_next(it_.get(), &path, &len)) == STREAMDB_DONE) return std::nullopt;
        return std::string_view(path, len);
    }

    /// Every remaining path, copied.
    std::vector<std::string> collect() {
        std::vector<std::string> paths;
        while (auto path = next()) paths.emplace_back(*path);
        return paths;
    }

private:
    detail::Handle<streamdb_iter, streamdb_iter_free> it_;
};

/// Reads one document version in chunks.
class Reader {
public:
    explicit Reader(streamdb_reader *r) : r_(r) {}

    std::uint64_t size() const {
        std::uint64_t size = 0;
        detail::check(streamdb_reader_size(r_.get(), &size));
        return size;
    }

    /// The next chunk, or std::nullopt at the end. Valid until the next call.
    std::optional<std::string_view> next() {
        const void *chunk = nullptr;
        size_t len = 0;
        if (detail::check(streamdb_reader_next(r_.get(), &chunk, &len)) == STREAMDB_DONE) return std::nullopt;
        return std::string_view(static_cast<const char *>(chunk), len);
    }

    void seek(std::uint64_t offset) { detail::check(streamdb_reader_seek(r_.get(), offset)); }

private:
    detail::Handle<streamdb_reader, streamdb_reader_close> r_;
};

/// Writes a new document version in chunks; aborted unless commit() is called.
class Writer {
public:
    explicit Writer(streamdb_writer *w) : w_(w) {}

    void write(const void *data, size_t len) { detail::check(streamdb_writer_write(w_.get(), data, len)); }
    void write(std::string_view data) { write(data.data(), data.size()); }

    streamdb_id commit() {
        streamdb_id id{};
        detail::check(streamdb_writer_commit(w_.release(), &id));
        return id;
    }

private:
    detail::Handle<streamdb_writer, streamdb_writer_abort> w_;
};

/// An atomic group of writes and deletes; aborted unless commit() is called.
class Batch {
public:
    explicit Batch(streamdb_batch *b) : b_(b) {}

    void write(std::string_view path, const void *data, size_t len) {
        detail::check(streamdb_batch_write(b_.get(), path.data(), path.size(), data, len));
    }
    void write(std::string_view path, std::string_view data) { write(path, data.data(), data.size()); }
    void remove(std::string_view path) { detail::check(streamdb_batch_delete(b_.get(), path.data(), path.size())); }
    void commit() { detail::check(streamdb_batch_commit(b_.release())); }

private:
    detail::Handle<streamdb_batch, streamdb_batch_abort> b_;
};

/// A database or snapshot; closed by the destructor (or close(), which reports errors).
class Database {
public:
    static Database open(const std::string &file, const streamdb_options *options = nullptr) {
        streamdb *db = nullptr;
        detail::check(streamdb_open(file.c_str(), options, &db));
        return Database(db);
    }

    static Database memory(const streamdb_options *options = nullptr) {
        streamdb *db = nullptr;
        detail::check(streamdb_open_memory(options, &db));
        return Database(db);
    }

    /// Closes now and reports a failed final sync (the destructor cannot).
    void close() { detail::check(streamdb_close(db_.release())); }

    Database snapshot() const {
        streamdb *snap = nullptr;
        detail::check(streamdb_snapshot(db_.get(), &snap));
        return Database(snap);
    }

    streamdb_id write(std::string_view path, const void *data, size_t len) {
        streamdb_id id{};
        detail::check(streamdb_write(db_.get(), path.data(), path.size(), data, len, &id));
        return id;
    }
    streamdb_id write(std::string_view path, std::string_view data) { return write(path, data.data(), data.size()); }

    std::vector<std::uint8_t> read(std::string_view path, std::uint32_t versions_back = 0) const {
        detail::Buffer buffer;
        detail::check(streamdb_read_version(db_.get(), path.data(), path.size(), versions_back, &buffer.data, &buffer.size));
        return buffer.bytes();
    }
    std::string read_string(std::string_view path) const {
        detail::Buffer buffer;
        detail::check(streamdb_read(db_.get(), path.data(), path.size(), &buffer.data, &buffer.size));
        return buffer.text();
    }

    /// False when path is unbound; throws on every other error.
    bool exists(std::string_view path) const {
        streamdb_id id{};
        int status = streamdb_get_id(db_.get(), path.data(), path.size(), &id);
        if (status == STREAMDB_ERR_NOT_FOUND) return false;
        detail::check(status);
        return true;
    }

    streamdb_doc_info stat(std::string_view path) const {
        streamdb_doc_info info{};
        info.struct_size = sizeof info;
        detail::check(streamdb_stat(db_.get(), path.data(), path.size(), &info));
        return info;
    }

    void remove(std::string_view path) { detail::check(streamdb_delete(db_.get(), path.data(), path.size())); }
    void remove(const streamdb_id &id) { detail::check(streamdb_delete_id(db_.get(), &id)); }
    void bind(const streamdb_id &id, std::string_view path) { detail::check(streamdb_bind(db_.get(), &id, path.data(), path.size())); }
    void unbind(const streamdb_id &id, std::string_view path) { detail::check(streamdb_unbind(db_.get(), &id, path.data(), path.size())); }

    Iterator search(std::string_view prefix = {}) const {
        streamdb_iter *it = nullptr;
        detail::check(streamdb_search(db_.get(), prefix.data(), prefix.size(), &it));
        return Iterator(it);
    }
    Iterator paths(const streamdb_id &id) const {
        streamdb_iter *it = nullptr;
        detail::check(streamdb_list_paths(db_.get(), &id, &it));
        return Iterator(it);
    }

    Reader reader(std::string_view path) const {
        streamdb_reader *r = nullptr;
        detail::check(streamdb_reader_open(db_.get(), path.data(), path.size(), &r));
        return Reader(r);
    }
    Writer writer(std::string_view path) {
        streamdb_writer *w = nullptr;
        detail::check(streamdb_writer_open(db_.get(), path.data(), path.size(), &w));
        return Writer(w);
    }
    Batch batch() {
        streamdb_batch *b = nullptr;
        detail::check(streamdb_batch_begin(db_.get(), &b));
        return Batch(b);
    }

    void flush() { detail::check(streamdb_flush(db_.get())); }
    void verify() const { detail::check(streamdb_verify(db_.get())); }
    void compact() { detail::check(streamdb_compact(db_.get())); }
    struct streamdb_stats stats() const {
        struct streamdb_stats stats{};
        stats.struct_size = sizeof stats;
        detail::check(streamdb_stats(db_.get(), &stats));
        return stats;
    }

    /// The C handle, for calls the wrapper does not cover.
    streamdb *handle() const noexcept { return db_.get(); }

private:
    explicit Database(streamdb *db) : db_(db) {}
    detail::Handle<streamdb, detail::close_db> db_;
};

}  // namespace StreamDb

#endif  // STREAMDB_HPP
