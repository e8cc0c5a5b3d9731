;;;; Foreign declarations of the C ABI in /work/shared/C-API.md (include/streamdb.h).
;;;; Each DEFINE-FOREIGN gives a guarded wrapper (the name below) and a raw %-function that
;;;; nothing outside this file calls. Paths and data are passed as pointers + lengths.

(in-package #:streamdb)

;;; Status codes
(defconstant +ok+ 0)
(defconstant +done+ 1)
(defconstant +err-io+ -1)
(defconstant +err-not-found+ -2)
(defconstant +err-invalid+ -3)
(defconstant +err-internal+ -4)
(defconstant +err-corrupted+ -5)
(defconstant +err-too-large+ -6)
(defconstant +err-full+ -7)
(defconstant +err-busy+ -8)
(defconstant +err-read-only+ -9)
(defconstant +err-buffer-too-small+ -10)
(defconstant +err-timeout+ -11)

;;; streamdb_options flags
(defconstant +open-read-only+ #x1)
(defconstant +open-no-create+ #x2)
(defconstant +open-compress+ #x4)
(defconstant +open-quick+ #x8)
(defconstant +open-no-sync+ #x10)

(cffi:defcstruct (options :size 40)
  (struct-size :uint32 :offset 0)
  (page-size :uint32 :offset 4)
  (max-document-size :uint64 :offset 8)
  (max-db-size :uint64 :offset 16)
  (page-cache-pages :uint32 :offset 24)
  (versions-to-keep :int32 :offset 28)
  (flags :uint32 :offset 32)
  (flush-interval-ms :uint32 :offset 36))

(cffi:defcstruct (stats-struct :size 64)
  (struct-size :uint32 :offset 0)
  (page-size :uint32 :offset 4)
  (total-pages :uint64 :offset 8)
  (free-pages :uint64 :offset 16)
  (documents :uint64 :offset 24)
  (paths :uint64 :offset 32)
  (file-bytes :uint64 :offset 40)
  (cache-hits :uint64 :offset 48)
  (cache-misses :uint64 :offset 56))

(cffi:defcstruct (doc-info :size 48)
  (struct-size :uint32 :offset 0)
  (id :uint8 :count 16 :offset 4)
  (size :uint64 :offset 24)
  (version :uint64 :offset 32)
  (path-count :uint32 :offset 40)
  (versions-kept :uint32 :offset 44))

(cffi:defcstruct (result :size 40)
  (key :pointer :offset 0)
  (key-len :size :offset 8)
  (value :pointer :offset 16)
  (value-size :size :offset 24)
  (next :pointer :offset 32))

;;; Library
(cffi:defcfun ("streamdb_errmsg" %sdb-errmsg) :pointer)

(defun %errmsg-text ()
  "streamdb_errmsg as a string; called only inside WITH-FOREIGN-GUARD."
  (let ((ptr (%sdb-errmsg)))
    (if (cffi:null-pointer-p ptr) "" (cffi:foreign-string-to-lisp ptr :encoding :utf-8))))

(define-foreign sdb-version "streamdb_version" :string)
(define-foreign sdb-strerror "streamdb_strerror" :string (status :int))
(define-foreign sdb-free-buffer "streamdb_free_buffer" :void (buffer :pointer))

;;; Open and close
(define-foreign sdb-options-init "streamdb_options_init" :void (opts :pointer))
(define-foreign sdb-open "streamdb_open" :int (file :pointer) (opts :pointer) (out-db :pointer))
(define-foreign sdb-open-memory "streamdb_open_memory" :int (opts :pointer) (out-db :pointer))
(define-foreign sdb-close "streamdb_close" :int (db :pointer))
(define-foreign sdb-snapshot "streamdb_snapshot" :int (db :pointer) (out-snapshot :pointer))

;;; Documents
(define-foreign sdb-write "streamdb_write" :int
  (db :pointer) (path :pointer) (path-len :size) (data :pointer) (len :size) (out-id :pointer))
(define-foreign sdb-read "streamdb_read" :int
  (db :pointer) (path :pointer) (path-len :size) (out-data :pointer) (out-len :pointer))
(define-foreign sdb-read-version "streamdb_read_version" :int
  (db :pointer) (path :pointer) (path-len :size) (versions-back :uint32)
  (out-data :pointer) (out-len :pointer))
(define-foreign sdb-stat "streamdb_stat" :int
  (db :pointer) (path :pointer) (path-len :size) (out-info :pointer))
(define-foreign sdb-delete "streamdb_delete" :int (db :pointer) (path :pointer) (path-len :size))
(define-foreign sdb-delete-id "streamdb_delete_id" :int (db :pointer) (id :pointer))

;;; Paths
(define-foreign sdb-get-id "streamdb_get_id" :int
  (db :pointer) (path :pointer) (path-len :size) (out-id :pointer))
(define-foreign sdb-bind "streamdb_bind" :int
  (db :pointer) (id :pointer) (path :pointer) (path-len :size))
(define-foreign sdb-unbind "streamdb_unbind" :int
  (db :pointer) (id :pointer) (path :pointer) (path-len :size))
(define-foreign sdb-search "streamdb_search" :int
  (db :pointer) (prefix :pointer) (prefix-len :size) (out-iter :pointer))
(define-foreign sdb-list-paths "streamdb_list_paths" :int
  (db :pointer) (id :pointer) (out-iter :pointer))
(define-foreign sdb-iter-next "streamdb_iter_next" :int
  (iter :pointer) (out-path :pointer) (out-len :pointer))
(define-foreign sdb-iter-free "streamdb_iter_free" :void (iter :pointer))
(define-foreign sdb-prefix-search "streamdb_prefix_search" :pointer
  (db :pointer) (prefix :pointer) (prefix-len :size))
(define-foreign sdb-free-results "streamdb_free_results" :void (results :pointer))

;;; Streaming
(define-foreign sdb-reader-open "streamdb_reader_open" :int
  (db :pointer) (path :pointer) (path-len :size) (out-reader :pointer))
(define-foreign sdb-reader-size "streamdb_reader_size" :int (reader :pointer) (out-size :pointer))
(define-foreign sdb-reader-next "streamdb_reader_next" :int
  (reader :pointer) (out-chunk :pointer) (out-len :pointer))
(define-foreign sdb-reader-seek "streamdb_reader_seek" :int (reader :pointer) (offset :uint64))
(define-foreign sdb-reader-close "streamdb_reader_close" :void (reader :pointer))
(define-foreign sdb-writer-open "streamdb_writer_open" :int
  (db :pointer) (path :pointer) (path-len :size) (out-writer :pointer))
(define-foreign sdb-writer-write "streamdb_writer_write" :int
  (writer :pointer) (data :pointer) (len :size))
(define-foreign sdb-writer-commit "streamdb_writer_commit" :int (writer :pointer) (out-id :pointer))
(define-foreign sdb-writer-abort "streamdb_writer_abort" :void (writer :pointer))

;;; Batches
(define-foreign sdb-batch-begin "streamdb_batch_begin" :int (db :pointer) (out-batch :pointer))
(define-foreign sdb-batch-write "streamdb_batch_write" :int
  (batch :pointer) (path :pointer) (path-len :size) (data :pointer) (len :size))
(define-foreign sdb-batch-delete "streamdb_batch_delete" :int
  (batch :pointer) (path :pointer) (path-len :size))
(define-foreign sdb-batch-commit "streamdb_batch_commit" :int (batch :pointer))
(define-foreign sdb-batch-abort "streamdb_batch_abort" :void (batch :pointer))

;;; Maintenance
(define-foreign sdb-flush "streamdb_flush" :int (db :pointer))
(define-foreign sdb-set-quick-mode "streamdb_set_quick_mode" :void (db :pointer) (enabled :int))
(define-foreign sdb-stats "streamdb_stats" :int (db :pointer) (out-stats :pointer))
(define-foreign sdb-verify "streamdb_verify" :int (db :pointer))
(define-foreign sdb-compact "streamdb_compact" :int (db :pointer))
