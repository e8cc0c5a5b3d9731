;;;; Run by dcf-db-tests.lisp in a child SBCL: with group commit (flush_interval_ms 60000),
;;;; write through dcf-db, dcf-db-flush, then die at once (no close, no unwinding), exit 3.
;;;; Environment: STREAMDB_BINDING_DIR, STREAMDB_LIBRARY, STREAMDB_CHILD_FILE.

(require :asdf)
(push (pathname (sb-ext:posix-getenv "STREAMDB_BINDING_DIR")) asdf:*central-registry*)
(handler-bind ((warning #'muffle-warning))
  (let ((*standard-output* (make-broadcast-stream)))
    (asdf:load-system "streamdb")))

(let ((db (streamdb:open-database (sb-ext:posix-getenv "STREAMDB_CHILD_FILE")
                                  :flush-interval-ms 60000)))
  (dcf-db:dcf-db-insert db "/state/peers" '((:peers "n1")))
  (dcf-db:dcf-db-flush db)
  (sb-ext:exit :code 3 :abort t))
