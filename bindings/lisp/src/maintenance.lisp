;;;; Durability, statistics, integrity checks.

(in-package #:streamdb)

(defun flush (db)
  "Make everything committed so far durable; collect old versions past versions-to-keep.
Returns T."
  (check (sdb-flush (handle db)))
  t)

(defun stats (db)
  "A property list of database statistics: :page-size :total-pages :free-pages :documents
:paths :file-bytes :cache-hits :cache-misses."
  (cffi:with-foreign-object (s '(:struct stats-struct))
    (dotimes (i (cffi:foreign-type-size '(:struct stats-struct)))
      (setf (cffi:mem-aref s :uint8 i) 0))
    (setf (cffi:foreign-slot-value s '(:struct stats-struct) 'struct-size)
          (cffi:foreign-type-size '(:struct stats-struct)))
    (check (sdb-stats (handle db) s))
    (cffi:with-foreign-slots ((page-size total-pages free-pages documents paths file-bytes
                               cache-hits cache-misses)
                              s (:struct stats-struct))
      (list :page-size page-size :total-pages total-pages :free-pages free-pages
            :documents documents :paths paths :file-bytes file-bytes
            :cache-hits cache-hits :cache-misses cache-misses))))

(defun verify (db)
  "Check every page, chain, CRC and index entry. Returns T, or signals CORRUPTED naming the
first problem."
  (check (sdb-verify (handle db)))
  t)

(defun compact (db)
  "Return trailing free pages to the file system. Returns T."
  (check (sdb-compact (handle db)))
  t)

(defun set-quick-mode (db enabled)
  "Skip (ENABLED true) or do CRC checks on reads of DB."
  (sdb-set-quick-mode (handle db) (if enabled 1 0))
  enabled)
